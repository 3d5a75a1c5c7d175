import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ProblemError, problems } from '../problems/index.js';
import { createApiKeyVerifier, generateApiKey, hashApiKey, parseApiKeyId } from './api-key.js';

const run = promisify(execFile);
const PEPPER = 'pepper-for-unit-tests-0123456789abcdef';

/** HKDF-SHA-256 computed by OpenSSL, an implementation independent of node:crypto's call site. */
async function opensslHkdf(key: string, pepper: string): Promise<string> {
  const { stdout } = await run('/usr/bin/openssl', [
    'kdf',
    '-keylen',
    '32',
    '-kdfopt',
    'digest:SHA256',
    '-kdfopt',
    `key:${key}`,
    '-kdfopt',
    `salt:${pepper}`,
    '-kdfopt',
    'info:cryptoutil api-key v1',
    'HKDF',
  ]);
  return stdout.trim().replaceAll(':', '').toLowerCase();
}

function hexOf(hash: string): string {
  const [scheme, version, value] = hash.split('$');
  expect([scheme, version]).toEqual(['hkdf-sha256', '1']);
  return Buffer.from(value!, 'base64url').toString('hex');
}

async function rejection(fn: () => unknown): Promise<ProblemError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    return error as ProblemError;
  }
  throw new Error('expected a ProblemError');
}

describe('hashApiKey', () => {
  it('matches the OpenSSL HKDF known answer for a fixed key and pepper', async () => {
    const key = 'cu_kat-1_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
    const hash = hashApiKey(key, PEPPER);
    expect(hash).toMatch(/^hkdf-sha256\$1\$[A-Za-z0-9_-]{43}$/);
    expect(hexOf(hash)).toBe(await opensslHkdf(key, PEPPER));
  });

  it('matches OpenSSL for a freshly generated key', async () => {
    const { key } = generateApiKey();
    expect(hexOf(hashApiKey(key, PEPPER))).toBe(await opensslHkdf(key, PEPPER));
  });

  it('depends on the pepper', () => {
    const { key } = generateApiKey();
    expect(hashApiKey(key, PEPPER)).not.toBe(hashApiKey(key, `${PEPPER}x`));
  });
});

describe('generateApiKey', () => {
  it('creates cu_<id>_<43 base64url chars> with 32 random bytes', () => {
    const { id, key } = generateApiKey();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(key).toMatch(new RegExp(`^cu_${id}_[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(key.slice(-43), 'base64url')).toHaveLength(32);
    expect(parseApiKeyId(key)).toBe(id);
    expect(generateApiKey().key).not.toBe(key);
  });

  it('accepts a chosen id and refuses one that would make the key ambiguous', () => {
    expect(generateApiKey({ id: 'ci-deploy' }).key).toMatch(/^cu_ci-deploy_/);
    expect(() => generateApiKey({ id: 'has_underscore' })).toThrow(TypeError);
    expect(() => generateApiKey({ id: '' })).toThrow(TypeError);
  });
});

describe('createApiKeyVerifier', () => {
  const ci = generateApiKey({ id: 'ci' });
  const ops = generateApiKey({ id: 'ops' });
  const verifier = createApiKeyVerifier(
    [
      { id: 'ci', hash: hashApiKey(ci.key, PEPPER), tenant: 'acme', scopes: ['kms:encrypt'] },
      { id: 'ops', hash: hashApiKey(ops.key, PEPPER), tenant: 'default', scopes: [] },
    ],
    PEPPER,
  );

  it('round-trips: a generated key verifies against its stored hash', () => {
    expect(verifier.verify(ci.key)).toEqual({
      subject: 'ci',
      tenant: 'acme',
      scopes: ['kms:encrypt'],
      method: 'api-key',
    });
    expect(verifier.verify(ops.key).subject).toBe('ops');
    expect(Object.isFrozen(verifier.verify(ci.key).scopes)).toBe(true);
  });

  it('refuses a wrong secret for a known id with the 401 problem', async () => {
    const wrong = `cu_ci_${generateApiKey().key.slice(-43)}`;
    const problem = await rejection(() => verifier.verify(wrong));
    expect(problem.definition).toBe(problems.invalidToken);
    expect(problem.detail).toBe('unknown or invalid API key');
    expect(problem.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="unknown or invalid API key"',
    );
  });

  it('still refuses a wrong secret after the right one was verified (and remembered)', async () => {
    expect(verifier.verify(ci.key).subject).toBe('ci');
    const flipped = `${ci.key.slice(0, -1)}${ci.key.endsWith('A') ? 'B' : 'A'}`;
    expect((await rejection(() => verifier.verify(flipped))).detail).toBe(
      'unknown or invalid API key',
    );
    expect(verifier.verify(ci.key).subject).toBe('ci');
  });

  it('gives an unknown id the same answer as a wrong secret', async () => {
    const problem = await rejection(() => verifier.verify(generateApiKey({ id: 'nobody' }).key));
    expect(problem.detail).toBe('unknown or invalid API key');
  });

  it.each([
    ['no prefix', 'ci_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'],
    ['short secret', 'cu_ci_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh'],
    ['long secret', 'cu_ci_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A'],
    ['empty id', 'cu__AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'],
    ['bad character', 'cu_c.i_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'],
    ['prefix only', 'cu_'],
  ])('refuses a malformed key (%s) without echoing it', async (_name, key) => {
    const problem = await rejection(() => verifier.verify(key));
    expect(problem.detail).toBe('malformed API key');
    expect(JSON.stringify(problem.toBody())).not.toContain(key);
    expect(problem.headers['www-authenticate']).not.toContain(key);
  });

  it('answers with the 401 problem when no keys are configured', async () => {
    const empty = createApiKeyVerifier([], undefined);
    expect((await rejection(() => empty.verify(ci.key))).detail).toBe('unknown or invalid API key');
  });

  it('rejects programming errors at construction', () => {
    const entry = { id: 'x', hash: hashApiKey(ci.key, PEPPER), tenant: 'default', scopes: [] };
    expect(() => createApiKeyVerifier([entry], undefined)).toThrow('API keys need a pepper');
    expect(() => createApiKeyVerifier([{ ...entry, hash: 'pbkdf2$1$abc' }], PEPPER)).toThrow(
      'API key x: unsupported hash format',
    );
  });
});
