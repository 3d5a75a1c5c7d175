// The barrier inside a running product: its admin API, readyz while sealed, 503 barrier-sealed
// on product routes, dev mode refused on a persistent database, restart with the same or other
// secrets, and shares mode unsealed by operators.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError } from '@cryptoutil/config';
import { describe, expect, it } from 'vitest';
import {
  createServiceConfigSchema,
  defineProduct,
  startService,
  type RunningService,
} from '../src/index.js';
import { send } from './support/https-client.js';

const schema = createServiceConfigSchema({ publicPort: 0, adminPort: 0 });
let lastCiphertext = '';
const product = defineProduct({
  name: 'vault',
  title: 'Vault-like service',
  configSchema: schema,
  migrations: [],
  createService: ({ barrier }) =>
    Promise.resolve({
      routes: (app, _o, done) => {
        const view = barrier.view('vault/default');
        app.post('/seal-me', { config: { public: true } }, async () => {
          lastCiphertext = await view.encrypt(new TextEncoder().encode('top secret'));
          return { ok: true };
        });
        app.get('/open-me', { config: { public: true } }, async () => ({
          text: new TextDecoder().decode(await view.decrypt(lastCiphertext)),
        }));
        done();
      },
    }),
});

const sink = () => new Writable({ write: (_c, _e, done) => done() });
const start = (config: unknown) =>
  startService(product, schema.parse(config), {
    version: '1',
    logDestination: sink(),
    exit: () => undefined,
  });

function client(service: RunningService) {
  const ca = service.ca.join('\n');
  return {
    admin: (method: string, path: string, body?: unknown) =>
      send({
        port: service.addresses.admin.port,
        path: `/admin/v1${path}`,
        method,
        ca,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
    api: (method: string, path: string) =>
      send({ port: service.addresses.public.port, path: `/service/api/v1${path}`, method, ca }),
  };
}

describe('barrier in a running product', () => {
  it('serves status, rotation and seal on the admin API; sealed means readyz and routes 503', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-barrier-svc-'));
    const service = await start({ tls: { dir: join(dir, 'tls') } });
    const { admin, api } = client(service);
    try {
      const status = (await admin('GET', '/barrier/status')).json<{
        sealed: boolean;
        mode: string;
      }>();
      expect(status).toMatchObject({ sealed: false, mode: 'dev' });
      expect((await api('POST', '/seal-me')).status).toBe(200);
      const rotated = await admin('POST', '/barrier/rotate/content', { reason: 'scheduled' });
      expect(rotated.status).toBe(200);
      expect(rotated.json()).toMatchObject({ level: 'content', kid: expect.any(String) as string });
      expect((await api('GET', '/open-me')).json()).toEqual({ text: 'top secret' });
      expect((await admin('POST', '/barrier/rotate/everything', { reason: 'x' })).status).toBe(400);
      expect((await admin('POST', '/barrier/rotate/root', { reason: ' ' })).status).toBe(400);
      expect((await admin('POST', '/barrier/seal')).json()).toMatchObject({ sealed: true });
      const readyz = await admin('GET', '/readyz');
      expect(readyz.status).toBe(503);
      expect(readyz.json()).toMatchObject({ checks: { barrier: 'sealed' } });
      const sealed = await api('GET', '/open-me');
      expect(sealed.status).toBe(503);
      expect(sealed.json()).toEqual({
        type: 'urn:cryptoutil:problem:barrier-sealed',
        title: 'Barrier sealed',
        status: 503,
      });
      expect((await admin('POST', '/barrier/unseal', { share: 'abc' })).status).toBe(409);
    } finally {
      await service.shutdown('test');
    }
  });

  it('refuses dev unseal on a persistent database, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-barrier-svc-'));
    const failure = await start({
      tls: { dir: join(dir, 'tls') },
      database: { url: `sqlite:${join(dir, 'db.sqlite')}` },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).issues).toEqual([
      {
        path: 'barrier.mode',
        message: 'dev unseal keys are lost at exit: use dev only with database.url ":memory:"',
      },
    ]);
  });

  it('restarts with the same secrets and reads its data; other secrets fail to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-barrier-svc-'));
    const files = [1, 2, 3].map((i) => {
      const path = join(dir, `unseal-${i}`);
      writeFileSync(path, randomBytes(32));
      return path;
    });
    const base = {
      tls: { dir: join(dir, 'tls') },
      database: { url: `sqlite:${join(dir, 'db.sqlite')}` },
    };
    const first = await start({ ...base, barrier: { mode: 'secrets', files, threshold: 2 } });
    expect((await client(first).api('POST', '/seal-me')).status).toBe(200);
    await first.shutdown('restart');
    const second = await start({
      ...base,
      barrier: { mode: 'secrets', files: [files[2], files[0]], threshold: 2 },
    });
    try {
      expect((await client(second).api('GET', '/open-me')).json()).toEqual({ text: 'top secret' });
    } finally {
      await second.shutdown('restart');
    }
    const others = [1, 2].map((i) => {
      const path = join(dir, `other-${i}`);
      writeFileSync(path, randomBytes(32));
      return path;
    });
    await expect(
      start({ ...base, barrier: { mode: 'secrets', files: others, threshold: 2 } }),
    ).rejects.toMatchObject({
      code: 'unseal-failed',
    });
  });

  it('waits sealed in shares mode until operators post enough shares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-barrier-svc-'));
    const service = await start({
      tls: { dir: join(dir, 'tls') },
      database: { url: `sqlite:${join(dir, 'db.sqlite')}` },
      barrier: { mode: 'shares' },
    });
    const { admin } = client(service);
    try {
      expect((await admin('GET', '/readyz')).status).toBe(503);
      const init = await admin('POST', '/barrier/init', { shares: 3, threshold: 2 });
      expect(init.status).toBe(201);
      expect(init.headers['cache-control']).toBe('no-store');
      const { shares } = init.json<{ shares: string[]; threshold: number }>();
      expect(shares).toHaveLength(3);
      expect((await admin('POST', '/barrier/unseal', { share: shares[0] })).json()).toMatchObject({
        sealed: true,
        progress: 1,
        threshold: 2,
      });
      expect((await admin('POST', '/barrier/unseal', { share: shares[0] })).status).toBe(400);
      await admin('POST', '/barrier/unseal', { share: shares[1] });
      const last = await admin('POST', '/barrier/unseal', { share: shares[2] });
      expect(last.json()).toMatchObject({ sealed: false });
      expect((await admin('GET', '/readyz')).status).toBe(200);
      expect((await admin('POST', '/barrier/init', { shares: 3, threshold: 2 })).status).toBe(409);
    } finally {
      await service.shutdown('test');
    }
  });
});
