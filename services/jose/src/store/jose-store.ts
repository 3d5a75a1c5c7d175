// JoseStore over @cryptoutil/db: the repositories on the shared kysely instance, and a unit of
// work that hands them all the same transaction (a rotation's new version, the set's advance,
// retirements beyond maxVersions and its audit record land together or not at all).
import type { Database } from '@cryptoutil/db';
import type { Kysely } from 'kysely';
import { auditRepoOn, type AuditRepo, type AuditTables } from './audit-repo.js';
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
  const on = (db: Kysely<JoseTables>, inTransaction: boolean): JoseStore => ({
    sets: keySetRepoOn(db),
    versions: keyVersionRepoOn(db),
    audit: auditRepoOn(db, database.dialect),
    transaction(work) {
      if (inTransaction) throw new TypeError('JoseStore units of work do not nest');
      return db.transaction().execute((trx) => work(on(trx, true)));
    },
  });
  return on(database.kysely, false);
}
