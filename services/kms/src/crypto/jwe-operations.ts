// JWE with a loaded material key (RFC 7516): encrypt to the compact or flattened JSON
// serialization, read the kid that picks the version, and decrypt. Decrypt admits only the
// key's own `alg` and `enc`, refuses compression, and reports every failure alike as
// `decryption-failed`, so callers learn nothing that could serve as a padding or format oracle.
import {
  compactDecrypt,
  CompactEncrypt,
  flattenedDecrypt,
  FlattenedEncrypt,
  generalDecrypt,
  type DecryptOptions,
  type FlattenedDecryptResult,
  type FlattenedJWE,
  type GeneralJWE,
} from 'jose';
import type { ContentEncryption, KeyManagementAlgorithm } from '../domain/algorithms.js';
import { KmsError } from '../domain/kms-error.js';
import { allHeaders, jweHeaders, kidOf } from './jose-input.js';
import type { JoseKey, LoadedKey } from './loaded-key.js';

export interface DecryptResult {
  readonly plaintext: Uint8Array;
  /** The JWE AAD (RFC 7516 §7.2.1 `aad`), when the JWE carried one. */
  readonly aad?: Uint8Array;
}

interface EncryptionKey {
  readonly kid: string;
  readonly alg: KeyManagementAlgorithm;
  readonly enc: ContentEncryption;
  readonly key: JoseKey;
}

function encryptionKey(key: LoadedKey, direction: 'encryptKey' | 'decryptKey'): EncryptionKey {
  const { enc } = key.parts;
  const material = key[direction];
  if (key.parts.use !== 'enc' || enc === undefined || material === undefined) {
    throw new KmsError('wrong-key-use', `${key.algorithm} is not an encryption algorithm`);
  }
  return { kid: key.kid, alg: key.parts.alg as KeyManagementAlgorithm, enc, key: material };
}

/** Compact JWE (RFC 7516 §7.1) with protected header `{alg, enc, kid}`. */
export async function encryptCompact(key: LoadedKey, plaintext: Uint8Array): Promise<string> {
  const { kid, alg, enc, key: material } = encryptionKey(key, 'encryptKey');
  return new CompactEncrypt(plaintext).setProtectedHeader({ alg, enc, kid }).encrypt(material);
}

/**
 * Flattened JWE JSON (RFC 7516 §7.2.2). `aad` is integrity protected but not encrypted; an
 * empty one is the same as none, as §7.2.1 requires the member be absent when empty.
 */
export async function encryptFlattened(
  key: LoadedKey,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Promise<FlattenedJWE> {
  const { kid, alg, enc, key: material } = encryptionKey(key, 'encryptKey');
  const jwe = new FlattenedEncrypt(plaintext).setProtectedHeader({ alg, enc, kid });
  if (aad !== undefined) jwe.setAdditionalAuthenticatedData(aad);
  return jwe.encrypt(material);
}

/** The `kid` of a compact, flattened or single-recipient general JWE; else `malformed-jose`. */
export function readJweKid(input: string | object): string {
  return kidOf(jweHeaders(input), 'JWE');
}

const failed = () => new KmsError('decryption-failed', 'decryption failed');

function openJwe(input: string | object, material: JoseKey, options: DecryptOptions) {
  if (typeof input === 'string') return compactDecrypt(input, material, options);
  if ('recipients' in input) return generalDecrypt(input as GeneralJWE, material, options);
  return flattenedDecrypt(input as FlattenedJWE, material, options);
}

/** Decrypts a JWE made for this key version; any failure is `decryption-failed`. */
export async function decrypt(key: LoadedKey, input: string | object): Promise<DecryptResult> {
  const { alg, enc, key: material } = encryptionKey(key, 'decryptKey');
  let result: FlattenedDecryptResult;
  try {
    // RFC 8725 §3.6: compressed plaintext leaks through ciphertext length, and inflating is a
    // decompression-bomb vector, so `zip` is refused before any key is used.
    if (allHeaders(jweHeaders(input)).some((header) => 'zip' in header)) throw failed();
    result = await openJwe(input, material, {
      keyManagementAlgorithms: [alg],
      contentEncryptionAlgorithms: [enc],
      maxDecompressedLength: 0,
    });
  } catch {
    throw failed();
  }
  const { plaintext, additionalAuthenticatedData: aad } = result;
  return aad === undefined ? { plaintext } : { plaintext, aad };
}
