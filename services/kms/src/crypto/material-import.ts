// BYOK: turns a caller's private JWK into material for an elastic key algorithm, or refuses it
// with `invalid-key-material` and a fixed phrase naming the rule (never a key value). Only the
// key members survive (re-exported by node, so encodings are canonical); the caller's kid, alg,
// use and key_ops are replaced by ours.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import { KmsError } from '../domain/kms-error.js';
import {
  hasConsistentRsaParameters,
  isPairwiseConsistent,
  type RsaPrivateMembers,
} from './key-consistency.js';
import { describeShape, toPublicJwk, type MaterialJwks } from './key-shape.js';
import { materialSpec, stampJwk, type MaterialSpec } from './material-generation.js';

/** RSA moduli we accept: at least 2048 bits (NIST SP 800-131A), at most 8192 (bounds cost). */
export const RSA_IMPORT_MIN_BITS = 2048;
export const RSA_IMPORT_MAX_BITS = 8192;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Certificate and URL bindings we would not honour (RFC 7517 §4.6-4.7; `jku` is RFC 7515). */
const REFUSED_MEMBERS = ['x5c', 'x5u', 'jku'] as const;
const PRIVATE_BY_KTY = {
  oct: ['k'],
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['d'],
  OKP: ['d'],
} as const;
const PUBLIC_BY_KTY = { oct: [], RSA: ['n', 'e'], EC: ['x', 'y'], OKP: ['x'] } as const;

function refuse(message: string): never {
  throw new KmsError('invalid-key-material', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The named members, each a non-empty base64url string (RFC 7515 §2), or a refusal. */
function pickMembers(
  jwk: Record<string, unknown>,
  names: readonly string[],
  missing: string,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = jwk[name];
    if (value === undefined) refuse(missing);
    if (typeof value !== 'string' || !BASE64URL.test(value) || value.length % 4 === 1) {
      refuse('JWK key members must be base64url strings');
    }
    picked[name] = value;
  }
  return picked;
}

function checkShape(
  jwk: Record<string, unknown>,
  algorithm: ElasticKeyAlgorithm,
  spec: MaterialSpec,
) {
  const wrongShape = `a key for ${algorithm} must be ${describeShape(spec)}`;
  if (jwk.kty !== spec.kty) refuse(wrongShape);
  if ((spec.kty === 'EC' || spec.kty === 'OKP') && jwk.crv !== spec.crv) refuse(wrongShape);
  if (spec.kty === 'RSA' && jwk.oth !== undefined) {
    refuse('multi-prime RSA keys (oth) are not supported');
  }
  const publicMembers = pickMembers(jwk, PUBLIC_BY_KTY[spec.kty], wrongShape);
  const privateNames = PRIVATE_BY_KTY[spec.kty];
  const privateMembers = pickMembers(
    jwk,
    privateNames,
    `a key for ${algorithm} must include its private members (${privateNames.join(', ')})`,
  );
  return { ...publicMembers, ...privateMembers };
}

function importOct(k: string, algorithm: ElasticKeyAlgorithm, size: number): JWK {
  const bytes = Buffer.from(k, 'base64url');
  if (bytes.length * 8 !== size) refuse(`a key for ${algorithm} must be a ${size}-bit oct key`);
  return { kty: 'oct', k: bytes.toString('base64url') };
}

function toKeyObjects(bare: JWK, spec: MaterialSpec): [KeyObject, KeyObject] {
  const crv = spec.kty === 'EC' || spec.kty === 'OKP' ? { crv: spec.crv } : {};
  try {
    const privateKey = createPrivateKey({ key: { kty: spec.kty, ...crv, ...bare }, format: 'jwk' });
    const publicKey = createPublicKey({
      key: { kty: spec.kty, ...crv, ...toPublicJwk(bare) },
      format: 'jwk',
    });
    return [privateKey, publicKey];
  } catch {
    return refuse('the key could not be imported');
  }
}

function importAsymmetric(members: Record<string, string>, spec: MaterialSpec): JWK {
  const [privateKey, publicKey] = toKeyObjects(members, spec);
  if (spec.kty === 'RSA') {
    // Node always reports the modulus length of an RSA key.
    const { modulusLength: bits, publicExponent: e } = privateKey.asymmetricKeyDetails as {
      modulusLength: number;
      publicExponent: bigint;
    };
    if (bits < RSA_IMPORT_MIN_BITS || bits > RSA_IMPORT_MAX_BITS || bits % 8 !== 0) {
      refuse('an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8');
    }
    // FIPS 186-5 §5.1: the public exponent is odd with 2^16 < e < 2^256.
    if (e <= 65536n || e >= 2n ** 256n || e % 2n === 0n) {
      refuse('an RSA key must have an odd public exponent above 65536 (FIPS 186-5)');
    }
  }
  const consistent =
    isPairwiseConsistent(privateKey, publicKey) &&
    (spec.kty !== 'RSA' || hasConsistentRsaParameters(members as unknown as RsaPrivateMembers));
  if (!consistent) refuse('the private and public members of the key do not match');
  return privateKey.export({ format: 'jwk' });
}

/**
 * Validates a caller's private JWK for `algorithm` and returns it as material with our `kid`.
 * Throws KmsError `invalid-key-material` naming the rule that failed.
 */
export function importMaterial(
  algorithm: ElasticKeyAlgorithm,
  jwk: unknown,
  kid: string,
): MaterialJwks {
  const spec = materialSpec(algorithm);
  if (!isRecord(jwk)) refuse('key material must be a JWK object');
  if (REFUSED_MEMBERS.some((member) => jwk[member] !== undefined)) {
    refuse('key material must not carry x5c, x5u or jku members');
  }
  const members = checkShape(jwk, algorithm, spec);
  if (spec.kty === 'oct') {
    // checkShape has required `k` as a base64url string.
    const secret = importOct(members.k as string, algorithm, spec.size);
    return { privateJwk: stampJwk(secret, spec, kid), publicJwk: undefined };
  }
  const privateJwk = importAsymmetric(members, spec);
  return {
    privateJwk: stampJwk(privateJwk, spec, kid),
    publicJwk: stampJwk(toPublicJwk(privateJwk), spec, kid),
  };
}
