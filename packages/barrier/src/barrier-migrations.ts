// The barrier's schema (ARCHITECTURE §3: 1xxx range, UUIDv7 text ids, epoch-ms bigints). Root
// keys are keyed by (id, parent_kid) because one root key is stored once per unseal key.
import { bigintType, type Migration } from '@cryptoutil/db';

const KEY_TABLES = ['barrier_intermediate_keys', 'barrier_content_keys'] as const;

export const barrierMigrations: Migration[] = [
  {
    version: 1001,
    name: 'create-barrier-keys',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema
        .createTable('barrier_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('threshold', 'integer')
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('barrier_root_keys')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('parent_kid', 'text', (c) => c.notNull())
        .addColumn('jwe', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('rotated_at', big)
        .addColumn('reason', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('barrier_root_keys_pk', ['id', 'parent_kid'])
        .execute();
      for (const table of KEY_TABLES) {
        await db.schema
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('parent_kid', 'text', (c) => c.notNull())
          .addColumn('jwe', 'text', (c) => c.notNull())
          .addColumn('created_at', big, (c) => c.notNull())
          .addColumn('rotated_at', big)
          .addColumn('reason', 'text', (c) => c.notNull())
          .execute();
      }
    },
  },
];
