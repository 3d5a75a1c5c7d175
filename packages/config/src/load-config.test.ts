import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { secret } from './secret.js';

const schema = z.object({
  name: z.string().default('kms').describe('Instance name'),
  public: z
    .object({
      port: z.number().int().min(1).max(65535).default(8080),
      bodyLimit: z.number().int().positive().default(2_097_152),
      origins: z.array(z.string()).default([]),
      strict: z.boolean().default(true),
    })
    .prefault({}),
  pepper: secret(z.string().min(32)).optional(),
  tls: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('auto'), dir: z.string().default('./data/tls') }),
      z.object({ mode: z.literal('static'), certFile: z.string(), keyFile: secret(z.string()) }),
    ])
    .prefault({ mode: 'auto' }),
  labels: z.record(z.string(), z.string()).default({}),
});

let dir: string;
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const issuesOf = (fn: () => unknown): { path: string; message: string }[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-config-'));
});

describe('loadConfig precedence', () => {
  it('applies defaults when no source is given', () => {
    const config = loadConfig({ schema });
    expect(config.public.port).toBe(8080);
    expect(config.tls).toEqual({ mode: 'auto', dir: './data/tls' });
    expect(config.name).toBe('kms');
  });

  it('layers defaults < files (later wins) < env < flags', () => {
    const a = write('a.yaml', 'name: from-a\npublic:\n  port: 1000\n  bodyLimit: 10\n');
    const b = write('b.yaml', 'public:\n  port: 2000\n');
    const config = loadConfig({
      schema,
      files: [a, b],
      env: { CRYPTOUTIL_PUBLIC__BODY_LIMIT: '20', CRYPTOUTIL_NAME: 'from-env' },
      flags: ['name=from-flag'],
    });
    expect(config.public.port).toBe(2000);
    expect(config.public.bodyLimit).toBe(20);
    expect(config.name).toBe('from-flag');
  });

  it('lets a product prefix override the shared prefix', () => {
    const config = loadConfig({
      schema,
      env: { CRYPTOUTIL_PUBLIC__PORT: '9000', CRYPTOUTIL_KMS__PUBLIC__PORT: '9001' },
      envPrefixes: ['CRYPTOUTIL_', 'CRYPTOUTIL_KMS__'],
    });
    expect(config.public.port).toBe(9001);
  });

  it('coerces env strings to booleans, lists and JSON maps', () => {
    const config = loadConfig({
      schema,
      env: {
        CRYPTOUTIL_PUBLIC__STRICT: 'false',
        CRYPTOUTIL_PUBLIC__ORIGINS: 'https://a.example, https://b.example',
        CRYPTOUTIL_LABELS: '{"team":"platform"}',
        CRYPTOUTIL_UNKNOWN__THING: 'ignored',
      },
    });
    expect(config.public.strict).toBe(false);
    expect(config.public.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.labels).toEqual({ team: 'platform' });
  });

  it('selects discriminated union variants from any source', () => {
    const keyFile = write('tls.key', 'not-a-real-key\n');
    const config = loadConfig({
      schema,
      flags: [
        'tls.mode=static',
        'tls.certFile=/x.pem',
        `tls.keyFile=${pathToFileURL(keyFile).href}`,
      ],
    });
    expect(config.tls).toEqual({ mode: 'static', certFile: '/x.pem', keyFile: 'not-a-real-key' });
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ schema });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.public)).toBe(true);
    expect(Object.isFrozen(config.public.origins)).toBe(true);
  });
});

