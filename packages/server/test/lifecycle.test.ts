// Admin listener and graceful shutdown over real TLS listeners (ARCHITECTURE §2): livez,
// readyz with checks, and the shutdown order: readyz 503 first, the public listener refuses new
// connections while an in-flight request still gets its 200, hooks run in order, admin last.
import { afterEach, describe, expect, it } from 'vitest';
import type { BoundAddresses } from '../src/index.js';
import { createFixture, type Fixture } from './fixture-app.js';
import { testTls, type TestTls } from './support/certificates.js';
import { send } from './support/https-client.js';

let fixture: Fixture | undefined;
afterEach(() => fixture?.runtime.shutdown('test end'));

async function startFixture(): Promise<{ tls: TestTls; fixture: Fixture; bound: BoundAddresses }> {
  const tls = await testTls();
  fixture = createFixture(tls);
  const bound = await fixture.runtime.start();
  return { tls, fixture, bound };
}

describe('admin listener', () => {
  it('answers livez and readyz, and names a failing check with a safe reason', async () => {
    const { tls, fixture, bound } = await startFixture();
    const admin = (path: string) =>
      send({ port: bound.admin.port, path: `/admin/v1/${path}`, ca: tls.ca });
    expect(bound.admin.host).toBe('127.0.0.1');
    const livez = await admin('livez');
    expect([livez.status, livez.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await admin('readyz');
    expect([ready.status, ready.json()]).toEqual([
      200,
      { status: 'ok', checks: { database: 'ok', barrier: 'ok' } },
    ]);

    fixture.controls.checkFails = true;
    const notReady = await admin('readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(notReady.json()).toEqual({
      type: 'urn:cryptoutil:problem:not-ready',
      title: 'Service not ready',
      status: 503,
      detail: 'a readiness check failed',
      checks: { database: 'ok', barrier: 'sealed' },
    });
  });
});

describe('graceful shutdown', () => {
  it('drains in order: readyz 503, public refuses new connections, in-flight answered, hooks, admin last', async () => {
    const { tls, fixture, bound } = await startFixture();
    const inFlight = send({ port: bound.public.port, path: '/service/api/v1/slow', ca: tls.ca });
    await fixture.controls.slowStarted.promise;

    const done = fixture.runtime.shutdown('test');
    const readyz = await send({ port: bound.admin.port, path: '/admin/v1/readyz', ca: tls.ca });
    expect(readyz.status).toBe(503);
    expect(readyz.json()).toMatchObject({
      type: 'urn:cryptoutil:problem:not-ready',
      checks: { shutdown: 'draining' },
    });
    await expect(
      send({ port: bound.public.port, path: '/service/api/v1/info', ca: tls.ca }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(fixture.events).toEqual([]);

    fixture.controls.release.resolve();
    const answered = await inFlight;
    expect([answered.status, answered.json()]).toEqual([200, { slow: 'done' }]);
    expect(answered.headers.connection).toBe('close');
    await done;
    expect(fixture.events).toEqual([
      'public closed',
      'database closed',
      'telemetry flushed',
      'admin closed',
    ]);
    await expect(
      send({ port: bound.admin.port, path: '/admin/v1/livez', ca: tls.ca }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    // Idempotent: a second call neither repeats the hooks nor fails.
    await fixture.runtime.shutdown('again');
    expect(fixture.events).toHaveLength(4);
    expect(fixture.exitCodes).toEqual([]);
  });

  it('shuts down through POST /admin/v1/shutdown with 202, then exits 0', async () => {
    const { tls, fixture, bound } = await startFixture();
    const res = await send({
      port: bound.admin.port,
      path: '/admin/v1/shutdown',
      method: 'POST',
      ca: tls.ca,
    });
    expect([res.status, res.json()]).toEqual([202, { status: 'shutting-down' }]);
    await fixture.runtime.shutdown('wait for the running shutdown');
    expect(fixture.events).toEqual([
      'public closed',
      'database closed',
      'telemetry flushed',
      'admin closed',
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fixture.exitCodes).toEqual([0]);
  });
});
