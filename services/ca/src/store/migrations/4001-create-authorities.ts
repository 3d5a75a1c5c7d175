// Migration 4001: ca_authorities, the CA hierarchy (ARCHITECTURE §3, §5 CA). One row per CA of
// the configured hierarchy, made at first start or imported: its certificate (DER), its private
// key wrapped under the barrier (absent for an offline root), the delegated OCSP responder of an
// issuing CA, and two counters: `crl_number` (RFC 5280 §5.2.3, taken by every CRL generated)
// and `revision`, bumped by every revocation change so that each instance sees when its cached
// CRLs and OCSP responses are stale.
import { bigintType, binaryType, type Migration } from '@cryptoutil/db';

export const createAuthorities: Migration = {
  version: 4001,
  name: 'create-ca-authorities',
  async up(db, dialect) {
    const big = bigintType(dialect);
    const bin = binaryType(dialect);
    await db.schema
      .createTable('ca_authorities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('parent_id', 'text')
      .addColumn('issuing', 'integer', (c) => c.notNull())
      .addColumn('certificate', bin, (c) => c.notNull())
      .addColumn('wrapped_key', 'text')
      .addColumn('ocsp_certificate', bin)
      .addColumn('ocsp_wrapped_key', 'text')
      .addColumn('crl_number', big, (c) => c.notNull())
      .addColumn('revision', big, (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .execute();
  },
};
