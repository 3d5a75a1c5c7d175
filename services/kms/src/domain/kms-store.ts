// The KMS's storage as the service layer sees it: both repositories and a unit of work, so a
// write that touches both (create a key with its first version) lands whole or not at all.
import type { ElasticKeyRepo } from './elastic-key.js';
import type { MaterialKeyRepo } from './material-key.js';

export interface KmsStore {
  readonly elasticKeys: ElasticKeyRepo;
  readonly materialKeys: MaterialKeyRepo;
  /** Runs `work` in one database transaction; a throw rolls every write back. */
  transaction<T>(work: (store: KmsStore) => Promise<T>): Promise<T>;
}
