// Proof that an imported private key belongs to its public members. Node imports an EC JWK
// whose x/y belong to another key, and an RSA JWK with a wrong `d` (CRT signing never reads it),
// so BYOK runs a pairwise consistency test (sign, then verify with the stated public key, as
// FIPS 140-3 modules do after key generation) and checks RFC 8017 §3.2 RSA parameters.
import { sign, verify, type KeyObject } from 'node:crypto';

const PCT_MESSAGE = Buffer.from('cryptoutil pairwise consistency test');

/** True when a signature made with `privateKey` verifies under `publicKey`. */
export function isPairwiseConsistent(privateKey: KeyObject, publicKey: KeyObject): boolean {
  // Ed25519 hashes internally (RFC 8032 §5.1.6), so it takes no digest name.
  const digest = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  try {
    const signature = sign(digest, PCT_MESSAGE, privateKey);
    return verify(digest, PCT_MESSAGE, publicKey, signature);
  } catch {
    return false;
  }
}

function toBigInt(base64url: string): bigint {
  const hex = Buffer.from(base64url, 'base64url').toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

export interface RsaPrivateMembers {
  readonly n: string;
  readonly d: string;
  readonly p: string;
  readonly q: string;
  readonly dp: string;
  readonly dq: string;
  readonly qi: string;
}

/**
 * RFC 8017 §3.2: n = p·q, dP = d mod (p−1), dQ = d mod (q−1), qInv·q ≡ 1 (mod p). The pairwise
 * test covers e against the CRT values; this covers `d`, which CRT signing leaves unused.
 */
export function hasConsistentRsaParameters(jwk: RsaPrivateMembers): boolean {
  const [n, d, p, q, dp, dq, qi] = [jwk.n, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(
    toBigInt,
  ) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (p < 3n || q < 3n) return false;
  return n === p * q && d % (p - 1n) === dp && d % (q - 1n) === dq && (qi * q) % p === 1n;
}
