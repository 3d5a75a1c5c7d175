// The CA audit log over kysely: a record written in the transaction of the change it records,
// a tenant's records newest first (UUIDv7 ids are time-ordered) with filters and offset pages,
// and retention by id.
import { uuidv7Floor } from '@cryptoutil/db';
import type { Kysely, Selectable } from 'kysely';
import type { AuditOperation, AuditOutcome, AuditQuery, AuditRecord } from '../domain/audit.js';
import type { Page } from '../domain/certificate.js';
import { pageWindow, toPage } from './paging.js';

export interface AuditRow {
  id: string;
  tenant_id: string;
  at: number;
  subject: string;
  method: string;
  operation: string;
  outcome: string;
  failure: string | null;
  certificate_id: string | null;
  issuer_id: string | null;
  serial: string | null;
  profile: string | null;
  request_id: string | null;
}

export interface AuditTables {
  ca_audit: AuditRow;
}

function toRecord(r: Selectable<AuditRow>): AuditRecord {
  const optional = <K extends string>(key: K, value: string | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, string>>;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    at: Number(r.at),
    subject: r.subject,
    method: r.method,
    operation: r.operation as AuditOperation,
    outcome: r.outcome as AuditOutcome,
    ...optional('failure', r.failure),
    ...optional('certificateId', r.certificate_id),
    ...optional('issuerId', r.issuer_id),
    ...optional('serial', r.serial),
    ...optional('profile', r.profile),
    ...optional('requestId', r.request_id),
  };
}

export function auditRepoOn(db: Kysely<AuditTables>) {
  return {
    async insert(r: AuditRecord): Promise<void> {
      await db
        .insertInto('ca_audit')
        .values({
          id: r.id,
          tenant_id: r.tenantId,
          at: r.at,
          subject: r.subject,
          method: r.method,
          operation: r.operation,
          outcome: r.outcome,
          failure: r.failure ?? null,
          certificate_id: r.certificateId ?? null,
          issuer_id: r.issuerId ?? null,
          serial: r.serial ?? null,
          profile: r.profile ?? null,
          request_id: r.requestId ?? null,
        })
        .execute();
    },
    async list(tenantId: string, query: AuditQuery): Promise<Page<AuditRecord>> {
      const { size, offset } = pageWindow(query);
      let q = db.selectFrom('ca_audit').selectAll().where('tenant_id', '=', tenantId);
      if (query.operation !== undefined) q = q.where('operation', '=', query.operation);
      if (query.certificateId !== undefined) {
        q = q.where('certificate_id', '=', query.certificateId);
      }
      if (query.since !== undefined) q = q.where('id', '>=', uuidv7Floor(query.since));
      if (query.until !== undefined) q = q.where('id', '<', uuidv7Floor(query.until));
      const rows = await q
        .orderBy('id', 'desc')
        .limit(size + 1)
        .offset(offset)
        .execute();
      return toPage(rows, size, offset, toRecord);
    },
    /** Deletes records made before `before`. */
    async prune(before: number): Promise<number> {
      const result = await db
        .deleteFrom('ca_audit')
        .where('id', '<', uuidv7Floor(before))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepoOn>;