describe('loadConfig errors', () => {
  it('names every failing key path at once', () => {
    const issues = issuesOf(() =>
      loadConfig({
        schema,
        env: { CRYPTOUTIL_PUBLIC__PORT: '70000' },
        flags: ['public.strict=maybe'],
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['public.port', 'public.strict']);
  });

  it('reports unknown keys in files with the file name', () => {
    const file = write('typo.yaml', 'public:\n  prot: 1\n');
    expect(issuesOf(() => loadConfig({ schema, files: [file] }))).toEqual([
      { path: 'public.prot', message: `unknown configuration key (in ${file})` },
    ]);
  });

  it('reports unknown flag keys and malformed flags', () => {
    expect(issuesOf(() => loadConfig({ schema, flags: ['nope.x=1', 'novalue'] }))).toEqual([
      { path: 'nope.x', message: 'unknown configuration key' },
      { path: '--set novalue', message: 'expected key.path=value' },
    ]);
  });

  it('reports missing files, invalid YAML and non-mapping documents', () => {
    const bad = write('bad.yaml', 'a: [1, 2\n');
    const list = write('list.yaml', '- 1\n- 2\n');
    const issues = issuesOf(() =>
      loadConfig({ schema, files: [join(dir, 'missing.yaml'), bad, list] }),
    );
    expect(issues[0]).toEqual({
      path: `config file ${join(dir, 'missing.yaml')}`,
      message: 'file not found',
    });
    expect(issues[1]?.path).toBe(`config file ${bad}`);
    expect(issues[1]?.message).toMatch(/^invalid YAML at line \d+/);
    expect(issues.at(-1)).toEqual({
      path: `config file ${list}`,
      message: 'must be a YAML mapping',
    });
  });

  it('passes malformed JSON through so the schema names the key', () => {
    const issues = issuesOf(() => loadConfig({ schema, env: { CRYPTOUTIL_LABELS: '{not json' } }));
    expect(issues.map((i) => i.path)).toEqual(['labels']);
  });

  it('names unknown keys that a strict schema reports', () => {
    const strict = z.strictObject({ inner: z.strictObject({ a: z.number().optional() }) });
    expect(
      issuesOf(() => loadConfig({ schema: strict, base: { inner: { a: 1, b: 2 }, c: 3 } })),
    ).toEqual([
      { path: 'inner.b', message: 'unknown configuration key' },
      { path: 'c', message: 'unknown configuration key' },
    ]);
  });

  it('refuses keys of another mode from env and flags instead of dropping them', () => {
    expect(
      issuesOf(() =>
        loadConfig({
          schema,
          flags: ['tls.mode=auto'],
          env: { CRYPTOUTIL_TLS__CERT_FILE: '/etc/x.pem' },
        }),
      ),
    ).toEqual([{ path: 'tls.certFile', message: 'not valid for the selected mode' }]);
  });

  it('reports keys named like Object.prototype members instead of crashing', () => {
    expect(
      issuesOf(() =>
        loadConfig({
          schema,
          flags: ['constructor=1'],
          env: { CRYPTOUTIL_PUBLIC__TO_STRING: 'x' },
        }),
      ),
    ).toEqual([{ path: 'constructor', message: 'unknown configuration key' }]);
  });

  it('accepts an empty file', () => {
    expect(loadConfig({ schema, files: [write('empty.yaml', '')] }).name).toBe('kms');
  });
});

describe('secret fields', () => {
  it('resolves file:// references and strips one trailing newline', () => {
    const file = write('pepper', `${'p'.repeat(40)}\n`);
    const config = loadConfig({ schema, env: { CRYPTOUTIL_PEPPER: pathToFileURL(file).href } });
    expect(config.pepper).toBe('p'.repeat(40));
  });

  it('names the key and the file when a secret file is missing', () => {
    expect(
      issuesOf(() => loadConfig({ schema, flags: ['pepper=file:///run/secrets/nope'] })),
    ).toEqual([{ path: 'pepper', message: 'secret file not found: /run/secrets/nope' }]);
  });

  it('rejects relative secret references', () => {
    expect(issuesOf(() => loadConfig({ schema, flags: ['pepper=file:relative'] }))).toEqual([
      { path: 'pepper', message: 'secret reference must be an absolute file:/// URL' },
    ]);
  });

  it('never puts a secret value into an error', () => {
    const file = write('short-pepper', 'tooshort-s3cr3t');
    const err = (() => {
      try {
        loadConfig({ schema, flags: [`pepper=${pathToFileURL(file).href}`] });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected failure');
    })();
    expect(err.issues.map((i) => i.path)).toEqual(['pepper']);
    expect(err.message).not.toContain('tooshort-s3cr3t');
  });

  it('leaves file: strings of non-secret fields untouched', () => {
    expect(loadConfig({ schema, flags: ['name=file:///etc/hostname'] }).name).toBe(
      'file:///etc/hostname',
    );
  });
});
