// @cryptoutil/kms: the key management service (ARCHITECTURE §5): the product definition the
// CLI runs, and its domain, store and service layers for tests and other packages.
export {
  CONTENT_ENCRYPTIONS,
  ELASTIC_KEY_ALGORITHMS,
  elasticKeyAlgorithmSchema,
  KEY_MANAGEMENT_ALGORITHMS,
  SIGNING_ALGORITHMS,
  toAlgorithmParts,
  type AlgorithmParts,
  type ContentEncryption,
  type ElasticKeyAlgorithm,
  type EncryptionAlgorithm,
  type KeyManagementAlgorithm,
  type SigningAlgorithm,
} from './domain/algorithms.js';
export {
  ELASTIC_KEY_EVENTS,
  ELASTIC_KEY_STATUSES,
  elasticKeyDescriptionSchema,
  elasticKeyNameSchema,
  elasticKeyStatusSchema,
  transition,
  type ElasticKey,
  type ElasticKeyEvent,
  type ElasticKeyPage,
  type ElasticKeyPatch,
  type ElasticKeyProvider,
  type ElasticKeyQuery,
  type ElasticKeyRepo,
  type ElasticKeySort,
  type ElasticKeyStatus,
  type NewElasticKey,
} from './domain/elastic-key.js';
export { isKmsError, KmsError, type KmsErrorCode } from './domain/kms-error.js';
export { createElasticKeyRepo, type ElasticKeyRepoOptions } from './store/elastic-key-repo.js';
export { MAX_PAGE_SIZE } from './store/elastic-key-list.js';
export type { ElasticKeyRow, ElasticKeyTables } from './store/elastic-key-row.js';
export { kmsMigrations } from './store/kms-migrations.js';
export { kmsConfigSchema, type KmsConfig } from './config.js';
export { kmsProduct } from './product.js';
export { renderKmsOpenApi } from './openapi.js';
export { createKmsStore, type KmsStoreOptions, type KmsTables } from './store/kms-store.js';
export type { KmsStore } from './domain/kms-store.js';
export {
  materialAad,
  type MaterialKey,
  type MaterialKeyRepo,
  type SealedMaterialKey,
} from './domain/material-key.js';
