// Audit records (issue 4): one per key operation, saying who did what with which key version
// and how it ended. They never hold payloads, claims, tokens or keys.

export const AUDIT_OPERATIONS = [
  'create',
  'update',
  'rotate',
  'retire',
  'delete',
  'sign',
  'verify',
  'encrypt',
  'decrypt',
  'jwt-issue',
  'jwt-verify',
] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];
export type AuditOutcome = 'success' | 'failure';

/** Who asked: the principal's subject and how it authenticated (`system` for the scheduler). */
export interface AuditActor {
  readonly subject: string;
  readonly method: string;
  readonly requestId?: string;
}

export interface AuditEntry {
  readonly operation: AuditOperation;
  readonly outcome: AuditOutcome;
  readonly setId?: string | undefined;
  readonly version?: number | undefined;
  readonly kid?: string | undefined;
  /** The failed check or problem code, for failures. */
  readonly failure?: string | undefined;
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
  readonly setId?: string | undefined;
  readonly operation?: AuditOperation | undefined;
  readonly outcome?: AuditOutcome | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
}
