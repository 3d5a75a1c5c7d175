// JoseStore over @cryptoutil/db: the repositories on the shared kysely instance, and a unit of
// work that hands them all the same transaction (a rotation's new version, the set's advance,
// retirements beyond maxVersions and its audit record land together or not at all).
import type { Database } from '@cryptoutil/db';
import type { Kysely } from 'kysely';
import {
  auditRepoOn,
  sqliteAuditInsertSql,
  type AuditRepo,
  type AuditTables,
} from './audit-repo.js';
import { keySetRepoOn, type KeySetRepo, type KeySetTables } from './key-set-repo.js';
import {
  keyVersionRepoOn,
  type KeyVersionRepo,
  type KeyVersionTables,
} from './key-version-repo.js';

export type JoseTables = KeySetTables & KeyVersionTables & AuditTables;

export interface JoseStore {
  readonly sets: KeySetRepo;
  readonly versions: KeyVersionRepo;
  readonly audit: AuditRepo;
  /** Runs `work` in one database transaction; a throw rolls every write back. */
  transaction<T>(work: (store: JoseStore) => Promise<T>): Promise<T>;
}

export function createJoseStore(database: Database<unknown>): JoseStore {
  const root = database.kysely as Kysely<JoseTables>;
  // Batched audit records are written off the request thread where the database allows it: a
  // SQLite file gets a side writer with its own connection.
  const sideWriter =
    database.dialect === 'sqlite' ? database.sideWriter(sqliteAuditInsertSql(root)) : undefined;
  // A unit of work and a side write never overlap. SQLite begins a transaction deferred, and a
  // transaction that read before another connection committed cannot then write (SQLITE_BUSY,
  // which no busy timeout waits out); the one connection of this process already runs its
  // transactions one at a time.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  };
  // Should the side writer fail (its worker gone, say), the batch is written on this connection
  // instead; a batch that cannot be written there either fails as it always did.
  const mainAudit = auditRepoOn(root, database.dialect);
  const sideInsert =
    sideWriter === undefined
      ? undefined
      : (json: string) =>
          inTurn(() => sideWriter.run(json)).catch(() => inTurn(() => mainAudit.insertJson(json)));
  const on = (db: Kysely<JoseTables>, inTransaction: boolean): JoseStore => ({
    sets: keySetRepoOn(db),
    versions: keyVersionRepoOn(db),
    audit: auditRepoOn(db, database.dialect, inTransaction ? undefined : sideInsert),
    transaction(work) {
      if (inTransaction) throw new TypeError('JoseStore units of work do not nest');
      const unit = () => db.transaction().execute((trx) => work(on(trx, true)));
      return sideWriter === undefined ? unit() : inTurn(unit);
    },
  });
  return on(root, false);
}
