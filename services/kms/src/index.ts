// @cryptoutil/kms: the key management service (ARCHITECTURE §5). So far: the elastic-key
// domain (algorithms, name rules, status machine, repository interface) and its kysely store.
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
export {
  createElasticKeyRepo,
  MAX_PAGE_SIZE,
  type ElasticKeyRepoOptions,
  type ElasticKeyRow,
  type ElasticKeyTables,
} from './store/elastic-key-repo.js';
export { kmsMigrations } from './store/kms-migrations.js';
