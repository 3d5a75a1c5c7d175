// Key shapes: the JWK key type and size or curve (RFC 7518 §6) a key needs, bare key-pair
// generation for a shape, and the public half of a private JWK. Shared by material generation,
// BYOK import and data-key generation so the three agree on what a shape means.
import { generateKeyPair as generateKeyPairCallback, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export type KeyShape =
  | { readonly kty: 'oct'; readonly size: number }
  | { readonly kty: 'RSA'; readonly size: number }
  | { readonly kty: 'EC'; readonly crv: EcCurve }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519' };

/** A private (or secret) JWK and its public half; `publicJwk` is undefined for oct keys. */
export interface MaterialJwks {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK | undefined;
}

/** The JWK members that are secret (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const generateKeyPair = promisify(generateKeyPairCallback);

/** Generates fresh key material of `shape` as bare JWKs (no kid, alg or use yet). */
export async function generateShape(shape: KeyShape): Promise<MaterialJwks> {
  switch (shape.kty) {
    case 'oct':
      return {
        privateJwk: { kty: 'oct', k: randomBytes(shape.size / 8).toString('base64url') },
        publicJwk: undefined,
      };
    case 'RSA': {
      // Node runs key generation on the libuv pool: RSA 4096 takes about a second.
      const pair = await generateKeyPair('rsa', {
        modulusLength: shape.size,
        publicExponent: 65537,
      });
      return toJwks(pair.privateKey.export({ format: 'jwk' }));
    }
    case 'EC': {
      const pair = await generateKeyPair('ec', { namedCurve: shape.crv });
      return toJwks(pair.privateKey.export({ format: 'jwk' }));
    }
    case 'OKP': {
      const pair = await generateKeyPair('ed25519', undefined);
      return toJwks(pair.privateKey.export({ format: 'jwk' }));
    }
  }
}

function toJwks(privateJwk: JWK): MaterialJwks {
  return { privateJwk, publicJwk: toPublicJwk(privateJwk) };
}

/** The JWK without its secret members. */
export function toPublicJwk(privateJwk: JWK): JWK {
  const publicJwk: JWK = { ...privateJwk };
  for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  return publicJwk;
}

/** A phrase naming the shape, for error messages: "an EC P-384 private key". */
export function describeShape(shape: KeyShape): string {
  switch (shape.kty) {
    case 'oct':
      return `a ${shape.size}-bit oct key`;
    case 'RSA':
      return 'an RSA private key';
    case 'EC':
      return `an EC ${shape.crv} private key`;
    case 'OKP':
      return `an OKP ${shape.crv} private key`;
  }
}
