import { describe, expect, it } from 'vitest';
import { isKmsError } from '../domain/kms-error.js';
import { decodePageToken, encodePageToken } from './page-token.js';

describe('page tokens', () => {
  it('round-trips an offset through an opaque base64url token', () => {
    const token = encodePageToken(150);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('150');
    expect(decodePageToken(token)).toBe(150);
    expect(decodePageToken(encodePageToken(0))).toBe(0);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('o:-1').toString('base64url'),
    Buffer.from('o:1e3').toString('base64url'),
    Buffer.from('12').toString('base64url'),
    Buffer.from(`o:${'9'.repeat(16)}`).toString('base64url'),
  ])('refuses %j with invalid-page-token', (token) => {
    let caught: unknown;
    try {
      decodePageToken(token);
    } catch (err) {
      caught = err;
    }
    expect(isKmsError(caught, 'invalid-page-token')).toBe(true);
  });
});
