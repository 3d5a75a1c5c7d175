// CaStore over @cryptoutil/db: the repositories on the shared kysely instance, and a unit of
// work that hands them all one transaction (an issuance and its audit record, a revocation,
// its revision bump and its audit record land together or not at all).
import type { Database } from '@cryptoutil/db';
import type { Kysely } from 'kysely';
import { auditRepoOn, type AuditRepo, type AuditTables } from './audit-repo.js';
import { authorityRepoOn, type AuthorityRepo, type AuthorityTables } from './authority-repo.js';
import {
  certificateRepoOn,
  type CertificateRepo,
  type CertificateTables,
} from './certificate-repo.js';

export type CaTables = AuthorityTables & CertificateTables & AuditTables;

export interface CaStore {
  readonly authorities: AuthorityRepo;
  readonly certificates: CertificateRepo;
  readonly audit: AuditRepo;
  /** Runs `work` in one database transaction; a throw rolls every write back. */
  transaction<T>(work: (store: CaStore) => Promise<T>): Promise<T>;
}

export function createCaStore(database: Database<unknown>): CaStore {
  const on = (db: Kysely<CaTables>, inTransaction: boolean): CaStore => ({
    authorities: authorityRepoOn(db),
    certificates: certificateRepoOn(db),
    audit: auditRepoOn(db),
    transaction(work) {
      if (inTransaction) throw new TypeError('CaStore units of work do not nest');
      return db.transaction().execute((trx) => work(on(trx, true)));
    },
  });
  return on(database.kysely, false);
}
