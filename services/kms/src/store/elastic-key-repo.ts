// ElasticKeyRepo over @cryptoutil/db (SQLite or PostgreSQL, same SQL). Every statement filters
// on tenant_id first, so another tenant's key is indistinguishable from a missing one. Status
// changes are optimistic: the UPDATE repeats the status it was computed from, so a concurrent
// change makes it touch no row instead of overwriting the winner.
import { isUniqueViolation, uuidv7, type Database } from '@cryptoutil/db';
import type { Kysely } from 'kysely';
import {
  transition,
  type ElasticKeyEvent,
  type ElasticKeyPatch,
  type ElasticKeyRepo,
  type NewElasticKey,
} from '../domain/elastic-key.js';
import { KmsError } from '../domain/kms-error.js';
import { listKeys } from './elastic-key-list.js';
import { toKey, type ElasticKeyRow, type ElasticKeyTables } from './elastic-key-row.js';

export interface ElasticKeyRepoOptions {
  /** Clock for created_at/updated_at (tests inject one). */
  readonly now?: () => number;
  readonly newId?: () => string;
}

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

interface Ctx {
  readonly db: Kysely<ElasticKeyTables>;
  readonly now: () => number;
  /** True when `db` already is a transaction (a KmsStore unit of work). */
  readonly inTransaction: boolean;
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
  const work = async (trx: Kysely<ElasticKeyTables>) => {
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
  };
  return ctx.inTransaction ? work(ctx.db) : ctx.db.transaction().execute(work);
}

export function createElasticKeyRepo<DB extends ElasticKeyTables>(
  database: Database<DB>,
  options: ElasticKeyRepoOptions = {},
): ElasticKeyRepo {
  return elasticKeyRepoOn(database.kysely as unknown as Kysely<ElasticKeyTables>, options, false);
}

/** The repo over `db`, which may be a transaction of a KmsStore unit of work. */
export function elasticKeyRepoOn(
  db: Kysely<ElasticKeyTables>,
  options: ElasticKeyRepoOptions,
  inTransaction: boolean,
): ElasticKeyRepo {
  const ctx: Ctx = { db, now: options.now ?? Date.now, inTransaction };
  const newId = options.newId ?? uuidv7;
  return {
    async create(key) {
      const row = toNewRow(key, key.id ?? newId(), ctx.now());
      await mapNameTaken(key.name, () => ctx.db.insertInto('elastic_keys').values(row).execute());
      return toKey(row);
    },
    get: (tenantId, id) => findKey(ctx.db, tenantId, id),
    list: (tenantId, query = {}) => listKeys(ctx.db, tenantId, query),
    update: (tenantId, id, patch) => updateKey(ctx, { tenantId, id }, patch),
    setStatus: (tenantId, id, event) => applyEvent(ctx, { tenantId, id }, event),
  };
}
