// The audit log over kysely: batched inserts, a tenant's records newest first with filters and
// offset pages, and retention.
import type { Kysely, Selectable } from 'kysely';
import type { AuditOperation, AuditOutcome, AuditQuery, AuditRecord } from '../domain/audit.js';
import type { Page } from '../domain/key-set.js';
import { pageOffsetOf, pageSizeOf, toPage } from './key-set-repo.js';

export interface AuditRow {
  id: string;
  tenant_id: string;
  at: number;
  subject: string;
  method: string;
  operation: string;
  outcome: string;
  failure: string | null;
  set_id: string | null;
  version: number | null;
  kid: string | null;
  request_id: string | null;
}

export interface AuditTables {
  jose_audit: AuditRow;
}

/** Rows per INSERT: 12 columns each stays far below SQLite's 32,766 bound parameters. */
const BATCH_ROWS = 500;

function toRow(r: AuditRecord): AuditRow {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    at: r.at,
    subject: r.subject,
    method: r.method,
    operation: r.operation,
    outcome: r.outcome,
    failure: r.failure ?? null,
    set_id: r.setId ?? null,
    version: r.version ?? null,
    kid: r.kid ?? null,
    request_id: r.requestId ?? null,
  };
}

function toRecord(r: Selectable<AuditRow>): AuditRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    at: Number(r.at),
    subject: r.subject,
    method: r.method,
    operation: r.operation as AuditOperation,
    outcome: r.outcome as AuditOutcome,
    ...(r.failure === null ? {} : { failure: r.failure }),
    ...(r.set_id === null ? {} : { setId: r.set_id }),
    ...(r.version === null ? {} : { version: Number(r.version) }),
    ...(r.kid === null ? {} : { kid: r.kid }),
    ...(r.request_id === null ? {} : { requestId: r.request_id }),
  };
}

export function auditRepoOn(db: Kysely<AuditTables>) {
  return {
    async insert(records: readonly AuditRecord[]): Promise<void> {
      for (let i = 0; i < records.length; i += BATCH_ROWS) {
        const rows = records.slice(i, i + BATCH_ROWS).map(toRow);
        await db.insertInto('jose_audit').values(rows).execute();
      }
    },
    async list(tenantId: string, query: AuditQuery): Promise<Page<AuditRecord>> {
      const size = pageSizeOf(query);
      const offset = pageOffsetOf(query);
      let q = db.selectFrom('jose_audit').selectAll().where('tenant_id', '=', tenantId);
      if (query.setId !== undefined) q = q.where('set_id', '=', query.setId);
      if (query.operation !== undefined) q = q.where('operation', '=', query.operation);
      if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
      if (query.since !== undefined) q = q.where('at', '>=', query.since);
      if (query.until !== undefined) q = q.where('at', '<', query.until);
      const rows = await q
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .offset(offset)
        .execute();
      return toPage(rows, size, offset, toRecord);
    },
    async prune(before: number): Promise<number> {
      const result = await db.deleteFrom('jose_audit').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepoOn>;
