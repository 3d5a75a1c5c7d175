// @cryptoutil/barrier: encryption at rest (ARCHITECTURE §4): the unseal → root → intermediate →
// content key chain, unseal key sources, prefix-scoped views and the kysely store.
export { BarrierError, isBarrierError, type BarrierErrorCode } from './barrier-error.js';
export { barrierMigrations } from './barrier-migrations.js';
export {
  KEY_LEVELS,
  type BarrierState as BarrierStoreState,
  type BarrierStore,
  type InitialKeys,
  type KeyLevel,
  type KeyRecord,
} from './barrier-store.js';
export {
  VIEW_HEADER,
  assertViewPrefix,
  type BarrierView,
  type ContentKeys,
} from './barrier-view.js';
export {
  createBarrier,
  type Barrier,
  type BarrierState,
  type BarrierStatus,
  type CreateBarrierOptions,
} from './create-barrier.js';
export { createJwkUnsealSource } from './jwk-unseal-source.js';
export { createKyselyBarrierStore, type BarrierTables } from './kysely-barrier-store.js';
export {
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  createSecretsUnsealSource,
  type SecretsUnsealOptions,
} from './secrets-unseal-source.js';
export {
  createDevUnsealSource,
  createSharesUnsealSource,
  kidForKey,
  type UnsealKey,
  type UnsealKeySource,
  type UnsealMode,
} from './unseal-key-source.js';
export type { SharesUnsealResult } from './shares-unsealer.js';
export type { InitSharesOptions, ShareProgress } from './unseal-shares.js';
export { createKeyCache, type KeyCache } from './key-cache.js';
export { createFreshCache, type FreshCache, type FreshCacheOptions } from './fresh-cache.js';
export { barrierConfigSchema, loadUnsealSource, type BarrierConfig } from './barrier-config.js';
