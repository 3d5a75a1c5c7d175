// The audit log over a fake store: operation records queued and written in batches (on the
// timer, at the high-water mark, before a list and at close), records written in the caller's
// unit of work, a failed batch logged and dropped, and hourly retention.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import {
  AUDIT_OPERATIONS,
  type AuditActor,
  type AuditQuery,
  type AuditRecord,
} from '../domain/audit.js';
import type { Page } from '../domain/key-set.js';
import type { JoseStore } from '../store/jose-store.js';
import { createAuditLog, type AuditLog, type AuditLogger } from './audit-log.js';

const NOW = 1_700_000_000_000;
const FLUSH_MS = 200;
const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const actor: AuditActor = { subject: 'alice', method: 'api-key', requestId: 'req-1' };

interface FakeAudit {
  readonly batches: AuditRecord[][];
  insert: Mock<(records: readonly AuditRecord[]) => Promise<void>>;
  insertJson: (json: string) => Promise<void>;
  list: Mock<(tenantId: string, query: AuditQuery) => Promise<Page<AuditRecord>>>;
  prune: Mock<(before: number) => Promise<number>>;
}

/** A row as the repo's JSON insert takes it (audit-repo's column order), back to a record. */
function recordOf(tuple: unknown[]): AuditRecord {
  const [id, tenantId, at, subject, method, operation, outcome] = tuple as [
    string,
    string,
    number,
    string,
    string,
    AuditRecord['operation'],
    AuditRecord['outcome'],
  ];
  const [failure, setId, version, kid, requestId] = tuple.slice(7);
  const optional = { failure, setId, version, kid, requestId };
  return {
    id,
    tenantId,
    at,
    subject,
    method,
    operation,
    outcome,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
  };
}

// Queued records reach the store as one JSON text (insertJson); the fake reads it back into
// records and hands them to `insert`, so each batch is seen, and can fail, in one place.
function fakeStore(): { store: JoseStore; audit: FakeAudit } {
  const batches: AuditRecord[][] = [];
  const audit: FakeAudit = {
    batches,
    insert: vi.fn((records: readonly AuditRecord[]) => {
      batches.push([...records]);
      return Promise.resolve();
    }),
    insertJson: (json: string) => audit.insert((JSON.parse(json) as unknown[][]).map(recordOf)),
    list: vi.fn(() => Promise.resolve({ items: [] as AuditRecord[] })),
    prune: vi.fn(() => Promise.resolve(0)),
  };
  return { store: { audit } as unknown as JoseStore, audit };
}

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn() } satisfies AuditLogger;
}

let log: AuditLog | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  vi.useRealTimers();
});

function start(store: JoseStore, logger: AuditLogger = fakeLogger(), retentionDays = 30) {
  log = createAuditLog({ store, logger, flushMs: FLUSH_MS, retentionDays, now: () => Date.now() });
  return log;
}

