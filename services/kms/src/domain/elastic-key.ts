// The elastic key: a named, versioned key of one algorithm owned by a tenant (ARCHITECTURE §5).
// This file owns its shape, its name rules, its status machine and the repository interface
// the store implements. Pure: no kysely or Fastify here.
import { z } from 'zod';
import type { ElasticKeyAlgorithm } from './algorithms.js';
import { KmsError } from './kms-error.js';

/**
 * creating → pending_generate | pending_import → active ⇄ disabled; a delete is soft: it parks
 * the key in pending_delete_was_<status> (cancel-delete returns there) until purge.
 */
export const ELASTIC_KEY_STATUSES = [
  'creating',
  'pending_generate',
  'pending_import',
  'active',
  'disabled',
  'pending_delete_was_active',
  'pending_delete_was_disabled',
  'deleted',
] as const;
export type ElasticKeyStatus = (typeof ELASTIC_KEY_STATUSES)[number];
export const elasticKeyStatusSchema = z.enum(ELASTIC_KEY_STATUSES);

export const ELASTIC_KEY_EVENTS = [
  'await-generate',
  'await-import',
  'generated',
  'imported',
  'disable',
  'enable',
  'delete',
  'cancel-delete',
  'purge',
] as const;
export type ElasticKeyEvent = (typeof ELASTIC_KEY_EVENTS)[number];

const TRANSITIONS: Readonly<
  Record<ElasticKeyStatus, Partial<Record<ElasticKeyEvent, ElasticKeyStatus>>>
> = {
  creating: {
    'await-generate': 'pending_generate',
    'await-import': 'pending_import',
    generated: 'active',
    imported: 'active',
    purge: 'deleted',
  },
  pending_generate: { generated: 'active', purge: 'deleted' },
  pending_import: { imported: 'active', purge: 'deleted' },
  active: { disable: 'disabled', delete: 'pending_delete_was_active' },
  disabled: { enable: 'active', delete: 'pending_delete_was_disabled' },
  pending_delete_was_active: { 'cancel-delete': 'active', purge: 'deleted' },
  pending_delete_was_disabled: { 'cancel-delete': 'disabled', purge: 'deleted' },
  deleted: {},
};

/** The status after `event`, or a KmsError `invalid-transition` (HTTP 409) when refused. */
export function transition(from: ElasticKeyStatus, event: ElasticKeyEvent): ElasticKeyStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) {
    throw new KmsError('invalid-transition', `cannot ${event} an elastic key that is ${from}`);
  }
  return to;
}

/** 1-63 characters of [A-Za-z0-9._-]; unique per tenant (the store enforces that). */
export const elasticKeyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,63}$/, 'use 1-63 characters of A-Z a-z 0-9 . _ -')
  .describe('Key name: 1-63 characters of A-Z a-z 0-9 . _ -, unique per tenant');

export const elasticKeyDescriptionSchema = z
  .string()
  .max(1024)
  .describe('Free text for operators, at most 1024 characters');

export type ElasticKeyProvider = 'Internal';

export interface ElasticKey {
  /** UUIDv7. */
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description: string;
  readonly algorithm: ElasticKeyAlgorithm;
  readonly provider: ElasticKeyProvider;
  readonly versioningAllowed: boolean;
  readonly importAllowed: boolean;
  readonly status: ElasticKeyStatus;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewElasticKey {
  /** Default a new UUIDv7; callers pass one when other rows (material keys) must name it. */
  readonly id?: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly algorithm: ElasticKeyAlgorithm;
  readonly provider?: ElasticKeyProvider;
  readonly versioningAllowed: boolean;
  readonly importAllowed: boolean;
  /** Default `creating`. */
  readonly status?: ElasticKeyStatus;
}

export interface ElasticKeyPatch {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
}

export type ElasticKeySort = 'name' | 'created_at';

export interface ElasticKeyQuery {
  readonly ids?: readonly string[] | undefined;
  readonly names?: readonly string[] | undefined;
  readonly algorithms?: readonly ElasticKeyAlgorithm[] | undefined;
  readonly statuses?: readonly ElasticKeyStatus[] | undefined;
  /** Default `created_at`; ties break on id. */
  readonly sort?: ElasticKeySort | undefined;
  /** Default `asc`. */
  readonly order?: 'asc' | 'desc' | undefined;
  /** Default 50. */
  readonly pageSize?: number | undefined;
  /** The `nextPageToken` of the previous page. */
  readonly pageToken?: string | undefined;
}

export interface ElasticKeyPage {
  readonly items: readonly ElasticKey[];
  /** Absent on the last page. */
  readonly nextPageToken?: string;
}

/**
 * Storage of elastic keys. Every method requires the tenant; a key of another tenant is simply
 * not found (undefined or absent from a list), never a different error that would leak it.
 */
export interface ElasticKeyRepo {
  /** Throws KmsError `name-taken` when the tenant already has a key of that name. */
  create(key: NewElasticKey): Promise<ElasticKey>;
  get(tenantId: string, id: string): Promise<ElasticKey | undefined>;
  /** Throws KmsError `invalid-page-token` on a token this repo did not issue. */
  list(tenantId: string, query?: ElasticKeyQuery): Promise<ElasticKeyPage>;
  /** Throws KmsError `name-taken` on a rename onto another key's name. */
  update(tenantId: string, id: string, patch: ElasticKeyPatch): Promise<ElasticKey | undefined>;
  /**
   * Applies `event` through `transition` in one transaction; the write only lands while the row
   * is still in the status it was read in, so of two racing calls exactly one wins and the
   * other gets `invalid-transition`.
   */
  setStatus(tenantId: string, id: string, event: ElasticKeyEvent): Promise<ElasticKey | undefined>;
}
