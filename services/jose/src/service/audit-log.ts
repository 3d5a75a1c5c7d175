// The audit log (issue 4). Key management records are written in the same transaction as the
// change they record (`recordIn`). Operation records (sign, verify, …) are queued and written
// in batches every `flushMs` and at shutdown, so a hot signing path pays no database write per
// request; a crash can lose at most the last `flushMs` of operation records. Retention deletes
// records older than `retentionDays` once an hour. Queued records wait as JSON text outside the
// JavaScript heap (text-queue.ts), so the garbage collector neither copies nor promotes them.
import { uuidv7 } from '@cryptoutil/db';
import type {
  AuditActor,
  AuditEntry,
  AuditOperation,
  AuditQuery,
  AuditRecord,
} from '../domain/audit.js';
import type { Page } from '../domain/key-set.js';
import { auditTupleText } from '../store/audit-repo.js';
import type { JoseStore } from '../store/jose-store.js';
import { TextQueue } from './text-queue.js';

export interface AuditLog {
  /** Queues an operation record (the operation apart: the hot path builds no entry copy). */
  record(
    tenantId: string,
    actor: AuditActor,
    operation: AuditOperation,
    entry: Omit<AuditEntry, 'operation'>,
  ): void;
  /** Writes a record inside the caller's unit of work. */
  recordIn(store: JoseStore, tenantId: string, actor: AuditActor, entry: AuditEntry): Promise<void>;
  list(tenantId: string, query: AuditQuery): Promise<Page<AuditRecord>>;
  /** Writes every queued record now. */
  flush(): Promise<void>;
  /** Stops the timers and flushes. */
  close(): Promise<void>;
}

/** The two logger methods the audit log uses (a pino logger has both). */
export interface AuditLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AuditLogOptions {
  readonly store: JoseStore;
  readonly logger: AuditLogger;
  readonly flushMs: number;
  readonly retentionDays: number;
  readonly now?: () => number;
}

/** Queued records beyond this are written at once instead of waiting for the timer. */
const HIGH_WATER = 5000;
const PRUNE_EVERY_MS = 3_600_000;

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const queue = new TextQueue();
  let writing: Promise<void> = Promise.resolve();
  const toRecord = (tenantId: string, actor: AuditActor, entry: AuditEntry): AuditRecord => ({
    ...entry,
    id: uuidv7(),
    tenantId,
    at: now(),
    subject: actor.subject,
    method: actor.method,
    ...(actor.requestId === undefined ? {} : { requestId: actor.requestId }),
  });

  function flush(): Promise<void> {
    if (queue.length === 0) return writing;
    const lost = queue.length;
    const batch = queue.take();
    writing = writing.then(() =>
      store.audit.insertJson(batch).catch((err: unknown) => {
        // The records are lost; say so loudly (without their contents) rather than crash.
        logger.error({ err, lost }, 'audit records could not be written');
      }),
    );
    return writing;
  }

  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();
  const prune = async () => {
    try {
      await store.audit.prune(now() - options.retentionDays * 86_400_000);
    } catch (err) {
      logger.warn({ err }, 'audit retention failed');
    }
  };
  const pruner = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruner.unref();

  function record(
    tenantId: string,
    actor: AuditActor,
    operation: AuditOperation,
    entry: Omit<AuditEntry, 'operation'>,
  ): void {
    queue.push(auditTupleText(uuidv7(), tenantId, now(), actor, operation, entry));
    if (queue.length >= HIGH_WATER) void flush();
  }

  return {
    record,
    recordIn(unit, tenantId, actor, entry) {
      return unit.audit.insert([toRecord(tenantId, actor, entry)]);
    },
    async list(tenantId, query) {
      await flush();
      return store.audit.list(tenantId, query);
    },
    flush,
    async close() {
      clearInterval(timer);
      clearInterval(pruner);
      await flush();
    },
  };
}
