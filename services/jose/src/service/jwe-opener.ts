// Decrypting a JWE for a tenant: the first recipient whose `kid` names one of the tenant's
// encryption versions opens it, with that version's own `alg` (and, for `dir`, its `enc`).
// A JWE for a retired version is 409 `key-retired`, one for no version of the tenant 400
// `unknown-kid`; every other failure is the one `decryption-failed`.
import {
  CONTENT_ENCRYPTIONS,
  type ContentEncryption,
  type JoseKey,
  type KeyManagementAlgorithm,
} from '@cryptoutil/jwa';
import { JoseError } from '../domain/jose-error.js';
import { stringMember, type ParsedJwe } from '../crypto/jose-input.js';
import { decryptFor } from '../crypto/jwe.js';
import type { KeyRing } from './key-ring.js';
import type { OperationLog } from './operation-log.js';
import type { Caller } from './operation-types.js';

export interface JweOpenerOptions {
  readonly ring: KeyRing;
  readonly log: OperationLog;
  readonly maxDecompressedBytes: number;
}

export function createJweOpener({ ring, log, maxDecompressedBytes }: JweOpenerOptions) {
  return async function openJwe(caller: Caller, jwe: ParsedJwe) {
    let retired: string | undefined;
    for (const recipient of jwe.recipients) {
      const kid = stringMember(recipient.joseHeader, 'kid');
      if (kid === undefined) continue;
      const found = await ring.byKid(caller.tenantId, kid);
      if (!found || found.set.spec.use !== 'enc') continue;
      if (found.version.status === 'retired') {
        retired = kid;
        continue;
      }
      const { spec } = found.set;
      const where = { setId: found.set.id, version: found.version.version, kid };
      if (recipient.joseHeader.alg !== spec.alg) {
        log(
          caller,
          'decrypt',
          { outcome: 'failure', failure: 'decryption-failed', ...where },
          spec.alg,
        );
        throw new JoseError('decryption-failed', 'decryption failed');
      }
      const loaded = await ring.load(found);
      const encs = spec.alg === 'dir' ? [spec.enc as ContentEncryption] : CONTENT_ENCRYPTIONS;
      try {
        const result = await decryptFor(
          jwe,
          recipient,
          loaded.keys.decryptKey as JoseKey,
          spec.alg as KeyManagementAlgorithm,
          encs,
          maxDecompressedBytes,
        );
        log(caller, 'decrypt', { outcome: 'success', ...where }, spec.alg);
        return { ...result, kid };
      } catch (err) {
        log(
          caller,
          'decrypt',
          { outcome: 'failure', failure: 'decryption-failed', ...where },
          spec.alg,
        );
        throw err;
      }
    }
    if (retired !== undefined) {
      log(caller, 'decrypt', { outcome: 'failure', failure: 'key-retired', kid: retired });
      throw new JoseError('key-retired', 'the key version this JWE was made for is retired');
    }
    log(caller, 'decrypt', { outcome: 'failure', failure: 'unknown-kid' });
    throw new JoseError('unknown-kid', 'no recipient of this JWE names a key of this tenant');
  };
}

export type JweOpener = ReturnType<typeof createJweOpener>;
