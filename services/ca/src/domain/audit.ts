// Audit records (issue 5): one per enrollment, decision, issuance and revocation, saying who did
// what to which certificate and how it ended. They never hold CSRs, certificates or keys.

export const AUDIT_OPERATIONS = ['enroll', 'approve', 'reject', 'revoke', 'release'] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];
export type AuditOutcome = 'issued' | 'pending' | 'rejected' | 'revoked' | 'released' | 'failure';

export interface AuditActor {
  readonly subject: string;
  readonly method: string;
  readonly requestId?: string;
}

export interface AuditEntry {
  readonly operation: AuditOperation;
  readonly outcome: AuditOutcome;
  readonly certificateId?: string;
  readonly issuerId?: string;
  readonly serial?: string;
  readonly profile?: string;
  /** The problem code or reason, for failures and revocations. */
  readonly failure?: string;
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly at: number;
  readonly subject: string;
  readonly method: string;
  readonly requestId?: string;
}

export interface AuditQuery {
  readonly operation?: AuditOperation | undefined;
  readonly certificateId?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
}
