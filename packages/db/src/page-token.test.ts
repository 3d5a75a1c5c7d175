// Offset page tokens: opaque both ways, a foreign token is undefined (each service's 400), and a
// page made from one extra row says whether another follows.
import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, toOffsetPage } from './page-token.js';

describe('page tokens', () => {
  it('round-trip an offset and refuse anything else', () => {
    expect(decodePageToken(encodePageToken(0))).toBe(0);
    expect(decodePageToken(encodePageToken(12_345))).toBe(12_345);
    expect(encodePageToken(50)).toBe('bzo1MA');
    for (const token of ['', 'bogus', Buffer.from('o:-1').toString('base64url'), 'bzo']) {
      expect(decodePageToken(token), token).toBeUndefined();
    }
  });
});

describe('toOffsetPage', () => {
  it('maps one page and hands a token to the next only when an extra row came back', () => {
    expect(toOffsetPage([1, 2, 3], 2, 10, (n) => n * 10)).toEqual({
      items: [10, 20],
      nextPageToken: encodePageToken(12),
    });
    expect(toOffsetPage([1, 2], 2, 10, String)).toEqual({ items: ['1', '2'] });
    expect(toOffsetPage([], 5, 0, String)).toEqual({ items: [] });
  });
});
