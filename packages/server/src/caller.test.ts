// callerOf: the tenant and audit actor of a scoped request, and a programming error when a
// route without the chain's principal asks.
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { callerOf } from './caller.js';

describe('callerOf', () => {
  it('names the principal’s tenant and the actor with the request id', () => {
    const request = {
      id: 'req-7',
      principal: { tenant: 't1', subject: 'alice', method: 'api-key', scopes: [] },
    } as unknown as FastifyRequest;
    expect(callerOf(request)).toEqual({
      tenantId: 't1',
      actor: { subject: 'alice', method: 'api-key', requestId: 'req-7' },
    });
  });

  it('throws a TypeError without a principal', () => {
    expect(() => callerOf({ id: 'x' } as unknown as FastifyRequest)).toThrow(
      new TypeError('scoped route reached without a principal'),
    );
  });
});
