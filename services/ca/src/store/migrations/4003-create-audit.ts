// Migration 4003: ca_audit, a record of every enrollment, decision, issuance and revocation
// (issue 5): who, which certificate, what, how it ended, the request id. Records are written in
// the transaction of the change they record. Admins read a tenant's newest first by the UUIDv7
// id, which also serves retention.
import { bigintType, type Migration } from '@cryptoutil/db';

export const createAudit: Migration = {
  version: 4003,
  name: 'create-ca-audit',
  async up(db, dialect) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('ca_audit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('at', big, (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('failure', 'text')
      .addColumn('certificate_id', 'text')
      .addColumn('issuer_id', 'text')
      .addColumn('serial', 'text')
      .addColumn('profile', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema
      .createIndex('ca_audit_tenant_idx')
      .on('ca_audit')
      .columns(['tenant_id', 'id'])
      .execute();
  },
};
