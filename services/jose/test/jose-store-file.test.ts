// JoseStore on a SQLite file, where batched audit records go through a side writer (its own
// connection): a unit of work that reads, waits and then writes is never overtaken by a side
// write. SQLite begins transactions deferred, and one that read before another connection
// committed cannot write afterwards (SQLITE_BUSY, which no busy timeout waits out).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { barrierMigrations } from '@cryptoutil/barrier';
import { createDatabase, runMigrations, uuidv7, type Database } from '@cryptoutil/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/domain/audit.js';
import { createJoseStore, joseMigrations, type JoseStore } from '../src/index.js';

const T = 'tenant-file';
let dir: string;
let database: Database<unknown>;
let store: JoseStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cu-jose-store-file-'));
  database = createDatabase({ url: `sqlite:${join(dir, 'jose.db')}` });
  await runMigrations(database, [...barrierMigrations, ...joseMigrations]);
  store = createJoseStore(database);
});

afterAll(async () => {
  await database.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function record(operation: AuditRecord['operation']): AuditRecord {
  return {
    id: uuidv7(),
    tenantId: T,
    at: Date.now(),
    subject: 'alice',
    method: 'api-key',
    operation,
    outcome: 'success',
  };
}

const tuple = (r: AuditRecord) => [
  r.id,
  r.tenantId,
  r.at,
  r.subject,
  r.method,
  r.operation,
  r.outcome,
];

describe('JoseStore on a SQLite file', () => {
  it('runs a side write after a unit of work that read first, never inside it', async () => {
    const order: string[] = [];
    const unit = store.transaction(async (tx) => {
      await tx.audit.list(T, {}); // the unit's read: its snapshot starts here
      order.push('unit read');
      await sleep(100); // a side write that is not held back commits here
      await tx.audit.insert([record('rotate')]);
      order.push('unit wrote');
    });
    await sleep(20);
    const side = store.audit
      .insertJson(JSON.stringify([[...tuple(record('sign')), null, null, null, null, null]]))
      .then(() => order.push('side wrote'));
    await expect(Promise.all([unit, side])).resolves.toBeDefined();
    expect(order).toEqual(['unit read', 'unit wrote', 'side wrote']);
    const page = await store.audit.list(T, {});
    expect(page.items.map((r) => r.operation).sort()).toEqual(['rotate', 'sign']);
  });

  it('writes a batch on its own connection when the side writer fails', async () => {
    // The same database, but a side writer whose worker is gone.
    const broken: Database<unknown> = {
      ...database,
      sideWriter: () => ({
        run: () => Promise.reject(new Error('the side writer has stopped')),
        close: () => Promise.resolve(),
      }),
    };
    const own = createJoseStore(broken);
    const lost = record('decrypt');
    await own.audit.insertJson(JSON.stringify([[...tuple(lost), null, null, null, null, null]]));
    const page = await own.audit.list(T, { operation: 'decrypt' });
    expect(page.items.map((r) => r.id)).toEqual([lost.id]);
  });
});
