import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@cryptoutil/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { barrierConfigSchema, loadUnsealSource } from './barrier-config.js';

let dir: string;
const file = (name: string, data: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
async function issuesOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).issues;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-barrier-config-'));
});

describe('barrierConfigSchema', () => {
  it('defaults to dev mode and requires files and a threshold for secrets', () => {
    expect(barrierConfigSchema.parse({})).toEqual({ mode: 'dev' });
    const result = barrierConfigSchema.safeParse({ mode: 'secrets' });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['files', 'threshold']);
  });
});

describe('loadUnsealSource', () => {
  it('builds each mode', async () => {
    expect((await loadUnsealSource({ mode: 'dev' })).mode).toBe('dev');
    expect((await loadUnsealSource({ mode: 'shares' })).mode).toBe('shares');
    const secrets = [1, 2, 3].map((i) => file(`s${i}`, randomBytes(32)));
    const fromSecrets = await loadUnsealSource({ mode: 'secrets', files: secrets, threshold: 2 });
    expect(fromSecrets.mode).toBe('secrets');
    expect(await fromSecrets.keys()).toHaveLength(3);
    const jwk = file(
      'k.json',
      JSON.stringify({ kty: 'oct', k: randomBytes(32).toString('base64url') }),
    );
    expect((await (await loadUnsealSource({ mode: 'jwk', files: [jwk] })).keys()).length).toBe(1);
  });

  it('derives the same keys from the same files in any order', async () => {
    const a = file('a', randomBytes(40));
    const b = file('b', randomBytes(40));
    const one = await (
      await loadUnsealSource({ mode: 'secrets', files: [a, b], threshold: 2 })
    ).keys();
    const two = await (
      await loadUnsealSource({ mode: 'secrets', files: [b, a], threshold: 2 })
    ).keys();
    expect(one.map((k) => k.kid)).toEqual(two.map((k) => k.kid));
  });

  it('names every bad secret file and the threshold, never the content', async () => {
    const secret = randomBytes(16);
    const short = file('short', secret);
    const issues = await issuesOf(
      loadUnsealSource({ mode: 'secrets', files: [short, join(dir, 'missing')], threshold: 3 }),
    );
    expect(issues).toEqual([
      { path: 'barrier.files.1', message: `file not found: ${join(dir, 'missing')}` },
      { path: 'barrier.files.0', message: `must hold 32-64 bytes, has 16: ${short}` },
      { path: 'barrier.threshold', message: 'must be at most the 2 files' },
    ]);
    expect(JSON.stringify(issues)).not.toContain(secret.toString('hex'));
  });

  it('names JWK files that are not JSON or not a 256-bit oct key', async () => {
    const notJson = file('bad.json', 'not json');
    const list = file('list.json', '[]');
    expect(
      await issuesOf(loadUnsealSource({ mode: 'jwk', files: [notJson, list] }, 'kms.barrier')),
    ).toEqual([
      { path: 'kms.barrier.files.0', message: `not a JSON JWK: ${notJson}` },
      { path: 'kms.barrier.files.1', message: `not a JSON JWK: ${list}` },
    ]);
    const ec = file('ec.json', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }));
    expect(await issuesOf(loadUnsealSource({ mode: 'jwk', files: [ec] }))).toEqual([
      { path: 'barrier.files', message: 'unseal JWK 1 must be kty "oct" with a 256-bit "k"' },
    ]);
    expect(
      await issuesOf(loadUnsealSource({ mode: 'jwk', files: [join(dir, 'none.json')] })),
    ).toEqual([{ path: 'barrier.files.0', message: `file not found: ${join(dir, 'none.json')}` }]);
  });
});
