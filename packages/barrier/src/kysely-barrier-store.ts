// BarrierStore over @cryptoutil/db (SQLite or PostgreSQL, same SQL). Initialisation claims the
// singleton `barrier_state` row first, so when two instances initialise an empty store together
// the loser's transaction fails on the primary key and rolls back whole.
import { isUniqueViolation, type Database } from '@cryptoutil/db';
import type { Kysely, Selectable } from 'kysely';
import type {
  BarrierState,
  BarrierStore,
  InitialKeys,
  KeyLevel,
  KeyRecord,
} from './barrier-store.js';
import type { UnsealMode } from './unseal-key-source.js';

interface KeyRow {
  id: string;
  parent_kid: string;
  jwe: string;
  created_at: number;
  rotated_at: number | null;
  reason: string;
}

export interface BarrierTables {
  barrier_state: { id: number; mode: string; threshold: number | null; created_at: number };
  barrier_root_keys: KeyRow;
  barrier_intermediate_keys: KeyRow;
  barrier_content_keys: KeyRow;
}

const TABLE = {
  root: 'barrier_root_keys',
  intermediate: 'barrier_intermediate_keys',
  content: 'barrier_content_keys',
} as const satisfies Record<KeyLevel, keyof BarrierTables>;

const toRow = (r: KeyRecord): KeyRow => ({
  id: r.id,
  parent_kid: r.parentKid,
  jwe: r.jwe,
  created_at: r.createdAt,
  rotated_at: r.rotatedAt,
  reason: r.reason,
});

const toRecord = (r: Selectable<KeyRow>): KeyRecord => ({
  id: r.id,
  parentKid: r.parent_kid,
  jwe: r.jwe,
  createdAt: Number(r.created_at),
  rotatedAt: r.rotated_at === null ? null : Number(r.rotated_at),
  reason: r.reason,
});

export function createKyselyBarrierStore<DB extends BarrierTables>(
  database: Database<DB>,
): BarrierStore {
  const db = database.kysely as unknown as Kysely<BarrierTables>;
  return {
    async loadState() {
      const row = await db.selectFrom('barrier_state').selectAll().executeTakeFirst();
      if (!row) return undefined;
      const state: BarrierState = {
        mode: row.mode as UnsealMode,
        threshold: row.threshold,
        createdAt: Number(row.created_at),
      };
      return state;
    },
    async initialize(state, keys) {
      try {
        await db.transaction().execute(async (trx) => insertInitial(trx, state, keys));
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async findRootKeys(parentKids) {
      if (parentKids.length === 0) return [];
      const rows = await db
        .selectFrom('barrier_root_keys')
        .selectAll()
        .where('parent_kid', 'in', [...parentKids])
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async rootKeyParents(id) {
      const rows = await db
        .selectFrom('barrier_root_keys')
        .select('parent_kid')
        .where('id', '=', id)
        .orderBy('parent_kid')
        .execute();
      return rows.map((r) => r.parent_kid);
    },
    async findKey(level, id) {
      const row = await db
        .selectFrom(TABLE[level])
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async currentKey(level) {
      const row = await db
        .selectFrom(TABLE[level])
        .selectAll()
        .where('rotated_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async rotate(level, records, rotatedAt) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable(TABLE[level])
          .set({ rotated_at: rotatedAt })
          .where('rotated_at', 'is', null)
          .execute();
        await trx.insertInto(TABLE[level]).values(records.map(toRow)).execute();
      });
    },
    async countKeys() {
      const count = async (level: KeyLevel): Promise<number> => {
        const row = await db
          .selectFrom(TABLE[level])
          .select((eb) => eb.fn.count<number>('id').distinct().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      };
      return {
        root: await count('root'),
        intermediate: await count('intermediate'),
        content: await count('content'),
      };
    },
  };
}

async function insertInitial(
  trx: Kysely<BarrierTables>,
  state: BarrierState,
  keys: InitialKeys,
): Promise<void> {
  await trx
    .insertInto('barrier_state')
    .values({ id: 1, mode: state.mode, threshold: state.threshold, created_at: state.createdAt })
    .execute();
  await trx.insertInto('barrier_root_keys').values(keys.root.map(toRow)).execute();
  await trx.insertInto('barrier_intermediate_keys').values(toRow(keys.intermediate)).execute();
  await trx.insertInto('barrier_content_keys').values(toRow(keys.content)).execute();
}
