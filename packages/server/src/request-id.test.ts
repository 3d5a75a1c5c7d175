import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdFor } from './request-id.js';

const withHeader = (value?: string | string[]) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('requestIdFor', () => {
  it('keeps a safe client id', () => {
    expect(requestIdFor(withHeader('a1B2.c-d_e:f'))).toBe('a1B2.c-d_e:f');
  });

  it.each([[undefined], ['has space'], ['x'.repeat(129)], ['line\nbreak'], [['a', 'b']], ['']])(
    'generates a UUID for %j',
    (value) => {
      expect(requestIdFor(withHeader(value))).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    },
  );
});
