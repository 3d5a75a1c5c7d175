// Data keys for the `generate` operation: a fresh key of a caller-chosen shape, returned as
// JWKs with a random UUID kid, for the caller to use outside the KMS (the service wraps the
// private JWK under the elastic key). The spec schema admits FIPS-approved shapes only, and an
// optional JOSE `alg` from an allow-list that leaves out RSA1_5, PBES2 and `none`.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CONTENT_ENCRYPTIONS,
  KEY_MANAGEMENT_ALGORITHMS,
  SIGNING_ALGORITHMS,
  type ElasticKeyAlgorithm,
} from '../domain/algorithms.js';
import { generateShape, type KeyShape, type MaterialJwks } from '@cryptoutil/jwa';
import { materialSpec } from './material-generation.js';

/** JOSE `alg` values a data key may carry: the algorithms the KMS itself supports. */
export const DATA_KEY_ALGORITHMS = [
  ...SIGNING_ALGORITHMS,
  ...KEY_MANAGEMENT_ALGORITHMS,
  ...CONTENT_ENCRYPTIONS,
] as const;
export type DataKeyAlgorithm = (typeof DATA_KEY_ALGORITHMS)[number];

const options = {
  alg: z.enum(DATA_KEY_ALGORITHMS).optional().describe('JOSE alg to stamp on the JWK'),
  use: z.enum(['enc', 'sig']).optional().describe('JWK use to stamp on the JWK'),
};

const shapeSchema = z.discriminatedUnion('kty', [
  z.strictObject({ kty: z.literal('oct'), size: z.literal([128, 192, 256, 384, 512]), ...options }),
  z.strictObject({ kty: z.literal('RSA'), size: z.literal([2048, 3072, 4096]), ...options }),
  z.strictObject({ kty: z.literal('EC'), crv: z.enum(['P-256', 'P-384', 'P-521']), ...options }),
  z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), ...options }),
]);

/** The shape `alg` needs, as for an elastic key of that algorithm; enc values name a CEK. */
function shapeFor(alg: DataKeyAlgorithm): KeyShape {
  if ((CONTENT_ENCRYPTIONS as readonly string[]).includes(alg)) {
    return materialSpec(`${alg}/dir` as ElasticKeyAlgorithm);
  }
  if ((SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    return materialSpec(alg as ElasticKeyAlgorithm);
  }
  return materialSpec(`A256GCM/${alg}` as ElasticKeyAlgorithm);
}

/**
 * Whether a key of `shape` can serve `alg`. RSA algorithms take any offered size (all ≥ 2048),
 * HS needs at least the hash size (RFC 7518 §3.2), `dir` any CEK size, ECDH-ES any NIST curve
 * (§4.6); everything else needs exactly its shape (ES256 is P-256 by §3.4).
 */
export function fitsAlgorithm(shape: KeyShape, alg: DataKeyAlgorithm): boolean {
  const needed = shapeFor(alg);
  if (shape.kty !== needed.kty) return false;
  if (alg === 'dir' || alg.startsWith('ECDH-ES') || shape.kty === 'RSA') return true;
  if (shape.kty === 'oct' && needed.kty === 'oct') {
    return alg.startsWith('HS') ? shape.size >= needed.size : shape.size === needed.size;
  }
  return 'crv' in needed && 'crv' in shape && shape.crv === needed.crv;
}

const SIGNING = new Set<string>(SIGNING_ALGORITHMS);

export const dataKeySpecSchema = shapeSchema.superRefine((spec, ctx) => {
  if (spec.alg === undefined) return;
  if (!fitsAlgorithm(spec, spec.alg)) {
    ctx.addIssue({ code: 'custom', path: ['alg'], message: `${spec.alg} does not fit this key` });
  }
  if (spec.use !== undefined && spec.use !== (SIGNING.has(spec.alg) ? 'sig' : 'enc')) {
    ctx.addIssue({ code: 'custom', path: ['use'], message: `use does not fit ${spec.alg}` });
  }
});

export type DataKeySpec = z.output<typeof dataKeySpecSchema>;

/** Generates a data key of `spec` (already parsed with `dataKeySpecSchema`). */
export async function generateDataKey(spec: DataKeySpec): Promise<MaterialJwks> {
  const { privateJwk, publicJwk } = await generateShape(spec);
  const stamp = {
    kid: randomUUID(),
    ...(spec.alg === undefined ? {} : { alg: spec.alg }),
    ...(spec.use === undefined ? {} : { use: spec.use }),
  };
  return {
    privateJwk: { ...privateJwk, ...stamp },
    publicJwk: publicJwk === undefined ? undefined : { ...publicJwk, ...stamp },
  };
}
