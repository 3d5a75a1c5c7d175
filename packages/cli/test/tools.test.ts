import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hashApiKey } from '@cryptoutil/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from './cli-harness.js';

const run = promisify(execFile);
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cu-cli-'));
});

describe('cryptoutil basics', () => {
  it('prints help listing the commands and exits 0', async () => {
    const res = await cli(['--help'], { cwd });
    expect(res.code).toBe(0);
    for (const name of ['dev', 'tls', 'apikey', 'docs']) expect(res.stdout).toContain(name);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await cli(['frobnicate'], { cwd })).code).toBe(2);
    const res = await cli(['tls', 'init', '--bogus'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown option '--bogus'");
  });

  it('says a planned product is not built yet, exit 2', async () => {
    const res = await cli(['kms', 'server', '--dev'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'cryptoutil: kms is not part of this build yet; it arrives with its own issue\n',
    );
  });

  it('dev with no product says so and exits 0', async () => {
    const res = await cli(['dev'], { cwd });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^cryptoutil dev: no product is built yet/);
  });
});

describe('cryptoutil tls init', () => {
  it('writes a chain openssl verifies, with private keys 0600', async () => {
    const res = await cli(['tls', 'init', '--dir', 'tls-a', '--name', 'kms.internal'], { cwd });
    expect(res.code).toBe(0);
    const dir = join(cwd, 'tls-a');
    expect(res.stdout).toContain(`wrote a certificate set to ${dir}`);
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'ca.pem'),
      '-untrusted',
      join(dir, 'intermediate.pem'),
      join(dir, 'server.pem'),
    ]);
    expect(stdout.trim()).toBe(`${join(dir, 'server.pem')}: OK`);
    const text = (
      await run('openssl', [
        'x509',
        '-in',
        join(dir, 'server.pem'),
        '-noout',
        '-ext',
        'subjectAltName',
      ])
    ).stdout;
    expect(text).toContain('DNS:kms.internal');
    expect(text).toContain('IP Address:127.0.0.1');
    expect(statSync(join(dir, 'server-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite without --force', async () => {
    expect((await cli(['tls', 'init', '--dir', 'tls-b'], { cwd })).code).toBe(0);
    const before = readFileSync(join(cwd, 'tls-b', 'ca.pem'), 'utf8');
    const again = await cli(['tls', 'init', '--dir', 'tls-b'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ca.pem exists; pass --force');
    expect(readFileSync(join(cwd, 'tls-b', 'ca.pem'), 'utf8')).toBe(before);
    expect((await cli(['tls', 'init', '--dir', 'tls-b', '--force'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'tls-b', 'ca.pem'), 'utf8')).not.toBe(before);
  });

  it('accepts a validity in days', async () => {
    const res = await cli(['tls', 'init', '--dir', 'tls-d', '--validity-days', '30'], { cwd });
    expect(res.code).toBe(0);
    const { stdout } = await run('openssl', [
      'x509',
      '-in',
      join(cwd, 'tls-d', 'server.pem'),
      '-noout',
      '-startdate',
      '-enddate',
    ]);
    const [start, end] = stdout
      .trim()
      .split('\n')
      .map((l) => Date.parse(l.split('=')[1] ?? ''));
    expect(Math.round(((end ?? 0) - (start ?? 0)) / 86_400_000)).toBe(30);
  });

  it('refuses names and validities the tls config would refuse', async () => {
    const badName = await cli(['tls', 'init', '--dir', 'tls-e', '--name', 'bad name!'], { cwd });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^cryptoutil: --name: /);
    const tooLong = await cli(['tls', 'init', '--dir', 'tls-e', '--validity-days', '5000'], {
      cwd,
    });
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/^cryptoutil: --validity-days: /);
    expect(existsSync(join(cwd, 'tls-e'))).toBe(false);
  });

  it('rejects a bad validity', async () => {
    const res = await cli(['tls', 'init', '--dir', 'tls-c', '--validity-days', 'soon'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('expected a positive whole number, got soon');
  });
});

describe('cryptoutil docs', () => {
  it('writes the generated files under --root', async () => {
    mkdirSync(join(cwd, 'repo', 'docs'), { recursive: true });
    const res = await cli(['docs', '--root', 'repo'], { cwd });
    expect(res).toEqual({
      code: 0,
      stdout: 'wrote docs/config.md\nwrote docs/problems.md\n',
      stderr: '',
    });
    expect(readFileSync(join(cwd, 'repo', 'docs', 'config.md'), 'utf8')).toMatch(
      /^# Configuration reference\n/,
    );
    expect((await cli(['docs', '--root', 'repo', '--check'], { cwd })).code).toBe(0);
  });
});

describe('cryptoutil apikey create', () => {
  const pepper = 'p'.repeat(48);

  it('prints the key once and a config entry holding only its hash', async () => {
    writeFileSync(join(cwd, 'pepper'), `${pepper}\n`);
    const res = await cli(
      [
        'apikey',
        'create',
        '--pepper-file',
        'pepper',
        '--tenant',
        't1',
        '--scope',
        'kms:read',
        '--id',
        'ci-bot',
      ],
      { cwd },
    );
    expect(res.code).toBe(0);
    const key = /shown once; store it in your secret manager\): (\S+)/.exec(res.stdout)?.[1] ?? '';
    expect(key).toMatch(/^cu_ci-bot_[A-Za-z0-9_-]{43}$/);
    const yamlText = res.stdout.slice(res.stdout.indexOf('auth:'));
    expect(parse(yamlText)).toEqual({
      auth: {
        apiKeys: [
          { id: 'ci-bot', hash: hashApiKey(key, pepper), tenant: 't1', scopes: ['kms:read'] },
        ],
      },
    });
    expect(yamlText).not.toContain(key);
    expect(res.stdout).not.toContain(pepper);
  });

  it('refuses a missing or short pepper and a bad id', async () => {
    expect((await cli(['apikey', 'create', '--pepper-file', 'nope'], { cwd })).stderr).toContain(
      '--pepper-file: cannot read',
    );
    writeFileSync(join(cwd, 'short'), 'short');
    const short = await cli(['apikey', 'create', '--pepper-file', 'short'], { cwd });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 32 characters');
    const badId = await cli(['apikey', 'create', '--pepper-file', 'pepper', '--id', 'a b'], {
      cwd,
    });
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('--id:');
  });
});
