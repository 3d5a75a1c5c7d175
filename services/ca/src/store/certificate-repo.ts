// Certificates over kysely. Tenant-facing reads and changes filter on the tenant, so another
// tenant's certificate is simply not found; the revocation readers (CRL, OCSP) work per issuer
// across tenants, since revocation data is public. State changes are compare-and-set on
// `status`, so a certificate is revoked, approved or rejected once however many ask together.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CertificateQuery, CertificateRecord, Page } from '../domain/certificate.js';
import type { RevocationReason, RevokedEntry } from '../domain/revocation.js';
import { bytesOf, pageWindow, toBlob, toPage } from './paging.js';

export interface CertificateRow {
  id: string;
  tenant_id: string;
  issuer_id: string;
  profile: string;
  status: string;
  serial: string | null;
  subject: string;
  sans: string;
  not_before: number | null;
  not_after: number | null;
  validity_days: number | null;
  der: Uint8Array | null;
  csr: Uint8Array;
  partition: number | null;
  revoked_at: number | null;
  revocation_reason: string | null;
  requested_by: string;
  decided_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CertificateTables {
  ca_certificates: CertificateRow;
}

const SAN_SEPARATOR = '\n';

function toRecord(r: Selectable<CertificateRow>): CertificateRecord {
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    issuerId: r.issuer_id,
    profile: r.profile,
    status: r.status as CertificateRecord['status'],
    subject: r.subject,
    sans: r.sans === '' ? [] : r.sans.split(SAN_SEPARATOR),
    csr: bytesOf(r.csr),
    requestedBy: r.requested_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    ...optional('validityDays', r.validity_days === null ? null : Number(r.validity_days)),
    ...optional('serial', r.serial),
    ...optional('notBefore', r.not_before === null ? null : Number(r.not_before)),
    ...optional('notAfter', r.not_after === null ? null : Number(r.not_after)),
    ...optional('der', r.der === null ? null : bytesOf(r.der)),
    ...optional('partition', r.partition === null ? null : Number(r.partition)),
    ...optional('revokedAt', r.revoked_at === null ? null : Number(r.revoked_at)),
    ...optional('revocationReason', r.revocation_reason as RevocationReason | null),
    ...optional('decidedBy', r.decided_by),
  };
}

