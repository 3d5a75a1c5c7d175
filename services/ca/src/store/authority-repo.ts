// The CA hierarchy's rows over kysely. CAs are the instance's, not a tenant's: every tenant
// enrolls through the configured issuing CAs. `nextCrlNumber` and `bumpRevision` are single
// atomic UPDATEs, so instances sharing a PostgreSQL database never hand out one CRL number twice.
import type { Kysely, Selectable } from 'kysely';
import { bytesOf, toBlob } from './paging.js';

export interface AuthorityRow {
  id: string;
  parent_id: string | null;
  issuing: number;
  certificate: Uint8Array;
  wrapped_key: string | null;
  ocsp_certificate: Uint8Array | null;
  ocsp_wrapped_key: string | null;
  crl_number: number | string | bigint;
  revision: number | string | bigint;
  created_at: number;
  updated_at: number;
}

export interface AuthorityTables {
  ca_authorities: AuthorityRow;
}

export interface AuthorityRecord {
  readonly id: string;
  readonly parentId?: string;
  readonly issuing: boolean;
  readonly certificate: Uint8Array;
  /** The PKCS#8 private key wrapped under the barrier; absent for an offline CA. */
  readonly wrappedKey?: string;
  readonly ocsp?: { readonly certificate: Uint8Array; readonly wrappedKey: string };
  readonly revision: number;
  readonly createdAt: number;
}

function toRecord(r: Selectable<AuthorityRow>): AuthorityRecord {
  return {
    id: r.id,
    ...(r.parent_id === null ? {} : { parentId: r.parent_id }),
    issuing: Number(r.issuing) === 1,
    certificate: bytesOf(r.certificate),
    ...(r.wrapped_key === null ? {} : { wrappedKey: r.wrapped_key }),
    ...(r.ocsp_certificate === null || r.ocsp_wrapped_key === null
      ? {}
      : { ocsp: { certificate: bytesOf(r.ocsp_certificate), wrappedKey: r.ocsp_wrapped_key } }),
    revision: Number(r.revision),
    createdAt: Number(r.created_at),
  };
}

export function authorityRepoOn(db: Kysely<AuthorityTables>) {
  return {
    async list(): Promise<AuthorityRecord[]> {
      const rows = await db
        .selectFrom('ca_authorities')
        .selectAll()
        .orderBy('created_at')
        .execute();
      return rows.map(toRecord);
    },
    async get(id: string): Promise<AuthorityRecord | undefined> {
      const row = await db
        .selectFrom('ca_authorities')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async insert(record: AuthorityRecord, now: number): Promise<void> {
      await db
        .insertInto('ca_authorities')
        .values({
          id: record.id,
          parent_id: record.parentId ?? null,
          issuing: record.issuing ? 1 : 0,
          certificate: toBlob(record.certificate),
          wrapped_key: record.wrappedKey ?? null,
          ocsp_certificate: null,
          ocsp_wrapped_key: null,
          crl_number: 0,
          revision: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
    async setOcspResponder(
      id: string,
      responder: { certificate: Uint8Array; wrappedKey: string },
      now: number,
    ): Promise<void> {
      await db
        .updateTable('ca_authorities')
        .set({
          ocsp_certificate: toBlob(responder.certificate),
          ocsp_wrapped_key: responder.wrappedKey,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    /** Takes the next CRL number of the CA (RFC 5280 §5.2.3: monotonically increasing). */
    async nextCrlNumber(id: string): Promise<bigint> {
      const row = await db
        .updateTable('ca_authorities')
        .set((eb) => ({ crl_number: eb('crl_number', '+', 1) }))
        .where('id', '=', id)
        .returning('crl_number')
        .executeTakeFirstOrThrow();
      return BigInt(row.crl_number);
    },
    /** Marks a revocation change of the CA's certificates; returns the new revision. */
    async bumpRevision(id: string): Promise<number> {
      const row = await db
        .updateTable('ca_authorities')
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .returning('revision')
        .executeTakeFirstOrThrow();
      return Number(row.revision);
    },
    /** Every CA's revision, for instances to notice another's revocations. */
    async revisions(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('ca_authorities').select(['id', 'revision']).execute();
      return new Map(rows.map((r) => [r.id, Number(r.revision)]));
    },
  };
}

export type AuthorityRepo = ReturnType<typeof authorityRepoOn>;
