// Opaque list page tokens. A token carries the offset of the next page, base64url-encoded so
// clients treat it as opaque; a token that does not decode is a client error, not a 500.
import { KmsError } from '../domain/kms-error.js';

const PREFIX = 'o:';

export function encodePageToken(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!/^\d{1,15}$/.test(digits)) throw new KmsError('invalid-page-token', 'invalid page token');
  return Number(digits);
}
