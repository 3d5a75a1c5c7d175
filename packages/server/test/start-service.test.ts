import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Database } from '@cryptoutil/db';
import { generateCertificateSet, issueClientCertificate } from '@cryptoutil/tls';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createServiceConfigSchema,
  defineProduct,
  startService,
  type ServiceConfig,
} from '../src/index.js';
import { send } from './support/https-client.js';

function silentStream(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

const schema = createServiceConfigSchema({
  publicPort: 0,
  adminPort: 0,
  extend: { sample: z.object({ word: z.string().default('ok') }).prefault({}) },
});

function configFor(
  dir: string,
  extra: Record<string, unknown> = {},
): ServiceConfig & { sample: { word: string } } {
  return schema.parse({ tls: { mode: 'auto', dir: join(dir, 'tls') }, ...extra });
}

describe('startService', () => {
  it('runs a product over TLS 1.3 with its migrations, routes, well-known and admin routes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-start-'));
    let closedHook = false;
    const product = defineProduct({
      name: 'sample',
      title: 'Sample service',
      configSchema: schema,
      migrations: [
        {
          version: 9100,
          name: 'create-sample',
          up: (db) => db.schema.createTable('sample').addColumn('id', 'text').execute(),
        },
      ],
      createService: ({ config }) =>
        Promise.resolve({
          routes: (app, _o, done) => {
            app.get('/word', { config: { public: true } }, () => ({ word: config.sample.word }));
            done();
          },
          wellKnown: (app, _o, done) => {
            app.get('/sample.json', () => ({ sample: true }));
            done();
          },
          adminRoutes: (app, _o, done) => {
            app.get('/sample/status', () => ({ status: 'fine' }));
            done();
          },
          close: () => {
            closedHook = true;
            return Promise.resolve();
          },
        }),
    });
    const lines: string[] = [];
    const service = await startService(product, configFor(dir, { sample: { word: 'hi' } }), {
      version: '9.9.9',
      logDestination: silentStream(lines),
      exit: () => undefined,
    });
    const ca = service.ca.join('\n');
    const pub = service.addresses.public.port;
    const adm = service.addresses.admin.port;
    expect(service.caFile).toBe(join(dir, 'tls', 'ca.pem'));
    expect((await send({ port: pub, path: '/service/api/v1/word', ca })).json()).toEqual({
      word: 'hi',
    });
    expect((await send({ port: pub, path: '/.well-known/sample.json', ca })).status).toBe(200);
    expect((await send({ port: adm, path: '/admin/v1/sample/status', ca })).json()).toEqual({
      status: 'fine',
    });
    expect((await send({ port: pub, path: '/admin/v1/sample/status', ca })).status).toBe(404);
    await service.shutdown('test');
    await service.closed;
    expect(closedHook).toBe(true);
    const text = lines.join('\n');
    expect(text).toContain('Sample service listening on https://127.0.0.1:');
    expect(text).toContain('"name":"sample"');
  });

  it('closes what it opened when the product fails to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-start-'));
    let database: Database<unknown> | undefined;
    const product = defineProduct({
      name: 'broken',
      title: 'Broken service',
      configSchema: schema,
      migrations: [],
      createService: (ctx) => {
        database = ctx.database;
        return Promise.reject(new Error('product could not start'));
      },
    });
    await expect(
      startService(product, configFor(dir), { version: '1', logDestination: silentStream([]) }),
    ).rejects.toThrow('product could not start');
    await expect(database?.ping()).rejects.toThrow();
  });

  it('fails start-up on a migration error, before any listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-start-'));
    const product = defineProduct({
      name: 'badmigration',
      title: 'Bad migration',
      configSchema: schema,
      migrations: [
        { version: 9200, name: 'boom', up: () => Promise.reject(new Error('migration exploded')) },
      ],
      createService: () => Promise.resolve({}),
    });
    await expect(
      startService(product, configFor(dir), { version: '1', logDestination: silentStream([]) }),
    ).rejects.toThrow('migration exploded');
  });

  it('requires client certificates on the admin listener only, when admin.clientAuth says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-start-'));
    const clientPki = await generateCertificateSet({ label: 'operators' });
    writeFileSync(join(dir, 'operators-ca.pem'), clientPki.rootCert);
    const operator = await issueClientCertificate({
      issuerCert: clientPki.intermediateCert,
      issuerKey: clientPki.intermediateKey,
      commonName: 'operator',
    });
    const product = defineProduct({
      name: 'guarded',
      title: 'Guarded service',
      configSchema: schema,
      migrations: [],
      createService: () => Promise.resolve({}),
    });
    const config = configFor(dir, {
      tls: { mode: 'auto', dir: join(dir, 'tls'), clientCaFile: join(dir, 'operators-ca.pem') },
      admin: { clientAuth: 'required' },
    });
    const service = await startService(product, config, {
      version: '1',
      logDestination: silentStream([]),
      exit: () => undefined,
    });
    const ca = service.ca.join('\n');
    try {
      await expect(
        send({ port: service.addresses.admin.port, path: '/admin/v1/livez', ca }),
      ).rejects.toThrow();
      const withCert = await send({
        port: service.addresses.admin.port,
        path: '/admin/v1/livez',
        ca,
        cert: operator.chain,
        key: operator.key,
      });
      expect(withCert.status).toBe(200);
      const publicNoCert = await send({
        port: service.addresses.public.port,
        path: '/.well-known/none',
        ca,
      });
      expect(publicNoCert.status).toBe(404);
    } finally {
      await service.shutdown('test');
    }
  });

  it('refuses admin mTLS without client trust anchors, naming the key', () => {
    const result = schema.safeParse({ admin: { clientAuth: 'required' } });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['tls.clientCaFile', 'required when admin.clientAuth is not none'],
    ]);
  });
});
