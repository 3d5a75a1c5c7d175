// The elastic_keys row as kysely sees it, and its conversion to the domain type.
import type { Selectable } from 'kysely';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import type { ElasticKey, ElasticKeyProvider, ElasticKeyStatus } from '../domain/elastic-key.js';

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

export const toKey = (r: Selectable<ElasticKeyRow>): ElasticKey => ({
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
