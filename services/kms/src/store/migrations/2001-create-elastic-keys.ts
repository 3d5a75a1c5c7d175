// Migration 2001: the elastic_keys table (ARCHITECTURE §3: UUIDv7 text ids, epoch-ms bigints,
// booleans as 0/1 integers so both dialects read them alike). Names are unique per tenant.
import { bigintType, type Migration } from '@cryptoutil/db';

export const createElasticKeys: Migration = {
  version: 2001,
  name: 'create-elastic-keys',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('elastic_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('versioning_allowed', 'integer', (c) => c.notNull())
      .addColumn('import_allowed', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .addUniqueConstraint('elastic_keys_tenant_name_uq', ['tenant_id', 'name'])
      .execute();
    await db.schema
      .createIndex('elastic_keys_tenant_created_idx')
      .on('elastic_keys')
      .columns(['tenant_id', 'created_at', 'id'])
      .execute();
  },
};
