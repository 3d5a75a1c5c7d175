// JWE (RFC 7516) over jose: encrypting to the compact or JSON serialization for one or several
// recipients, with optional DEFLATE compression (`zip: DEF`) and JSON AAD; and decrypting for
// one parsed recipient with one key. Every decryption failure, an inflated size over the cap
// included, is the one `decryption-failed`, so callers learn nothing that could serve as an
// oracle.
import type { ContentEncryption, JoseKey, KeyManagementAlgorithm } from '@cryptoutil/jwa';
import {
  CompactEncrypt,
  flattenedDecrypt,
  FlattenedEncrypt,
  GeneralEncrypt,
  type FlattenedJWE,
  type GeneralJWE,
  type JWEHeaderParameters,
} from 'jose';
import { JoseError } from '../domain/jose-error.js';
import { callerHeader, disjoint, hasMembers, NO_HEADER } from './header-rules.js';
import type { Header, ParsedJwe, ParsedRecipient } from './jose-input.js';

export interface Recipient {
  readonly kid: string;
  readonly alg: KeyManagementAlgorithm;
  readonly key: JoseKey;
  readonly header?: Header | undefined;
}

export interface EncryptOptions {
  readonly plaintext: Uint8Array;
  readonly enc: ContentEncryption;
  readonly zip: boolean;
  readonly aad?: Uint8Array | undefined;
  readonly protectedHeader?: Header | undefined;
  readonly serialization: 'compact' | 'json';
  readonly recipients: readonly Recipient[];
}

export type Jwe = string | FlattenedJWE | GeneralJWE;

export interface Decrypted {
  readonly plaintext: Uint8Array;
  readonly protectedHeader?: JWEHeaderParameters;
  readonly aad?: Uint8Array;
}

/** Key management that derives or is the CEK: one recipient only (RFC 7516 §7.2.1). */
const DIRECT = new Set<KeyManagementAlgorithm>(['dir', 'ECDH-ES']);

function invalidRequest(message: string): never {
  throw new JoseError('invalid-request', message);
}

export async function encryptJwe(options: EncryptOptions): Promise<Jwe> {
  const { recipients, serialization, enc } = options;
  if (recipients.length === 0) invalidRequest('at least one recipient');
  const shared =
    options.protectedHeader === undefined && !options.zip
      ? { enc } // the common case: nothing of the caller's to check or merge
      : {
          ...callerHeader(options.protectedHeader, 'protectedHeader'),
          enc,
          ...(options.zip ? { zip: 'DEF' } : {}),
        };
  if (recipients.length > 1) {
    if (serialization === 'compact')
      invalidRequest('several recipients need the json serialization');
    if (recipients.some((r) => DIRECT.has(r.alg))) {
      invalidRequest('dir and ECDH-ES take exactly one recipient');
    }
    const jwe = new GeneralEncrypt(options.plaintext).setProtectedHeader(shared);
    if (options.aad !== undefined) jwe.setAdditionalAuthenticatedData(options.aad);
    for (const r of recipients) {
      const header = { ...callerHeader(r.header, 'recipient header'), alg: r.alg, kid: r.kid };
      disjoint([shared, header], 'the recipient');
      jwe.addRecipient(r.key).setUnprotectedHeader(header);
    }
    return jwe.encrypt();
  }
  const r = recipients[0] as Recipient;
  const own = r.header === undefined ? NO_HEADER : callerHeader(r.header, 'recipient header');
  if (serialization === 'compact') {
    if (hasMembers(own)) invalidRequest('the compact serialization has no unprotected header');
    if (options.aad !== undefined) invalidRequest('aad needs the json serialization');
    return new CompactEncrypt(options.plaintext)
      .setProtectedHeader({ ...shared, alg: r.alg, kid: r.kid })
      .encrypt(r.key);
  }
  const protectedHeader = { ...shared, alg: r.alg, kid: r.kid };
  disjoint([protectedHeader, own], 'the recipient');
  const jwe = new FlattenedEncrypt(options.plaintext).setProtectedHeader(protectedHeader);
  if (hasMembers(own)) jwe.setUnprotectedHeader(own);
  if (options.aad !== undefined) jwe.setAdditionalAuthenticatedData(options.aad);
  return jwe.encrypt(r.key);
}

const failed = () => new JoseError('decryption-failed', 'decryption failed');

/**
 * Decrypts `jwe` for one of its recipients with that recipient's key, admitting only the key's
 * own `alg` and the `enc` values given. `zip: DEF` inflates up to `maxDecompressedBytes`.
 */
export async function decryptFor(
  jwe: ParsedJwe,
  recipient: ParsedRecipient,
  key: JoseKey,
  alg: KeyManagementAlgorithm,
  encs: readonly ContentEncryption[],
  maxDecompressedBytes: number,
): Promise<Decrypted> {
  const flat: FlattenedJWE = {
    ...(jwe.protected === undefined ? {} : { protected: jwe.protected }),
    ...(jwe.unprotected === undefined ? {} : { unprotected: jwe.unprotected }),
    ...(recipient.header === undefined ? {} : { header: recipient.header }),
    ...(recipient.encryptedKey ? { encrypted_key: recipient.encryptedKey } : {}),
    iv: jwe.iv,
    ciphertext: jwe.ciphertext,
    tag: jwe.tag,
    ...(jwe.aad === undefined ? {} : { aad: jwe.aad }),
  };
  try {
    const result = await flattenedDecrypt(flat, key, {
      keyManagementAlgorithms: [alg],
      contentEncryptionAlgorithms: [...encs],
      maxDecompressedLength: maxDecompressedBytes,
    });
    return {
      plaintext: result.plaintext,
      ...(result.protectedHeader === undefined ? {} : { protectedHeader: result.protectedHeader }),
      ...(result.additionalAuthenticatedData === undefined
        ? {}
        : { aad: result.additionalAuthenticatedData }),
    };
  } catch {
    throw failed();
  }
}
