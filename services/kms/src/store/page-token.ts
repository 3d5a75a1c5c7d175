// The KMS's page tokens: the shared offset tokens, with a token we did not make reported as
// KmsError `invalid-page-token` (400), not a 500.
import { decodePageToken as decodeOffset } from '@cryptoutil/db';
import { KmsError } from '../domain/kms-error.js';

export { encodePageToken } from '@cryptoutil/db';

export function decodePageToken(token: string): number {
  const offset = decodeOffset(token);
  if (offset === undefined) throw new KmsError('invalid-page-token', 'invalid page token');
  return offset;
}
