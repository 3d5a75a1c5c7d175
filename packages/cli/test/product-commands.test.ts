import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateApiKey, hashApiKey } from '@cryptoutil/server';
import { freePort, send } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startLive, type CliRun } from './cli-harness.js';
import { fixtureProduct, fixtureState } from './fixture-product.js';

const products = [fixtureProduct];
let cwd: string;
let flags: string[];
let publicPort: number;
let server: Promise<CliRun>;
const pepper = 'a-pepper-of-at-least-thirty-two-characters!';
const apiKey = generateApiKey({ id: 'tester' });

const run = (argv: string[]) => cli(argv, { cwd, products });

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cu-cli-server-'));
  writeFileSync(join(cwd, 'pepper'), pepper);
  publicPort = await freePort();
  const adminPort = await freePort();
  const entry = {
    id: apiKey.id,
    hash: hashApiKey(apiKey.key, pepper),
    tenant: 'acme',
    scopes: ['fixture:read'],
  };
  writeFileSync(
    join(cwd, 'fixture.yaml'),
    [
      `public:\n  port: ${publicPort}`,
      `admin:\n  port: ${adminPort}`,
      'telemetry:\n  logLevel: silent',
      '',
    ].join('\n'),
  );
  flags = [
    '-c',
    'fixture.yaml',
    '-s',
    `tls.dir=${join(cwd, 'tls')}`,
    '-s',
    `auth.pepper=${pathToFileURL(join(cwd, 'pepper')).href}`,
    '-s',
    `auth.apiKeys=${JSON.stringify([entry])}`,
  ];
  server = (await startLive(['fixture', 'server', '--dev', ...flags], flags, { cwd, products }))
    .done;
});

afterAll(async () => {
  await run(['fixture', 'shutdown', ...flags]);
  await server;
});

describe('cryptoutil <product> server, health and shutdown', () => {
  it('answers livez and readyz through the CLI', async () => {
    const livez = await run(['fixture', 'health', 'livez', ...flags]);
    expect(livez).toEqual({ code: 0, stdout: '{"status":"ok"}\n', stderr: '' });
    const readyz = await run(['fixture', 'health', 'readyz', ...flags]);
    expect(readyz.code).toBe(0);
    expect(JSON.parse(readyz.stdout)).toEqual({
      status: 'ok',
      checks: { database: 'ok', barrier: 'ok', fixture: 'ok' },
    });
  });

  it('readyz exits 1 and names the failing check', async () => {
    fixtureState.ready = false;
    try {
      const readyz = await run(['fixture', 'health', 'readyz', ...flags]);
      expect(readyz.code).toBe(1);
      expect(readyz.stderr).toBe('cryptoutil: readyz: HTTP 503\n');
      const body = JSON.parse(readyz.stdout);
      expect(body.status).toBe(503);
      expect(body.checks.fixture).toBeDefined();
      expect(body.checks.database).toBe('ok');
    } finally {
      fixtureState.ready = true;
    }
  });

  it('serves the product over TLS with the auto CA, migrations applied', async () => {
    const ca = readFileSync(join(cwd, 'tls', 'ca.pem'), 'utf8');
    const open = await send({ port: publicPort, path: '/service/api/v1/greeting', ca });
    expect(open.status).toBe(200);
    expect(JSON.parse(open.text)).toEqual({ greeting: 'hello' });
    const denied = await send({ port: publicPort, path: '/service/api/v1/greetings/one', ca });
    expect(denied.status).toBe(401);
    expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);
    const ok = await send({
      port: publicPort,
      path: '/service/api/v1/greetings/one',
      ca,
      headers: { authorization: `Bearer ${apiKey.key}` },
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ text: 'hello from the database', tenant: 'acme' });
  });
});

