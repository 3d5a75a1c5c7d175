// The audit log on a SQLite file, where queued records are written by a side writer (its own
// connection on a worker thread, @cryptoutil/db): every operation's record arrives and can be
// listed at once, key management that runs while batches are written never fails on SQLite's
// write lock, and the records are in the file after the service stops.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@cryptoutil/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJose, type JoseHarness } from './support/jose-harness.js';

const SIGNS = 400;
const ROTATIONS = 8;
const MAX_VERSIONS = 3;
/** Rotation retires the versions beyond maxVersions, each with its own record. */
const RETIRED = ROTATIONS + 1 - MAX_VERSIONS;

let dir: string;
let file: string;
let jose: JoseHarness | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cu-jose-file-'));
  file = join(dir, 'jose.db');
  const secret = join(dir, 'unseal-1');
  writeFileSync(secret, randomBytes(32), { mode: 0o600 });
  jose = await startJose({
    config: {
      database: { url: `sqlite:${file}` },
      barrier: { mode: 'secrets', files: [secret], threshold: 1 },
      // Batches every 20 ms, so many land while the rotations run.
      jose: { audit: { flushMs: 20 } },
    },
  });
});

afterAll(async () => {
  await jose?.service.shutdown('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Counts of the tenant's records by operation, over every page of GET audit. */
async function auditCounts(harness: JoseHarness): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let pageToken: string | undefined;
  do {
    const query = `?pageSize=500${pageToken === undefined ? '' : `&pageToken=${pageToken}`}`;
    const page = await harness.call('GET', `/audit${query}`);
    expect(page.status).toBe(200);
    const body = page.json<{ items: { operation: string }[]; nextPageToken?: string }>();
    for (const { operation } of body.items) counts[operation] = (counts[operation] ?? 0) + 1;
    pageToken = body.nextPageToken;
  } while (pageToken !== undefined);
  return counts;
}

describe('the audit log on a SQLite file', () => {
  it('records every operation while rotations run, lists them all, and keeps them after a stop', async () => {
    const harness = jose as JoseHarness;
    const created = await harness.call('POST', '/jwks', {
      json: { name: 'file', use: 'sig', alg: 'ES256', maxVersions: MAX_VERSIONS },
    });
    expect(created.status).toBe(201);
    const setId = created.json<{ id: string }>().id;

    const signs: Promise<number>[] = [];
    const rotations: Promise<number>[] = [];
    for (let i = 0; i < SIGNS; i += 1) {
      const sign = harness.call('POST', '/sign', { json: { jwks: setId, payload: `p${i}` } });
      signs.push(sign.then((res) => res.status));
      if (i % (SIGNS / ROTATIONS) === 0) {
        const rotate = harness.call('POST', `/jwks/${setId}/rotate`, { json: {} });
        rotations.push(rotate.then((res) => res.status));
      }
    }
    const [rotated, signed] = await Promise.all([Promise.all(rotations), Promise.all(signs)]);
    expect(new Set(rotated)).toEqual(new Set([201]));
    expect(new Set(signed)).toEqual(new Set([200]));
    expect(await auditCounts(harness)).toEqual({
      create: 1,
      rotate: ROTATIONS,
      retire: RETIRED,
      sign: SIGNS,
    });

    const last = await harness.call('POST', '/sign', { json: { jwks: setId, payload: 'last' } });
    const requestId = String(last.headers['x-request-id']);
    await harness.service.shutdown('SIGTERM');
    jose = undefined;
    const database = createDatabase({ url: `sqlite:${file}` });
    try {
      const byOperation = await sql<{ operation: string; n: number }>`
        select operation, count(*) as n from jose_audit group by operation order by 1
      `.execute(database.kysely);
      expect(byOperation.rows).toEqual([
        { operation: 'create', n: 1 },
        { operation: 'retire', n: RETIRED },
        { operation: 'rotate', n: ROTATIONS },
        { operation: 'sign', n: SIGNS + 1 },
      ]);
      const record = await sql<{ outcome: string; set_id: string }>`
        select outcome, set_id from jose_audit where request_id = ${requestId}
      `.execute(database.kysely);
      expect(record.rows).toEqual([{ outcome: 'success', set_id: setId }]);
    } finally {
      await database.destroy();
    }
  });
});
