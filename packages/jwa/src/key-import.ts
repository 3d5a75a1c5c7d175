// BYOK: turns a caller's private JWK into key material, or refuses it with KeyImportError and a
// fixed phrase naming the rule (never a key value). Only the key members survive (re-exported
// by node, so encodings are canonical); the caller's kid, alg, use and key_ops are dropped, and
// certificate or URL bindings (x5c, x5u, jku) are refused. Which shapes are acceptable is the
// caller's rule (an exact shape for a KMS algorithm, `shapeFits` for a JOSE set).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import {
  hasConsistentRsaParameters,
  isPairwiseConsistent,
  type RsaPrivateMembers,
} from './key-consistency.js';
import { toPublicJwk, type KeyShape, type MaterialJwks } from './key-shape.js';

/** RSA moduli we accept: at least 2048 bits (NIST SP 800-131A), at most 8192 (bounds cost). */
export const RSA_IMPORT_MIN_BITS = 2048;
export const RSA_IMPORT_MAX_BITS = 8192;

/** A refused import; the message is a fixed phrase safe to show the caller. */
export class KeyImportError extends Error {
  override readonly name = 'KeyImportError';
}

export interface ImportRule {
  /** Whether a key of this shape is acceptable. */
  readonly accepts: (shape: KeyShape) => boolean;
  /** The phrase for a key of the wrong type, curve or size: "a key for ES256 must be …". */
  readonly wrongShape: string;
  /** Who the key is for, in messages: "a key for ES256". */
  readonly label: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const REFUSED_MEMBERS = ['x5c', 'x5u', 'jku'] as const;
const PRIVATE_BY_KTY = {
  oct: ['k'],
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['d'],
  OKP: ['d'],
} as const;
const PUBLIC_BY_KTY = { oct: [], RSA: ['n', 'e'], EC: ['x', 'y'], OKP: ['x'] } as const;
type Kty = keyof typeof PRIVATE_BY_KTY;

function refuse(message: string): never {
  throw new KeyImportError(message);
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

/** The shape the JWK claims before its members are read: kty and curve (RSA size comes later). */
function claimedShape(jwk: Record<string, unknown>, rule: ImportRule): KeyShape {
  switch (jwk.kty) {
    case 'EC':
      if (jwk.crv === 'P-256' || jwk.crv === 'P-384' || jwk.crv === 'P-521') {
        return { kty: 'EC', crv: jwk.crv };
      }
      return refuse(rule.wrongShape);
    case 'OKP':
      return jwk.crv === 'Ed25519' ? { kty: 'OKP', crv: 'Ed25519' } : refuse(rule.wrongShape);
    case 'RSA':
      if (jwk.oth !== undefined) refuse('multi-prime RSA keys (oth) are not supported');
      return { kty: 'RSA', size: RSA_IMPORT_MIN_BITS };
    case 'oct':
      return { kty: 'oct', size: 0 };
    default:
      return refuse(rule.wrongShape);
  }
}

function toKeyObjects(bare: JWK, shape: KeyShape): [KeyObject, KeyObject] {
  const crv = shape.kty === 'EC' || shape.kty === 'OKP' ? { crv: shape.crv } : {};
  try {
    const privateKey = createPrivateKey({
      key: { kty: shape.kty, ...crv, ...bare },
      format: 'jwk',
    });
    const publicKey = createPublicKey({
      key: { kty: shape.kty, ...crv, ...toPublicJwk(bare) },
      format: 'jwk',
    });
    return [privateKey, publicKey];
  } catch {
    return refuse('the key could not be imported');
  }
}

function checkRsa(privateKey: KeyObject, rule: ImportRule): void {
  // Node always reports the modulus length and exponent of an RSA key.
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
  if (!rule.accepts({ kty: 'RSA', size: bits })) refuse(rule.wrongShape);
}

function importAsymmetric(members: Record<string, string>, shape: KeyShape, rule: ImportRule): JWK {
  const [privateKey, publicKey] = toKeyObjects(members, shape);
  if (shape.kty === 'RSA') checkRsa(privateKey, rule);
  const consistent =
    isPairwiseConsistent(privateKey, publicKey) &&
    (shape.kty !== 'RSA' || hasConsistentRsaParameters(members as unknown as RsaPrivateMembers));
  if (!consistent) refuse('the private and public members of the key do not match');
  return privateKey.export({ format: 'jwk' });
}

/**
 * Validates a caller's private JWK and returns its bare key members (no kid, alg or use), with
 * the public half for asymmetric keys. Throws KeyImportError naming the rule that failed.
 */
export function importPrivateJwk(jwk: unknown, rule: ImportRule): MaterialJwks {
  if (!isRecord(jwk)) refuse('key material must be a JWK object');
  if (REFUSED_MEMBERS.some((member) => jwk[member] !== undefined)) {
    refuse('key material must not carry x5c, x5u or jku members');
  }
  const shape = claimedShape(jwk, rule);
  // EC and OKP curves are known now; RSA sizes once node has parsed the modulus.
  if ((shape.kty === 'EC' || shape.kty === 'OKP') && !rule.accepts(shape)) refuse(rule.wrongShape);
  const kty: Kty = shape.kty;
  const publicMembers = pickMembers(jwk, PUBLIC_BY_KTY[kty], rule.wrongShape);
  const privateNames = PRIVATE_BY_KTY[kty];
  const members = {
    ...publicMembers,
    ...pickMembers(
      jwk,
      privateNames,
      `${rule.label} must include its private members (${privateNames.join(', ')})`,
    ),
  };
  if (shape.kty === 'oct') {
    const bytes = Buffer.from(members.k as string, 'base64url');
    if (!rule.accepts({ kty: 'oct', size: bytes.length * 8 })) refuse(rule.wrongShape);
    return { privateJwk: { kty: 'oct', k: bytes.toString('base64url') }, publicJwk: undefined };
  }
  const privateJwk = importAsymmetric(members, shape, rule);
  return { privateJwk, publicJwk: toPublicJwk(privateJwk) };
}