function toRow(c: CertificateRecord): CertificateRow {
  return {
    id: c.id,
    tenant_id: c.tenantId,
    issuer_id: c.issuerId,
    profile: c.profile,
    status: c.status,
    serial: c.serial ?? null,
    subject: c.subject,
    sans: c.sans.join(SAN_SEPARATOR),
    not_before: c.notBefore ?? null,
    not_after: c.notAfter ?? null,
    validity_days: c.validityDays ?? null,
    der: c.der === undefined ? null : toBlob(c.der),
    csr: toBlob(c.csr),
    partition: c.partition ?? null,
    revoked_at: c.revokedAt ?? null,
    revocation_reason: c.revocationReason ?? null,
    requested_by: c.requestedBy,
    decided_by: c.decidedBy ?? null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface IssuedFields {
  readonly serial: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly der: Uint8Array;
  readonly partition: number;
  readonly subject: string;
  readonly sans: readonly string[];
}

export function certificateRepoOn(db: Kysely<CertificateTables>) {
  const scoped = (tenantId: string) =>
    db.selectFrom('ca_certificates').selectAll().where('tenant_id', '=', tenantId);
  return {
    async insert(record: CertificateRecord): Promise<void> {
      await db.insertInto('ca_certificates').values(toRow(record)).execute();
    },
    async get(tenantId: string, id: string): Promise<CertificateRecord | undefined> {
      const row = await scoped(tenantId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async list(tenantId: string, query: CertificateQuery): Promise<Page<CertificateRecord>> {
      const { size, offset } = pageWindow(query);
      let q = scoped(tenantId);
      if (query.profile !== undefined) q = q.where('profile', '=', query.profile);
      if (query.status !== undefined) q = q.where('status', '=', query.status);
      if (query.issuer !== undefined) q = q.where('issuer_id', '=', query.issuer);
      if (query.serial !== undefined) q = q.where('serial', '=', query.serial);
      if (query.subject !== undefined) {
        q = q.where(sql<boolean>`lower(subject) like ${containing(query.subject)} escape '\\'`);
      }
      if (query.san !== undefined) {
        q = q.where(sql<boolean>`lower(sans) like ${containing(query.san)} escape '\\'`);
      }
      if (query.expiresBefore !== undefined) q = q.where('not_after', '<', query.expiresBefore);
      if (query.expiresAfter !== undefined) q = q.where('not_after', '>=', query.expiresAfter);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(size + 1)
        .offset(offset)
        .execute();
      return toPage(rows, size, offset, toRecord);
    },
    /** pending → issued; false when it was no longer pending. */
    async markIssued(id: string, fields: IssuedFields, decidedBy: string | undefined, now: number) {
      const result = await db
        .updateTable('ca_certificates')
        .set({
          status: 'issued',
          serial: fields.serial,
          not_before: fields.notBefore,
          not_after: fields.notAfter,
          der: toBlob(fields.der),
          partition: fields.partition,
          subject: fields.subject,
          sans: fields.sans.join(SAN_SEPARATOR),
          decided_by: decidedBy ?? null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** pending → rejected; false when it was no longer pending. */
    async markRejected(id: string, decidedBy: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('ca_certificates')
        .set({ status: 'rejected', decided_by: decidedBy, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /**
     * issued → revoked, or a hold (revoked, certificateHold) made permanent with another
     * reason (RFC 5280 §5.3.1); false when the certificate was in neither state.
     */
    async markRevoked(id: string, at: number, reason: RevocationReason, now: number) {
      const result = await db
        .updateTable('ca_certificates')
        .set({ status: 'revoked', revoked_at: at, revocation_reason: reason, updated_at: now })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('status', '=', 'issued'),
            eb.and([eb('status', '=', 'revoked'), eb('revocation_reason', '=', 'certificateHold')]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** A hold released (removeFromCRL): revoked/certificateHold → issued. */
    async releaseHold(id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('ca_certificates')
        .set({ status: 'issued', revoked_at: null, revocation_reason: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'revoked')
        .where('revocation_reason', '=', 'certificateHold')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Every revoked certificate of an issuer (and of one partition when given), for CRLs. */
    async revokedOf(issuerId: string, partition?: number): Promise<RevokedEntry[]> {
      let q = db
        .selectFrom('ca_certificates')
        .select(['serial', 'revoked_at', 'revocation_reason'])
        .where('issuer_id', '=', issuerId)
        .where('status', '=', 'revoked');
      if (partition !== undefined) q = q.where('partition', '=', partition);
      const rows = await q.execute();
      return rows.map((r) => ({
        serial: r.serial as string,
        revokedAt: new Date(Number(r.revoked_at)),
        ...(r.revocation_reason === null || r.revocation_reason === 'unspecified'
          ? {}
          : { reason: r.revocation_reason as RevocationReason }),
      }));
    },
    /** Status of one serial of an issuer, for OCSP; undefined when the CA never issued it. */
    async statusOf(issuerId: string, serial: string) {
      const row = await db
        .selectFrom('ca_certificates')
        .select(['status', 'revoked_at', 'revocation_reason'])
        .where('issuer_id', '=', issuerId)
        .where('serial', '=', serial)
        .executeTakeFirst();
      if (row === undefined || (row.status !== 'issued' && row.status !== 'revoked')) return;
      return row.status === 'issued'
        ? { status: 'good' as const }
        : {
            status: 'revoked' as const,
            revokedAt: new Date(Number(row.revoked_at)),
            ...(row.revocation_reason === null || row.revocation_reason === 'unspecified'
              ? {}
              : { reason: row.revocation_reason as RevocationReason }),
          };
    },
  };
}

export type CertificateRepo = ReturnType<typeof certificateRepoOn>;
