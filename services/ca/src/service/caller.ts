// Who asks: the tenant whose certificates a call sees, and the actor its audit record names.
import type { AuditActor } from '../domain/audit.js';

export interface Caller {
  readonly tenantId: string;
  readonly actor: AuditActor;
}
