// ElasticKeyRepo over @cryptoutil/db (SQLite or PostgreSQL, same SQL). Every statement filters
// on tenant_id first, so another tenant's key is indistinguishable from a missing one. Status
// changes are optimistic: the UPDATE repeats the status it was computed from, so a concurrent
// change makes it touch no row instead of overwriting the winner.
import { isUniqueViolation, uuidv7, type Database } from '@cryptoutil/db';
import type { Kysely, Selectable } from 'kysely';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import {
  transition,
  type ElasticKey,
  type ElasticKeyEvent,
  type ElasticKeyPatch,
  type ElasticKeyProvider,
  type ElasticKeyQuery,
  type ElasticKeyRepo,
  type ElasticKeyStatus,
  type NewElasticKey,
} from '../domain/elastic-key.js';
import { KmsError } from '../domain/kms-error.js';
import { decodePageToken, encodePageToken } from './page-token.js';

export interface ElasticKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  algorithm: string;
  provider: string;
  versioning_allowed: number;
  import_allowed: number;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface ElasticKeyTables {
  elastic_keys: ElasticKeyRow;
}

export interface ElasticKeyRepoOptions {
  /** Clock for created_at/updated_at (tests inject one). */
  readonly now?: () => number;
  readonly newId?: () => string;
}

const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

const toKey = (r: Selectable<ElasticKeyRow>): ElasticKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  algorithm: r.algorithm as ElasticKeyAlgorithm,
  provider: r.provider as ElasticKeyProvider,
  versioningAllowed: Number(r.versioning_allowed) === 1,
  importAllowed: Number(r.import_allowed) === 1,
  status: r.status as ElasticKeyStatus,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

async function mapNameTaken<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new KmsError('name-taken', `an elastic key named ${name} exists`, { cause: err });
    }
    throw err;
  }
}

function pageSizeOf(query: ElasticKeyQuery): number {
  const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new TypeError(`pageSize must be an integer in 1..${MAX_PAGE_SIZE}`);
  }
  return size;
}

async function listKeys(
  db: Kysely<ElasticKeyTables>,
  tenantId: string,
  query: ElasticKeyQuery,
): Promise<{ items: ElasticKey[]; nextPageToken?: string }> {
  const size = pageSizeOf(query);
  const offset = query.pageToken === undefined ? 0 : decodePageToken(query.pageToken);
  const order = query.order ?? 'asc';
  let q = db.selectFrom('elastic_keys').selectAll().where('tenant_id', '=', tenantId);
  // An empty filter list matches nothing, as `IN ()` would; kysely refuses to emit it.
  const filters = [
    ['id', query.ids],
    ['name', query.names],
    ['algorithm', query.algorithms],
    ['status', query.statuses],
  ] as const;
  for (const [column, values] of filters) {
    if (values === undefined) continue;
    if (values.length === 0) return { items: [] };
    q = q.where(column, 'in', [...values]);
  }
  const rows = await q
    .orderBy(query.sort ?? 'created_at', order)
    .orderBy('id', order)
    .limit(size + 1)
    .offset(offset)
    .execute();
  const items = rows.slice(0, size).map(toKey);
  return rows.length > size ? { items, nextPageToken: encodePageToken(offset + size) } : { items };
}

interface Ctx {
  readonly db: Kysely<ElasticKeyTables>;
  readonly now: () => number;
}

async function findKey(db: Kysely<ElasticKeyTables>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('elastic_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toKey(row);
}

function toNewRow(key: NewElasticKey, id: string, at: number): ElasticKeyRow {
  return {
    id,
    tenant_id: key.tenantId,
    name: key.name,
    description: key.description ?? '',
    algorithm: key.algorithm,
    provider: key.provider ?? 'Internal',
    versioning_allowed: key.versioningAllowed ? 1 : 0,
    import_allowed: key.importAllowed ? 1 : 0,
    status: key.status ?? 'creating',
    created_at: at,
    updated_at: at,
  };
}

async function updateKey(ctx: Ctx, key: { tenantId: string; id: string }, patch: ElasticKeyPatch) {
  const changes = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.description === undefined ? {} : { description: patch.description }),
    updated_at: ctx.now(),
  };
  const result = await mapNameTaken(patch.name ?? '', () =>
    ctx.db
      .updateTable('elastic_keys')
      .set(changes)
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .executeTakeFirst(),
  );
  if (result.numUpdatedRows === 0n) return undefined;
  return findKey(ctx.db, key.tenantId, key.id);
}

function applyEvent(ctx: Ctx, key: { tenantId: string; id: string }, event: ElasticKeyEvent) {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await findKey(trx, key.tenantId, key.id);
    if (!current) return undefined;
    const status = transition(current.status, event);
    const result = await trx
      .updateTable('elastic_keys')
      .set({ status, updated_at: ctx.now() })
      .where('tenant_id', '=', key.tenantId)
      .where('id', '=', key.id)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new KmsError('invalid-transition', 'the elastic key changed status meanwhile');
    }
    return findKey(trx, key.tenantId, key.id);
  });
}

export function createElasticKeyRepo<DB extends ElasticKeyTables>(
  database: Database<DB>,
  options: ElasticKeyRepoOptions = {},
): ElasticKeyRepo {
  const ctx: Ctx = {
    db: database.kysely as unknown as Kysely<ElasticKeyTables>,
    now: options.now ?? Date.now,
  };
  const newId = options.newId ?? uuidv7;
  return {
    async create(key) {
      const row = toNewRow(key, newId(), ctx.now());
      await mapNameTaken(key.name, () => ctx.db.insertInto('elastic_keys').values(row).execute());
      return toKey(row);
    },
    get: (tenantId, id) => findKey(ctx.db, tenantId, id),
    list: (tenantId, query = {}) => listKeys(ctx.db, tenantId, query),
    update: (tenantId, id, patch) => updateKey(ctx, { tenantId, id }, patch),
    setStatus: (tenantId, id, event) => applyEvent(ctx, { tenantId, id }, event),
  };
}
