// @cryptoutil/db public API: the database factory, config schema, migrations and the
// cross-dialect helpers. The dual-dialect test helper lives at `@cryptoutil/db/testing`.
export { bigintType, binaryType } from './column-types.js';
export {
  createDatabase,
  type CreateDatabaseOptions,
  type Database,
  type DatabaseLogger,
} from './create-database.js';
export {
  databaseConfigSchema,
  type DatabaseConfig,
  type DatabaseConfigInput,
} from './database-config.js';
export {
  describeDatabaseUrl,
  isDatabaseUrl,
  parseDatabaseUrl,
  type Dialect,
  type ParsedDatabaseUrl,
} from './database-url.js';
export { isForeignKeyViolation, isUniqueViolation, violatedConstraint } from './db-errors.js';
export { MIGRATION_LOCK_KEY, type LockOptions } from './migration-lock.js';
export {
  listAppliedMigrations,
  MIGRATIONS_TABLE,
  runMigrations,
  validateMigrations,
  type AppliedMigration,
  type Migration,
  type RunMigrationsOptions,
} from './migrations.js';
export {
  createUuidV7Generator,
  isUuidV7,
  uuidv7,
  uuidv7Floor,
  uuidv7Timestamp,
  type UuidV7Options,
} from './uuidv7.js';
export { decodePageToken, encodePageToken, toOffsetPage } from './page-token.js';
export { startSqliteSideWriter, type SideWriter } from './sqlite-side-writer.js';
