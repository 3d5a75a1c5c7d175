// @cryptoutil/ca: the certificate authority (ARCHITECTURE §5, issue 5): the product definition
// the CLI runs, and what tests and tools need from it.
export { caConfigSchema, type CaConfig } from './config.js';
export { CA_SCOPES, caProduct, revocationBaseUrl } from './product.js';
export { CaError, isCaError, type CaErrorCode } from './domain/ca-error.js';
export { REVOCATION_REASONS, type RevocationReason } from './domain/revocation.js';
export { caMigrations } from './store/ca-migrations.js';
export { caProblems } from './routes/ca-problems.js';
export * from './ceremony.js';
export { loadProfiles, SHIPPED_PROFILES_DIR } from './domain/load-profiles.js';
