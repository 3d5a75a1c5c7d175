// @cryptoutil/db/testing: runs one suite against SQLite and PostgreSQL (see the package README).
import { createDescribeEachDialect, type DialectContext } from './describe-each-dialect.js';

export {
  createDescribeEachDialect,
  failUnreachable,
  type DescribeEachDialectOptions,
  type DialectContext,
  type TestDatabaseOptions,
} from './describe-each-dialect.js';
export {
  containerRuntimeAvailable,
  planPostgres,
  type Env,
  type PostgresPlan,
  type PostgresServer,
} from './postgres-source.js';

/**
 * Registers `describe('<name> [sqlite]')` and `describe('<name> [postgres]')` around `fn`.
 * PostgreSQL comes from TEST_POSTGRES_URL, else testcontainers, else the suite is skipped with
 * the reason (or fails when CI=true).
 */
export const describeEachDialect: (name: string, fn: (ctx: DialectContext) => void) => void =
  // eslint-disable-next-line no-restricted-properties -- test helper: the test environment picks the PostgreSQL source (ARCHITECTURE §3)
  createDescribeEachDialect(process.env);
