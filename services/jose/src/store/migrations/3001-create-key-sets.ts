// Migration 3001: jose_key_sets, the JWK sets (ARCHITECTURE §3: UUIDv7 text ids, epoch-ms
// bigints, booleans as 0/1 integers). Names are unique per tenant; `current_version` is the
// compare-and-set anchor of rotation, so two instances never both rotate one set.
import { bigintType, type Migration } from '@cryptoutil/db';

export const createKeySets: Migration = {
  version: 3001,
  name: 'create-jose-key-sets',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('jose_key_sets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('use', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('enc', 'text')
      .addColumn('kty', 'text', (c) => c.notNull())
      .addColumn('size', 'integer')
      .addColumn('crv', 'text')
      .addColumn('kid_format', 'text', (c) => c.notNull())
      .addColumn('max_versions', 'integer', (c) => c.notNull())
      .addColumn('rotation_period_s', 'integer')
      .addColumn('publish', 'integer', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('current_kid', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .addColumn('rotated_at', big, (c) => c.notNull())
      .addColumn('next_rotation_at', big)
      .addUniqueConstraint('jose_key_sets_tenant_name_uq', ['tenant_id', 'name'])
      .execute();
    await db.schema
      .createIndex('jose_key_sets_tenant_created_idx')
      .on('jose_key_sets')
      .columns(['tenant_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('jose_key_sets_next_rotation_idx')
      .on('jose_key_sets')
      .column('next_rotation_at')
      .execute();
  },
};
