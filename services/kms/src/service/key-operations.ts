// The cryptographic operations of an elastic key: encrypt and sign with the primary version,
// decrypt and verify with the version the `kid` header names (so old versions keep working
// after rotation), and generate data keys wrapped under the key. A decryption failure of any
// kind, including an unknown or revoked kid, says only "decryption failed".
import type { CryptoOperationCounter } from '@cryptoutil/telemetry';
import type { FlattenedJWE, FlattenedJWS, JWK } from 'jose';
import {
  decrypt,
  encryptCompact,
  encryptFlattened,
  generateDataKey,
  readJweKid,
  readJwsKid,
  signCompact,
  signFlattened,
  verify,
  type DataKeySpec,
  type LoadedKey,
} from '../crypto/index.js';
import type { ElasticKey } from '../domain/elastic-key.js';
import { isKmsError, KmsError } from '../domain/kms-error.js';
import type { KeyResolver } from './key-resolver.js';

export type Serialization = 'compact' | 'flattened';

export interface DataKeyResult {
  /** The data key's private JWK, as a compact JWE under the elastic key. */
  readonly jwe: string;
  readonly kid: string;
  readonly jwk?: JWK;
  readonly publicJwk?: JWK;
}

export interface KeyOperations {
  encrypt(
    tenantId: string,
    id: string,
    plaintext: Uint8Array,
    options: { readonly serialization: Serialization; readonly aad?: Uint8Array },
  ): Promise<string | FlattenedJWE>;
  decrypt(
    tenantId: string,
    id: string,
    jwe: string | object,
  ): Promise<{ plaintext: Uint8Array; aad?: Uint8Array; kid: string }>;
  sign(
    tenantId: string,
    id: string,
    payload: Uint8Array,
    serialization: Serialization,
  ): Promise<string | FlattenedJWS>;
  verify(
    tenantId: string,
    id: string,
    jws: string | object,
  ): Promise<{ payload: Uint8Array; kid: string }>;
  generate(
    tenantId: string,
    id: string,
    spec: DataKeySpec,
    includePlaintext: boolean,
  ): Promise<DataKeyResult>;
}

const decryptionFailed = () => new KmsError('decryption-failed', 'decryption failed');

function requireUse(key: ElasticKey, use: 'enc' | 'sig', operation: string): void {
  const isEnc = key.algorithm.includes('/');
  if (isEnc !== (use === 'enc')) {
    throw new KmsError(
      'wrong-key-use',
      `${operation} needs ${use === 'enc' ? 'an encryption' : 'a signing'} key; this key is ${key.algorithm}`,
    );
  }
}

export function createKeyOperations(deps: {
  readonly resolver: KeyResolver;
  readonly metrics?: CryptoOperationCounter;
}): KeyOperations {
  const { resolver, metrics } = deps;

  /** Runs `work`, counting the outcome by operation and algorithm. */
  async function count<T>(key: ElasticKey, operation: string, work: () => Promise<T>): Promise<T> {
    const op = { product: 'kms', operation, algorithm: key.algorithm };
    try {
      const result = await work();
      metrics?.add({ ...op, outcome: 'success' });
      return result;
    } catch (err) {
      metrics?.add({ ...op, outcome: 'failure' });
      throw err;
    }
  }

  /** encrypt, sign, generate: the primary version, from one cache lookup when hot. */
  async function withPrimary<T>(
    tenantId: string,
    id: string,
    operation: string,
    use: 'enc' | 'sig',
    work: (primary: LoadedKey) => Promise<T>,
  ): Promise<T> {
    const { key, primary } = await resolver.activePrimary(tenantId, id);
    requireUse(key, use, operation);
    return count(key, operation, () => work(primary));
  }

  /** decrypt, verify: the version the input's kid names. */
  async function withVersion<T>(
    tenantId: string,
    id: string,
    operation: string,
    use: 'enc' | 'sig',
    work: (key: ElasticKey) => Promise<T>,
  ): Promise<T> {
    const key = await resolver.activeKey(tenantId, id);
    requireUse(key, use, operation);
    return count(key, operation, () => work(key));
  }

  async function versionFor(key: ElasticKey, kid: string, onMissing: () => KmsError) {
    const loaded = await resolver.byKid(key, kid);
    if (!loaded) throw onMissing();
    return loaded;
  }

  return {
    encrypt: (tenantId, id, plaintext, { serialization, aad }) =>
      withPrimary<string | FlattenedJWE>(tenantId, id, 'encrypt', 'enc', (primary) =>
        serialization === 'compact'
          ? encryptCompact(primary, plaintext)
          : encryptFlattened(primary, plaintext, aad),
      ),
    decrypt: (tenantId, id, jwe) =>
      withVersion(tenantId, id, 'decrypt', 'enc', async (key) => {
        let kid: string;
        try {
          kid = readJweKid(jwe);
        } catch (err) {
          if (isKmsError(err)) throw decryptionFailed();
          throw err;
        }
        const version = await versionFor(key, kid, decryptionFailed);
        return { ...(await decrypt(version, jwe)), kid };
      }),
    sign: (tenantId, id, payload, serialization) =>
      withPrimary<string | FlattenedJWS>(tenantId, id, 'sign', 'sig', (primary) =>
        serialization === 'compact'
          ? signCompact(primary, payload)
          : signFlattened(primary, payload),
      ),
    verify: (tenantId, id, jws) =>
      withVersion(tenantId, id, 'verify', 'sig', async (key) => {
        const kid = readJwsKid(jws);
        const version = await versionFor(
          key,
          kid,
          () => new KmsError('signature-invalid', 'the kid names no active version of this key'),
        );
        const { payload } = await verify(version, jws);
        return { payload, kid };
      }),
    generate: (tenantId, id, spec, includePlaintext) =>
      withPrimary(tenantId, id, 'generate', 'enc', async (primary) => {
        const { privateJwk, publicJwk } = await generateDataKey(spec);
        const bytes = new TextEncoder().encode(JSON.stringify(privateJwk));
        const jwe = await encryptCompact(primary, bytes);
        return {
          jwe,
          kid: String(privateJwk.kid),
          ...(includePlaintext ? { jwk: privateJwk } : {}),
          ...(publicJwk ? { publicJwk } : {}),
        };
      }),
  };
}
