// Migration 3002: jose_key_versions, one row per version of a set. The private JWK is a barrier
// JWE (never clear text); the public JWK of an asymmetric key is stored in clear. A kid is
// unique per tenant, so a kid alone finds the version verify and decrypt need.
import { bigintType, type Migration } from '@cryptoutil/db';

export const createKeyVersions: Migration = {
  version: 3002,
  name: 'create-jose-key-versions',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('jose_key_versions')
      .addColumn('set_id', 'text', (c) =>
        c.notNull().references('jose_key_sets.id').onDelete('cascade'),
      )
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text')
      .addColumn('private_jwe', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('retired_at', big)
      .addPrimaryKeyConstraint('jose_key_versions_pk', ['set_id', 'version'])
      .addUniqueConstraint('jose_key_versions_tenant_kid_uq', ['tenant_id', 'kid'])
      .execute();
  },
};
