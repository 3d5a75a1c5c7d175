// Unit tests of the request/response serializers on odd inputs.
import { describe, expect, it } from 'vitest';
import { serializeRequest, serializeResponse } from './serializers.js';

describe('serializers', () => {
  it('reads a raw node:http request and ignores headers', () => {
    expect(
      serializeRequest({
        method: 'GET',
        url: '/x',
        headers: { cookie: 'c' },
        socket: { remoteAddress: '::1', remotePort: 1 },
      }),
    ).toEqual({ method: 'GET', url: '/x', remoteAddress: '::1', remotePort: 1 });
  });

  it('returns empty objects for non-objects', () => {
    expect(serializeRequest(undefined)).toEqual({});
    expect(serializeRequest('GET /')).toEqual({});
    expect(serializeResponse(null)).toEqual({});
    expect(serializeResponse({ statusCode: '200' })).toEqual({});
  });
});
