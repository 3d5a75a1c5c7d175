// The trace every JOSE operation leaves: its audit record and, when telemetry is on, its count in
// `cryptoutil.crypto.operations` by algorithm and outcome.
import type { CryptoOperationCounter } from '@cryptoutil/telemetry';
import type { AuditEntry, AuditOperation } from '../domain/audit.js';
import type { AuditLog } from './audit-log.js';
import type { Caller } from './operation-types.js';

export type OperationLog = (
  caller: Caller,
  operation: AuditOperation,
  entry: Omit<AuditEntry, 'operation'>,
  algorithm?: string,
) => void;

export function createOperationLog(
  audit: AuditLog,
  metrics?: CryptoOperationCounter,
): OperationLog {
  return (caller, operation, entry, algorithm = 'unknown') => {
    audit.record(caller.tenantId, caller.actor, operation, entry);
    metrics?.add({ product: 'jose', operation, algorithm, outcome: entry.outcome });
  };
}
