// Migration 4002: ca_certificates, every enrollment and what became of it: pending (waiting for
// an admin), rejected, issued or revoked. Serials are unique per issuer (RFC 5280 §4.1.2.2); the
// CRL of an issuer reads its revoked rows by (issuer_id, status); tenants list theirs newest
// first by the UUIDv7 id. SANs are kept as text (`DNS:a.example, IP:10.0.0.1`) for filtering.
import { bigintType, binaryType, type Migration } from '@cryptoutil/db';

export const createCertificates: Migration = {
  version: 4002,
  name: 'create-ca-certificates',
  async up(db, dialect) {
    const big = bigintType(dialect);
    const bin = binaryType(dialect);
    await db.schema
      .createTable('ca_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('profile', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('serial', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('sans', 'text', (c) => c.notNull())
      .addColumn('not_before', big)
      .addColumn('not_after', big)
      .addColumn('validity_days', 'integer')
      .addColumn('der', bin)
      .addColumn('csr', bin, (c) => c.notNull())
      .addColumn('partition', 'integer')
      .addColumn('revoked_at', big)
      .addColumn('revocation_reason', 'text')
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .addUniqueConstraint('ca_certificates_issuer_serial_uq', ['issuer_id', 'serial'])
      .execute();
    await db.schema
      .createIndex('ca_certificates_tenant_idx')
      .on('ca_certificates')
      .columns(['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('ca_certificates_issuer_status_idx')
      .on('ca_certificates')
      .columns(['issuer_id', 'status'])
      .execute();
  },
};