describe('cryptoutil <product> configuration errors', () => {
  it('exits 2 naming every failing key path (the README example)', async () => {
    const res = await run([
      'fixture',
      'migrate',
      '-s',
      'public.port=70000',
      '-s',
      'admin.address=0.0.0.0',
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      [
        'cryptoutil: invalid configuration:',
        '  public.port: Too big: expected number to be <=65535',
        '  admin.address: address must be a loopback address (127.0.0.0/8 or ::1): the admin listener is never exposed, got "0.0.0.0"',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 for a missing config file or secret file', async () => {
    const missing = await run(['fixture', 'migrate', '-c', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`config file ${join(cwd, 'nope.yaml')}: file not found`);
    const secret = await run(['fixture', 'migrate', '-s', 'auth.pepper=file:///run/secrets/none']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('auth.pepper: secret file not found: /run/secrets/none');
  });

  it('exits 2 naming the key when a TLS or telemetry file is missing at start', async () => {
    const base = ['-s', 'telemetry.logLevel=silent', '-s', 'public.port=0', '-s', 'admin.port=0'];
    const tls = await run([
      'fixture',
      'server',
      ...base,
      '-s',
      'tls.mode=static',
      '-s',
      'tls.certFile=/nope/c.pem',
      '-s',
      'tls.keyFile=/nope/k.pem',
    ]);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toBe(
      'cryptoutil: invalid configuration:\n  tls.certFile: file not found: /nope/c.pem\n',
    );
    const otlp = await run([
      'fixture',
      'server',
      ...base,
      '-s',
      'telemetry.otlp.endpoint=https://127.0.0.1:4317',
      '-s',
      'telemetry.otlp.caFile=/nope/ca.pem',
    ]);
    expect(otlp.code).toBe(2);
    expect(otlp.stderr).toBe(
      'cryptoutil: invalid configuration:\n  telemetry.otlp.caFile: file not found: /nope/ca.pem\n',
    );
  });

  it('migrate applies pending migrations once', async () => {
    const url = `sqlite:${join(cwd, 'migrate.db')}`;
    const first = await run([
      'fixture',
      'migrate',
      '-s',
      `database.url=${url}`,
      '-s',
      'telemetry.logLevel=silent',
    ]);
    expect(first).toEqual({ code: 0, stdout: 'applied migrations 1001, 9001\n', stderr: '' });
    const second = await run([
      'fixture',
      'migrate',
      '-s',
      `database.url=${url}`,
      '-s',
      'telemetry.logLevel=silent',
    ]);
    expect(second.stdout).toBe('no pending migrations\n');
  });

  it('health against a closed port exits 1', async () => {
    const port = await freePort();
    const res = await run([
      'fixture',
      'health',
      'livez',
      ...flags,
      '--url',
      `https://127.0.0.1:${port}`,
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ECONNREFUSED');
  });

  it('refuses a non-HTTPS or malformed --url and an unreadable --cacert', async () => {
    const http = await run(['fixture', 'health', 'livez', ...flags, '--url', 'http://127.0.0.1:1']);
    expect(http).toMatchObject({
      code: 2,
      stderr: 'cryptoutil: --url: the admin listener speaks HTTPS only\n',
    });
    const bad = await run(['fixture', 'health', 'livez', ...flags, '--url', 'not a url']);
    expect(bad).toMatchObject({ code: 2, stderr: 'cryptoutil: --url: not a URL: not a url\n' });
    const ca = await run(['fixture', 'health', 'livez', ...flags, '--cacert', 'missing.pem']);
    expect(ca.code).toBe(2);
    expect(ca.stderr).toContain(`cannot read the CA certificate ${join(cwd, 'missing.pem')}`);
  });

  it('finds the CA of static and mixed TLS modes in the config', async () => {
    const tls = join(cwd, 'tls', 'ca.pem');
    // tls.dir belongs to auto mode only: these runs name another mode.
    const dirAt = flags.findIndex((f) => f.startsWith('tls.dir='));
    const noDir = [...flags.slice(0, dirAt - 1), ...flags.slice(dirAt + 1)];
    const asStatic = [
      '-s',
      'tls.mode=static',
      '-s',
      'tls.certFile=/c.pem',
      '-s',
      'tls.keyFile=/k.pem',
    ];
    const withCa = await run([
      'fixture',
      'health',
      'livez',
      ...noDir,
      ...asStatic,
      '-s',
      `tls.caFile=${tls}`,
    ]);
    expect(withCa.code).toBe(0);
    const mixed = [
      '-s',
      'tls.mode=mixed',
      '-s',
      `tls.caCertFile=${join(cwd, 'none.pem')}`,
      '-s',
      'tls.caKeyFile=/k',
    ];
    const missing = await run(['fixture', 'health', 'livez', ...noDir, ...mixed]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read the CA certificate ${join(cwd, 'none.pem')}`);
    // Without a caFile the system trust store applies, which does not know the auto CA.
    const noCa = await run(['fixture', 'health', 'livez', ...noDir, ...asStatic]);
    expect(noCa.code).toBe(1);
    expect(noCa.stderr).toMatch(/certificate/);
  });
});
