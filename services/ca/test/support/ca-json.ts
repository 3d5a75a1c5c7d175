// The CA API's JSON shapes as the tests read them (routes/schemas.ts is the source), and small
// readers over them: every certificate id a grant sees, the newest audit records.
import { expect } from 'vitest';
import type { CaHarness } from './ca-harness.js';

export interface CertificateJson {
  readonly id: string;
  readonly status: 'pending' | 'rejected' | 'issued' | 'revoked';
  readonly profile: string;
  readonly issuer: string;
  readonly subject: string;
  readonly sans: readonly string[];
  readonly serial?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
  readonly requestedBy: string;
  readonly decidedBy?: string;
  readonly createdAt: string;
  readonly certificatePem?: string;
  readonly crlUrl?: string;
}

export interface AuditJson {
  readonly id: string;
  readonly at: string;
  readonly subject: string;
  readonly method: string;
  readonly operation: string;
  readonly outcome: string;
  readonly failure?: string;
  readonly certificateId?: string;
  readonly issuer?: string;
  readonly serial?: string;
  readonly profile?: string;
  readonly requestId?: string;
}

export interface PageJson<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}

/** Ids of every certificate `as` sees (one page of up to 1000). */
export async function certificateIds(ca: CaHarness, as = 'alice'): Promise<string[]> {
  const res = await ca.call('GET', '/certificates?pageSize=1000', { as });
  expect(res.status).toBe(200);
  return res.json<PageJson<CertificateJson>>().items.map((c) => c.id);
}

/** The tenant's audit records, newest first, as `admin` reads them. */
export async function auditRecords(ca: CaHarness, query = '', as = 'admin'): Promise<AuditJson[]> {
  const res = await ca.call('GET', `/audit?pageSize=1000${query}`, { as });
  expect(res.status).toBe(200);
  return [...res.json<PageJson<AuditJson>>().items];
}
