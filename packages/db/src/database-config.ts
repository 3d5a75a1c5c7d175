// The `database` config section every service embeds: which database to open, pool limits for
// PostgreSQL, and whether a server applies pending migrations when it starts.
import { secret } from '@cryptoutil/config';
import { z } from 'zod';
import { isDatabaseUrl } from './database-url.js';

// The inner string and the defaulted field are both marked secret, so the loader finds the
// mark whether it looks at the field or at the schema under its default wrapper.
const urlString = secret(
  z.string().refine(isDatabaseUrl, {
    message: 'expected ":memory:", "sqlite:<path>" or a postgres:// URL',
  }),
);

export const databaseConfigSchema = z
  .object({
    url: secret(
      urlString
        .default(':memory:')
        .describe(
          'Database URL: ":memory:", "sqlite:./data/kms.db", "sqlite:///abs/path.db" for embedded SQLite, or "postgres://user:pass@host:5432/db" for PostgreSQL. Secret: may be a file:///run/secrets/name reference.',
        ),
    ),
    pool: z
      .object({
        max: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(10)
          .describe('PostgreSQL: maximum number of pooled connections.'),
        idleTimeoutMs: z
          .number()
          .int()
          .min(0)
          .default(30_000)
          .describe('PostgreSQL: milliseconds an idle pooled connection stays open (0 keeps it).'),
        connectionTimeoutMs: z
          .number()
          .int()
          .min(0)
          .default(10_000)
          .describe('PostgreSQL: milliseconds to wait for a new connection (0 waits forever).'),
      })
      .prefault({})
      .describe('Connection pool settings (ignored for SQLite, which uses one connection).'),
    migrate: z
      .boolean()
      .default(true)
      .describe(
        'Apply pending migrations when a server starts; false leaves it to `cryptoutil <product> migrate`.',
      ),
  })
  .describe('Database connection.');

export type DatabaseConfig = z.output<typeof databaseConfigSchema>;
export type DatabaseConfigInput = z.input<typeof databaseConfigSchema>;
