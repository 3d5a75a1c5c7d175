// Migration 3003: jose_audit, the audit log (issue 4). Admins read it newest first per tenant,
// hence the (tenant_id, at, id) index; retention deletes by id (UUIDv7, time-ordered), which
// the primary key serves, so no index on `at` alone is kept up on every insert.
import { bigintType, type Migration } from '@cryptoutil/db';

export const createAudit: Migration = {
  version: 3003,
  name: 'create-jose-audit',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('jose_audit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('at', big, (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('failure', 'text')
      .addColumn('set_id', 'text')
      .addColumn('version', 'integer')
      .addColumn('kid', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema
      .createIndex('jose_audit_tenant_at_idx')
      .on('jose_audit')
      .columns(['tenant_id', 'at', 'id'])
      .execute();
  },
};
