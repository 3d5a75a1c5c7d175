// @cryptoutil/jose: the JOSE Authority (ARCHITECTURE §5, issue 4): the product definition the
// CLI runs, and its config, domain and store for tests and other packages.
export { joseConfigSchema, type JoseConfig } from './config.js';
export { JOSE_SCOPES, joseProduct } from './product.js';
export { isJoseError, JoseError, type JoseErrorCode } from './domain/jose-error.js';
export {
  KID_FORMATS,
  resolveSpec,
  type KeySet,
  type KeySetSpec,
  type KeyVersion,
  type KidFormat,
} from './domain/key-set.js';
export { AUDIT_OPERATIONS, type AuditRecord } from './domain/audit.js';
export { JWT_CHECKS, type JwtCheck } from './crypto/jwt.js';
export { joseMigrations } from './store/jose-migrations.js';
export { createJoseStore, type JoseStore, type JoseTables } from './store/jose-store.js';
