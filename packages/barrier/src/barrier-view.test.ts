// Prefix-scoped views over a fixed set of content keys.
import { randomBytes } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { assertViewPrefix, createBarrierView, type ContentKeys } from './barrier-view.js';

const keys = new Map([
  ['ck-1', new Uint8Array(randomBytes(32))],
  ['ck-2', new Uint8Array(randomBytes(32))],
]);
let currentKid = 'ck-1';
const contentKeys: ContentKeys = {
  current: () =>
    Promise.resolve({ kid: currentKid, key: keys.get(currentKid) ?? new Uint8Array() }),
  get: (kid) => Promise.resolve(keys.get(kid)),
};
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const failed = { code: 'decrypt-failed', message: 'decryption failed' };

describe('createBarrierView', () => {
  const view = createBarrierView('kms/tenant-1', contentKeys);

  it('encrypts to a standard compact JWE whose header names the content key and the view', async () => {
    const jwe = await view.encrypt(text('hello'));
    expect(view.prefix).toBe('kms/tenant-1');
    expect(decodeProtectedHeader(jwe)).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      kid: 'ck-1',
      'cu-view': 'kms/tenant-1',
    });
    expect(await view.decrypt(jwe)).toEqual(text('hello'));
    // Any JOSE implementation decrypts it with the content key.
    expect((await compactDecrypt(jwe, keys.get('ck-1') ?? new Uint8Array())).plaintext).toEqual(
      text('hello'),
    );
  });

  it('decrypts data made under an older content key by its kid', async () => {
    const old = await view.encrypt(text('old'));
    currentKid = 'ck-2';
    const fresh = await view.encrypt(text('new'));
    currentKid = 'ck-1';
    expect(decodeProtectedHeader(fresh).kid).toBe('ck-2');
    expect(await view.decrypt(old)).toEqual(text('old'));
    expect(await view.decrypt(fresh)).toEqual(text('new'));
  });

  it('binds caller AAD: the same AAD decrypts, another or none fails', async () => {
    const jwe = await view.encrypt(text('secret'), text('context-a'));
    expect(jwe.split('.')[1]).toBe('');
    expect(await view.decrypt(jwe, text('context-a'))).toEqual(text('secret'));
    await expect(view.decrypt(jwe, text('context-b'))).rejects.toMatchObject(failed);
    await expect(view.decrypt(jwe)).rejects.toMatchObject(failed);
    const plain = await view.encrypt(text('secret'));
    await expect(view.decrypt(plain, text('context-a'))).rejects.toMatchObject(failed);
  });

  it('never decrypts a ciphertext of another view', async () => {
    const other = createBarrierView('kms/tenant-2', contentKeys);
    const jwe = await view.encrypt(text('tenant 1 data'));
    await expect(other.decrypt(jwe)).rejects.toMatchObject(failed);
    // Rewriting the header to claim the other view breaks the authentication tag.
    const [h, ...rest] = jwe.split('.');
    const header = {
      ...JSON.parse(Buffer.from(h ?? '', 'base64url').toString()),
      'cu-view': 'kms/tenant-2',
    };
    const forged = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.');
    await expect(other.decrypt(forged)).rejects.toMatchObject(failed);
  });

  it('fails on tampering, malformed input, unknown kids and other algorithms', async () => {
    const jwe = await view.encrypt(text('data'));
    const parts = jwe.split('.');
    const flip = (s: string): string => (s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`);
    const header = (h: object): string => Buffer.from(JSON.stringify(h)).toString('base64url');
    for (const bad of [
      [parts[0], '', parts[2], flip(parts[3] ?? ''), parts[4]].join('.'),
      [parts[0], '', parts[2], parts[3], flip(parts[4] ?? '')].join('.'),
      'a.b.c',
      'x.y.z.w.v',
      [
        header({ alg: 'dir', enc: 'A256GCM', kid: 'ck-9', 'cu-view': 'kms/tenant-1' }),
        ...parts.slice(1),
      ].join('.'),
      [
        header({ alg: 'dir', enc: 'A128GCM', kid: 'ck-1', 'cu-view': 'kms/tenant-1' }),
        ...parts.slice(1),
      ].join('.'),
      [header({ alg: 'dir', enc: 'A256GCM', 'cu-view': 'kms/tenant-1' }), ...parts.slice(1)].join(
        '.',
      ),
    ]) {
      await expect(view.decrypt(bad)).rejects.toMatchObject(failed);
    }
  });
});

describe('assertViewPrefix', () => {
  it('accepts slash-separated segments and rejects anything else', () => {
    expect(assertViewPrefix('kms')).toBeUndefined();
    expect(assertViewPrefix('ca/tenant_1/issuer.a-b')).toBeUndefined();
    for (const bad of ['', '/kms', 'kms/', 'kms//x', 'kms/ten ant', 'x'.repeat(201), '../etc']) {
      expect(() => assertViewPrefix(bad)).toThrow(TypeError);
    }
  });
});
