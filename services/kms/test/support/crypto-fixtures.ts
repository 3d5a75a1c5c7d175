// Shared fixtures of the crypto unit tests: keys for any algorithm id (RSA generated once per
// modulus size, since RSA generation is slow, and imported under every RSA id) and a helper
// that expects a KmsError.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import { expect } from 'vitest';
import { loadKey } from '../../src/crypto/loaded-key.js';
import { generateMaterial, materialSpec } from '../../src/crypto/material-generation.js';
import { importMaterial } from '../../src/crypto/material-import.js';
import type { ElasticKeyAlgorithm } from '../../src/domain/algorithms.js';
import { KmsError } from '../../src/domain/kms-error.js';

const rsaBySize = new Map<number, JWK>();

/** Call from beforeAll (allow ~30 s): makes the RSA 2048/3072/4096 keys. */
export async function prepareRsaKeys(): Promise<void> {
  const sizes = [2048, 3072, 4096];
  const pairs = await Promise.all(
    sizes.map((modulusLength) => promisify(generateKeyPair)('rsa', { modulusLength })),
  );
  pairs.forEach((pair, i) =>
    rsaBySize.set(sizes[i] ?? 0, pair.privateKey.export({ format: 'jwk' })),
  );
}

export async function keyFor(algorithm: ElasticKeyAlgorithm, kid = `kid-${algorithm}`) {
  const spec = materialSpec(algorithm);
  const material =
    spec.kty === 'RSA'
      ? importMaterial(algorithm, rsaBySize.get(spec.size), kid)
      : await generateMaterial(algorithm, kid);
  return { material, key: await loadKey(algorithm, material.privateJwk) };
}

export async function failure(promise: Promise<unknown>): Promise<KmsError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KmsError);
  return err as KmsError;
}
