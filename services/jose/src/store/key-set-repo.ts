// Key sets over kysely. Every statement filters on the tenant, so another tenant's set is simply
// not found. Rotation is a compare-and-set on `current_version`.
import { decodePageToken, isUniqueViolation, toOffsetPage } from '@cryptoutil/db';
import type { KeyShape } from '@cryptoutil/jwa';
import type { Kysely, Selectable } from 'kysely';
import { JoseError } from '../domain/jose-error.js';
import type {
  KeyAlgorithm,
  KeySet,
  KeySetPatch,
  KeyUse,
  KidFormat,
  Page,
  PageQuery,
} from '../domain/key-set.js';
import { nextRotationAt } from '../domain/key-set.js';
import type { ContentEncryption } from '@cryptoutil/jwa';

export interface KeySetRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  use: string;
  alg: string;
  enc: string | null;
  kty: string;
  size: number | null;
  crv: string | null;
  kid_format: string;
  max_versions: number;
  rotation_period_s: number | null;
  publish: number;
  current_version: number;
  current_kid: string;
  created_at: number;
  updated_at: number;
  rotated_at: number;
  next_rotation_at: number | null;
}

export interface KeySetTables {
  jose_key_sets: KeySetRow;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

function shapeOf(r: Selectable<KeySetRow>): KeyShape {
  if (r.kty === 'RSA' || r.kty === 'oct') return { kty: r.kty, size: Number(r.size) };
  return { kty: r.kty, crv: r.crv } as KeyShape;
}

export function toKeySet(r: Selectable<KeySetRow>): KeySet {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    description: r.description,
    spec: {
      use: r.use as KeyUse,
      alg: r.alg as KeyAlgorithm,
      ...(r.enc === null ? {} : { enc: r.enc as ContentEncryption }),
      shape: shapeOf(r),
    },
    kidFormat: r.kid_format as KidFormat,
    maxVersions: Number(r.max_versions),
    ...(r.rotation_period_s === null ? {} : { rotationPeriodSeconds: Number(r.rotation_period_s) }),
    publish: Number(r.publish) === 1,
    currentVersion: Number(r.current_version),
    currentKid: r.current_kid,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    rotatedAt: Number(r.rotated_at),
  };
}

function toRow(set: KeySet): KeySetRow {
  const { shape } = set.spec;
  return {
    id: set.id,
    tenant_id: set.tenantId,
    name: set.name,
    description: set.description,
    use: set.spec.use,
    alg: set.spec.alg,
    enc: set.spec.enc ?? null,
    kty: shape.kty,
    size: shape.kty === 'RSA' || shape.kty === 'oct' ? shape.size : null,
    crv: shape.kty === 'EC' || shape.kty === 'OKP' ? shape.crv : null,
    kid_format: set.kidFormat,
    max_versions: set.maxVersions,
    rotation_period_s: set.rotationPeriodSeconds ?? null,
    publish: set.publish ? 1 : 0,
    current_version: set.currentVersion,
    current_kid: set.currentKid,
    created_at: set.createdAt,
    updated_at: set.updatedAt,
    rotated_at: set.rotatedAt,
    next_rotation_at: nextRotationAt(set) ?? null,
  };
}

function withoutPeriod(set: KeySet): KeySet {
  const copy: { -readonly [K in keyof KeySet]: KeySet[K] } = { ...set };
  delete copy.rotationPeriodSeconds;
  return copy;
}

export function pageSizeOf(query: PageQuery): number {
  return query.pageSize ?? DEFAULT_PAGE_SIZE;
}

export function pageOffsetOf(query: PageQuery): number {
  if (query.pageToken === undefined) return 0;
  const offset = decodePageToken(query.pageToken);
  if (offset === undefined) throw new JoseError('invalid-page-token', 'invalid page token');
  return offset;
}

/** One page of `rows` fetched with one extra row to learn whether another page follows. */
export function toPage<R, T>(rows: R[], size: number, offset: number, map: (r: R) => T): Page<T> {
  return toOffsetPage(rows, size, offset, map);
}

export interface DueSet {
  readonly tenantId: string;
  readonly id: string;
  readonly currentVersion: number;
}

export function keySetRepoOn(db: Kysely<KeySetTables>) {
  const scoped = (tenantId: string) =>
    db.selectFrom('jose_key_sets').selectAll().where('tenant_id', '=', tenantId);
  return {
    async insert(set: KeySet): Promise<void> {
      try {
        await db.insertInto('jose_key_sets').values(toRow(set)).execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new JoseError('name-taken', `a set named ${set.name} exists`, { cause: err });
        }
        throw err;
      }
    },
    async get(tenantId: string, id: string): Promise<KeySet | undefined> {
      const row = await scoped(tenantId).where('id', '=', id).executeTakeFirst();
      return row && toKeySet(row);
    },
    async list(tenantId: string, query: PageQuery): Promise<Page<KeySet>> {
      const size = pageSizeOf(query);
      const offset = pageOffsetOf(query);
      const rows = await scoped(tenantId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .offset(offset)
        .execute();
      return toPage(rows, size, offset, toKeySet);
    },
    async update(set: KeySet, patch: KeySetPatch, now: number): Promise<KeySet> {
      const next: KeySet = {
        ...set,
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.maxVersions === undefined ? {} : { maxVersions: patch.maxVersions }),
        ...(patch.publish === undefined ? {} : { publish: patch.publish }),
        updatedAt: now,
      };
      const withPeriod: KeySet =
        patch.rotationPeriodSeconds === undefined
          ? next
          : patch.rotationPeriodSeconds === null
            ? withoutPeriod(next)
            : { ...next, rotationPeriodSeconds: patch.rotationPeriodSeconds };
      const row = toRow(withPeriod);
      await db
        .updateTable('jose_key_sets')
        .set({
          description: row.description,
          max_versions: row.max_versions,
          publish: row.publish,
          rotation_period_s: row.rotation_period_s,
          next_rotation_at: row.next_rotation_at,
          updated_at: now,
        })
        .where('tenant_id', '=', set.tenantId)
        .where('id', '=', set.id)
        .execute();
      return withPeriod;
    },
    /** Moves the set from version `from` to `to`; false when another writer moved it first. */
    async advance(set: KeySet, from: number, to: number, kid: string, now: number) {
      const period = set.rotationPeriodSeconds;
      const result = await db
        .updateTable('jose_key_sets')
        .set({
          current_version: to,
          current_kid: kid,
          rotated_at: now,
          updated_at: now,
          next_rotation_at: period === undefined ? null : now + period * 1000,
        })
        .where('tenant_id', '=', set.tenantId)
        .where('id', '=', set.id)
        .where('current_version', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async delete(tenantId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('jose_key_sets')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    /** Sets of every tenant whose scheduled rotation is due. */
    async due(now: number, limit: number): Promise<DueSet[]> {
      const rows = await db
        .selectFrom('jose_key_sets')
        .select(['tenant_id', 'id', 'current_version'])
        .where('next_rotation_at', '<=', now)
        .orderBy('next_rotation_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        id: r.id,
        currentVersion: Number(r.current_version),
      }));
    },
  };
}

export type KeySetRepo = ReturnType<typeof keySetRepoOn>;
