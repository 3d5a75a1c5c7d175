// Migration 2002: material_keys, the versions of an elastic key (ARCHITECTURE §3, §5). The id
// is the JOSE `kid`. Private parts are a barrier JWE (never clear text); the public part of an
// asymmetric key is stored in clear as a JWK. Listing the newest active version of one elastic
// key is the hot query, so the index leads with (elastic_key_id, status, created_at).
import { bigintType, type Migration } from '@cryptoutil/db';

export const createMaterialKeys: Migration = {
  version: 2002,
  name: 'create-material-keys',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('material_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('elastic_key_id', 'text', (c) =>
        c.notNull().references('elastic_keys.id').onDelete('restrict'),
      )
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text')
      .addColumn('private_jwe', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('revoked_at', big)
      .execute();
    await db.schema
      .createIndex('material_keys_elastic_status_idx')
      .on('material_keys')
      .columns(['elastic_key_id', 'status', 'created_at', 'id'])
      .execute();
  },
};