describe('record', () => {
  it('queues until flush, then writes one batch of full records', async () => {
    const { store, audit } = fakeStore();
    const audited = start(store);
    audited.record('tenant-a', actor, 'sign', {
      outcome: 'success',
      setId: 'set-1',
      version: 2,
      kid: 'kid-2',
    });
    audited.record('tenant-b', { subject: 'bob', method: 'jwt' }, 'decrypt', {
      outcome: 'failure',
      failure: 'decryption-failed',
    });
    expect(audit.insert).not.toHaveBeenCalled();
    await audited.flush();
    expect(audit.batches).toHaveLength(1);
    const [first, second] = audit.batches[0]!;
    expect(first).toEqual({
      operation: 'sign',
      outcome: 'success',
      setId: 'set-1',
      version: 2,
      kid: 'kid-2',
      id: expect.any(String),
      tenantId: 'tenant-a',
      at: NOW,
      subject: 'alice',
      method: 'api-key',
      requestId: 'req-1',
    });
    expect(second).toEqual({
      operation: 'decrypt',
      outcome: 'failure',
      failure: 'decryption-failed',
      id: expect.any(String),
      tenantId: 'tenant-b',
      at: NOW,
      subject: 'bob',
      method: 'jwt',
    });
    expect('requestId' in second!).toBe(false);
    expect(first!.id).toMatch(UUIDV7);
    expect(first!.id).not.toBe(second!.id);
  });

  it('records every audit operation', async () => {
    const { store, audit } = fakeStore();
    const audited = start(store);
    for (const operation of AUDIT_OPERATIONS)
      audited.record('t', actor, operation, { outcome: 'success' });
    await audited.flush();
    expect(audit.batches[0]!.map((r) => r.operation)).toEqual([...AUDIT_OPERATIONS]);
    expect(AUDIT_OPERATIONS).toHaveLength(11);
  });

  it('writes nothing for an empty queue', async () => {
    const { store, audit } = fakeStore();
    await start(store).flush();
    expect(audit.insert).not.toHaveBeenCalled();
  });

  it('writes on the timer every flushMs', async () => {
    const { store, audit } = fakeStore();
    const audited = start(store);
    audited.record('t', actor, 'verify', { outcome: 'success' });
    await vi.advanceTimersByTimeAsync(FLUSH_MS - 1);
    expect(audit.insert).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(audit.batches.map((b) => b.length)).toEqual([1]);
    audited.record('t', actor, 'verify', { outcome: 'success' });
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(audit.batches.map((b) => b.length)).toEqual([1, 1]);
  });

  it('writes at once when 5000 records are queued', async () => {
    const { store, audit } = fakeStore();
    const audited = start(store);
    for (let i = 0; i < 4999; i += 1) {
      audited.record('t', actor, 'sign', { outcome: 'success' });
    }
    await Promise.resolve();
    expect(audit.insert).not.toHaveBeenCalled();
    audited.record('t', actor, 'sign', { outcome: 'success' });
    await vi.waitFor(() => expect(audit.batches.map((b) => b.length)).toEqual([5000]));
  });

  it('keeps batches in order: a flush waits for the write before it', async () => {
    const { store, audit } = fakeStore();
    let release: () => void = () => undefined;
    audit.insert.mockImplementationOnce((records) => {
      audit.batches.push([...records]);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const audited = start(store);
    audited.record('t', actor, 'sign', { outcome: 'success' });
    const first = audited.flush();
    audited.record('t', actor, 'verify', { outcome: 'success' });
    const second = audited.flush();
    await Promise.resolve();
    expect(audit.insert).toHaveBeenCalledTimes(1);
    release();
    await Promise.all([first, second]);
    expect(audit.batches.map((b) => b[0]!.operation)).toEqual(['sign', 'verify']);
  });
});

describe('the default clock', () => {
  it('stamps records with Date.now when no clock is given', async () => {
    const { store, audit } = fakeStore();
    log = createAuditLog({ store, logger: fakeLogger(), flushMs: FLUSH_MS, retentionDays: 1 });
    vi.setSystemTime(NOW + 42);
    log.record('t', actor, 'sign', { outcome: 'success' });
    await log.flush();
    expect(audit.batches[0]![0]!.at).toBe(NOW + 42);
  });
});

describe('a failed write', () => {
  it('logs the number lost without the records, drops them, and keeps going', async () => {
    const { store, audit } = fakeStore();
    const logger = fakeLogger();
    const failure = new Error('database down');
    audit.insert.mockRejectedValueOnce(failure);
    const audited = start(store, logger);
    audited.record('t', actor, 'sign', { outcome: 'success', kid: 'kid-secret?' });
    audited.record('t', actor, 'sign', { outcome: 'success' });
    await expect(audited.flush()).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      { err: failure, lost: 2 },
      'audit records could not be written',
    );
    audited.record('t', actor, 'verify', { outcome: 'failure' });
    await audited.flush();
    expect(audit.insert).toHaveBeenCalledTimes(2);
    expect(audit.batches.at(-1)!.map((r) => r.operation)).toEqual(['verify']);
  });
});

describe('recordIn', () => {
  it('writes one record through the unit of work given, not the log’s store', async () => {
    const { store, audit } = fakeStore();
    const unit = fakeStore();
    const audited = start(store);
    await audited.recordIn(unit.store, 'tenant-a', actor, {
      operation: 'rotate',
      outcome: 'success',
      setId: 's',
      version: 3,
    });
    expect(audit.insert).not.toHaveBeenCalled();
    expect(unit.audit.batches).toEqual([
      [
        {
          operation: 'rotate',
          outcome: 'success',
          setId: 's',
          version: 3,
          id: expect.any(String),
          tenantId: 'tenant-a',
          at: NOW,
          subject: 'alice',
          method: 'api-key',
          requestId: 'req-1',
        },
      ],
    ]);
  });

  it('rejects when the write fails, so the unit of work rolls back', async () => {
    const { store } = fakeStore();
    const unit = fakeStore();
    unit.audit.insert.mockRejectedValueOnce(new Error('constraint'));
    await expect(
      start(store).recordIn(unit.store, 't', actor, { operation: 'create', outcome: 'success' }),
    ).rejects.toThrow('constraint');
  });
});

describe('list', () => {
  it('writes the queue first, then reads the store', async () => {
    const { store, audit } = fakeStore();
    const page: Page<AuditRecord> = { items: [], nextPageToken: 'n' };
    audit.list.mockImplementationOnce(() => {
      expect(audit.batches).toHaveLength(1);
      return Promise.resolve(page);
    });
    const audited = start(store);
    audited.record('tenant-a', actor, 'sign', { outcome: 'success' });
    const query = { operation: 'sign' as const, pageSize: 10 };
    await expect(audited.list('tenant-a', query)).resolves.toBe(page);
    expect(audit.list).toHaveBeenCalledWith('tenant-a', query);
  });
});

describe('close', () => {
  it('flushes the queue and stops the timers', async () => {
    const { store, audit } = fakeStore();
    const audited = start(store);
    audited.record('t', actor, 'sign', { outcome: 'success' });
    await audited.close();
    expect(audit.batches.map((b) => b.length)).toEqual([1]);
    audited.record('t', actor, 'sign', { outcome: 'success' });
    await vi.advanceTimersByTimeAsync(4 * 3_600_000);
    expect(audit.insert).toHaveBeenCalledTimes(1);
    expect(audit.prune).not.toHaveBeenCalled();
  });
});

describe('retention', () => {
  it('deletes records older than retentionDays once an hour', async () => {
    const { store, audit } = fakeStore();
    start(store, fakeLogger(), 7);
    await vi.advanceTimersByTimeAsync(3_600_000 - 1);
    expect(audit.prune).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(audit.prune).toHaveBeenCalledTimes(1);
    expect(audit.prune).toHaveBeenCalledWith(NOW + 3_600_000 - 7 * 86_400_000);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(audit.prune).toHaveBeenCalledTimes(2);
  });

  it('logs a failed prune as a warning and keeps running', async () => {
    const { store, audit } = fakeStore();
    const logger = fakeLogger();
    const failure = new Error('locked');
    audit.prune.mockRejectedValueOnce(failure);
    start(store, logger);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(logger.warn).toHaveBeenCalledWith({ err: failure }, 'audit retention failed');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(audit.prune).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
