// KmsStore over @cryptoutil/db: the two repos on the shared kysely instance, and a unit of
// work that hands both repos the same transaction. Units of work do not nest.
import { uuidv7, type Database } from '@cryptoutil/db';
import type { Kysely } from 'kysely';
import type { KmsStore } from '../domain/kms-store.js';
import { elasticKeyRepoOn } from './elastic-key-repo.js';
import type { ElasticKeyTables } from './elastic-key-row.js';
import { materialKeyRepoOn, type MaterialKeyTables } from './material-key-repo.js';

export type KmsTables = ElasticKeyTables & MaterialKeyTables;

export interface KmsStoreOptions {
  /** Clock for timestamps (tests inject one). */
  readonly now?: () => number;
  readonly newId?: () => string;
}

export function createKmsStore(database: Database<unknown>, options: KmsStoreOptions = {}) {
  const now = options.now ?? Date.now;
  const repoOptions = { now, newId: options.newId ?? uuidv7 };
  const on = (db: Kysely<KmsTables>, inTransaction: boolean): KmsStore => ({
    elasticKeys: elasticKeyRepoOn(db, repoOptions, inTransaction),
    materialKeys: materialKeyRepoOn(db, now),
    transaction(work) {
      if (inTransaction) throw new TypeError('KmsStore units of work do not nest');
      return db.transaction().execute((trx) => work(on(trx, true)));
    },
  });
  return on(database.kysely, false);
}
