// JWK sets and their versions (issue 4): what a set is, the rules its definition must keep, and
// the storage contract the service layer uses. A set has one key type, one `use` and one `alg`;
// each rotation adds a version with its own kid. Pure: no storage or HTTP here.
import {
  CONTENT_ENCRYPTIONS,
  defaultShape,
  describeShape,
  KEY_MANAGEMENT_ALGORITHMS,
  RSA_SIZES,
  shapeFits,
  SIGNING_ALGORITHMS,
  type AlgorithmParts,
  type ContentEncryption,
  type EcCurve,
  type KeyManagementAlgorithm,
  type KeyShape,
  type SigningAlgorithm,
} from '@cryptoutil/jwa';
import type { JWK } from 'jose';
import { z } from 'zod';
import { JoseError } from './jose-error.js';

export const KID_FORMATS = ['uuid', 'thumbprint', 'thumbprint-uri', 'jwk'] as const;
export type KidFormat = (typeof KID_FORMATS)[number];
export type KeyUse = 'sig' | 'enc';
export type KeyAlgorithm = SigningAlgorithm | KeyManagementAlgorithm;
export const OCT_SIZES = [128, 192, 256, 384, 512] as const;
export const DEFAULT_ENC: ContentEncryption = 'A256GCM';

/** Stored status of a version; `current` and `previous` are views of `active`. */
export type StoredVersionStatus = 'active' | 'retired';
export type VersionStatus = 'current' | 'previous' | 'retired';

export const keySetNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore and hyphen')
  .describe('Unique per tenant');
export const keySetDescriptionSchema = z.string().max(1024);
export const keyAlgorithmSchema = z.enum([...SIGNING_ALGORITHMS, ...KEY_MANAGEMENT_ALGORITHMS]);
export const contentEncryptionSchema = z.enum(CONTENT_ENCRYPTIONS);

/** What a set is for: `use`, `alg`, `enc` (enc sets) and the key shape. */
export interface KeySetSpec {
  readonly use: KeyUse;
  readonly alg: KeyAlgorithm;
  readonly enc?: ContentEncryption;
  readonly shape: KeyShape;
}

export interface KeySetSpecInput {
  readonly use: KeyUse;
  readonly alg: KeyAlgorithm;
  readonly enc?: ContentEncryption | undefined;
  readonly kty?: KeyShape['kty'] | undefined;
  readonly size?: number | undefined;
  readonly crv?: string | undefined;
}

function invalid(message: string): never {
  throw new JoseError('invalid-key-spec', message);
}

export function partsOf(spec: Pick<KeySetSpec, 'use' | 'alg' | 'enc'>): AlgorithmParts {
  return spec.enc === undefined
    ? { use: spec.use, alg: spec.alg }
    : { use: spec.use, alg: spec.alg, enc: spec.enc };
}

function explicitShape(input: KeySetSpecInput, fallback: KeyShape): KeyShape {
  const kty = input.kty ?? fallback.kty;
  if ((kty === 'RSA' || kty === 'oct') && input.crv !== undefined)
    invalid(`a ${kty} key has no crv`);
  if ((kty === 'EC' || kty === 'OKP') && input.size !== undefined) {
    invalid(`an ${kty} key has a crv, not a size`);
  }
  switch (kty) {
    case 'RSA': {
      const size = input.size ?? (fallback.kty === 'RSA' ? fallback.size : 2048);
      if (!(RSA_SIZES as readonly number[]).includes(size)) {
        invalid('an RSA key is 2048, 3072 or 4096 bits');
      }
      return { kty, size };
    }
    case 'oct': {
      const size = input.size ?? (fallback.kty === 'oct' ? fallback.size : 256);
      if (!(OCT_SIZES as readonly number[]).includes(size)) {
        invalid('an oct key is 128, 192, 256, 384 or 512 bits');
      }
      return { kty, size };
    }
    case 'EC': {
      const crv = input.crv ?? (fallback.kty === 'EC' ? fallback.crv : 'P-256');
      if (!['P-256', 'P-384', 'P-521'].includes(crv)) invalid('an EC key is P-256, P-384 or P-521');
      return { kty, crv: crv as EcCurve };
    }
    case 'OKP':
      if ((input.crv ?? 'Ed25519') !== 'Ed25519') invalid('the only OKP curve is Ed25519');
      return { kty, crv: 'Ed25519' };
  }
}

/**
 * Resolves a create request into a set spec: the `alg` must belong to the `use`, `enc` to
 * encryption sets only, and the key shape (defaulted from `alg`) must fit the algorithm.
 */
export function resolveSpec(input: KeySetSpecInput): KeySetSpec {
  const sig = (SIGNING_ALGORITHMS as readonly string[]).includes(input.alg);
  if (sig !== (input.use === 'sig')) {
    invalid(`${input.alg} is not a${input.use === 'sig' ? ' signing' : 'n encryption'} algorithm`);
  }
  if (sig && input.enc !== undefined) invalid('enc is for encryption sets only');
  if (input.size !== undefined && input.crv !== undefined) invalid('give size or crv, not both');
  const enc = sig ? undefined : (input.enc ?? DEFAULT_ENC);
  const parts = partsOf({ use: input.use, alg: input.alg, ...(enc ? { enc } : {}) });
  const fallback = defaultShape(parts);
  const shape = explicitShape(input, fallback);
  if (!shapeFits(shape, parts)) {
    invalid(
      `${input.alg}${enc && input.alg === 'dir' ? ` with ${enc}` : ''} needs ${describeShape(fallback).replace(' private', '')}`,
    );
  }
  return { use: input.use, alg: input.alg, ...(enc ? { enc } : {}), shape };
}

export interface KeySet {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description: string;
  readonly spec: KeySetSpec;
  readonly kidFormat: KidFormat;
  readonly maxVersions: number;
  readonly rotationPeriodSeconds?: number;
  readonly publish: boolean;
  readonly currentVersion: number;
  readonly currentKid: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly rotatedAt: number;
}

export interface KeyVersion {
  readonly setId: string;
  readonly tenantId: string;
  readonly version: number;
  readonly kid: string;
  readonly status: StoredVersionStatus;
  readonly publicJwk?: JWK;
  readonly createdAt: number;
  readonly retiredAt?: number;
}

export interface SealedKeyVersion extends KeyVersion {
  /** The private JWK as a barrier JWE. */
  readonly privateJwe: string;
}

/** When a set with a rotation period rotates next (epoch ms), or undefined. */
export function nextRotationAt(set: KeySet): number | undefined {
  return set.rotationPeriodSeconds === undefined
    ? undefined
    : set.rotatedAt + set.rotationPeriodSeconds * 1000;
}

export function versionStatus(set: KeySet, version: KeyVersion): VersionStatus {
  if (version.status === 'retired') return 'retired';
  return version.version === set.currentVersion ? 'current' : 'previous';
}

/** The AAD that binds a sealed private JWK to its tenant, set and version. */
export function versionAad(owner: {
  readonly tenantId: string;
  readonly setId: string;
  readonly version: number;
}): Uint8Array {
  return new TextEncoder().encode(`jose-key:${owner.tenantId}:${owner.setId}:${owner.version}`);
}

export interface KeySetPatch {
  readonly description?: string | undefined;
  readonly maxVersions?: number | undefined;
  readonly rotationPeriodSeconds?: number | null | undefined;
  readonly publish?: boolean | undefined;
}

export interface PageQuery {
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
}
