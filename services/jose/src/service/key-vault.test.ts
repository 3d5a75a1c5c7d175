import type { Barrier } from '@cryptoutil/barrier';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { KeySetSpec, SealedKeyVersion } from '../domain/key-set.js';
import { createKeyVault } from './key-vault.js';

const SPEC: KeySetSpec = { use: 'sig', alg: 'ES256', shape: { kty: 'EC', crv: 'P-256' } };
const VERSION: SealedKeyVersion = {
  setId: 'set-1',
  tenantId: 't',
  version: 1,
  kid: 'kid-1',
  status: 'active',
  createdAt: 0,
  privateJwe: 'sealed-jwk',
};

/** A barrier whose views "decrypt" to one ES256 private JWK, and whose state the test sets. */
async function fakeBarrier() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = new TextEncoder().encode(JSON.stringify(await exportJWK(privateKey)));
  let decrypts = 0;
  let failNext = false;
  const barrier = {
    state: 'unsealed',
    view: () => ({
      decrypt: () => {
        decrypts += 1;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('cannot decrypt'));
        }
        return Promise.resolve(jwk);
      },
    }),
  };
  return {
    barrier: barrier as unknown as Barrier,
    seal: (state: 'sealed' | 'unsealed') => (barrier.state = state),
    failNext: () => (failNext = true),
    decrypts: () => decrypts,
  };
}

describe('createKeyVault loadedNow', () => {
  it('answers a version only once load has settled, the same value, without a decrypt', async () => {
    const fake = await fakeBarrier();
    const vault = createKeyVault(fake.barrier, 10);
    expect(vault.loadedNow(VERSION)).toBeUndefined();
    const pending = vault.load(VERSION, SPEC);
    expect(vault.loadedNow(VERSION)).toBeUndefined();
    const loaded = await pending;
    expect(loaded).toMatchObject({ setId: 'set-1', version: 1, kid: 'kid-1' });
    expect(vault.loadedNow(VERSION)).toBe(loaded);
    expect(fake.decrypts()).toBe(1);
  });

  it('answers nothing while the barrier is sealed, and forgets what it had loaded', async () => {
    const fake = await fakeBarrier();
    const vault = createKeyVault(fake.barrier, 10);
    await vault.load(VERSION, SPEC);
    fake.seal('sealed');
    expect(vault.loadedNow(VERSION)).toBeUndefined();
    fake.seal('unsealed');
    expect(vault.loadedNow(VERSION)).toBeUndefined();
    await vault.load(VERSION, SPEC);
    expect(fake.decrypts()).toBe(2);
  });

  it('keeps no failed load: the next load decrypts again', async () => {
    const fake = await fakeBarrier();
    const vault = createKeyVault(fake.barrier, 10);
    fake.failNext();
    await expect(vault.load(VERSION, SPEC)).rejects.toThrow('cannot decrypt');
    expect(vault.loadedNow(VERSION)).toBeUndefined();
    expect(await vault.load(VERSION, SPEC)).toBe(vault.loadedNow(VERSION));
    expect(fake.decrypts()).toBe(2);
  });
});
