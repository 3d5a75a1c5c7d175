// Shamir split of the unseal key and the share collector.
import { describe, expect, it } from 'vitest';
import { createShareCollector, splitUnsealKey } from './unseal-shares.js';
import { kidForKey } from './unseal-key-source.js';

describe('splitUnsealKey', () => {
  it('makes N base64url shares of a random key whose kid derives from it', async () => {
    const { unsealKey, shares } = await splitUnsealKey({ shares: 5, threshold: 3 });
    expect(shares).toHaveLength(5);
    expect(new Set(shares).size).toBe(5);
    expect(Buffer.from(shares[0] ?? '', 'base64url')).toHaveLength(33);
    expect(unsealKey.kid).toBe(kidForKey('shares', unsealKey.key));
  });

  it('rejects impossible share counts and thresholds', async () => {
    await expect(splitUnsealKey({ shares: 1, threshold: 1 })).rejects.toThrow(
      new TypeError('shares must be between 2 and 255'),
    );
    await expect(splitUnsealKey({ shares: 256, threshold: 2 })).rejects.toThrow(TypeError);
    await expect(splitUnsealKey({ shares: 3, threshold: 4 })).rejects.toThrow(
      new TypeError('threshold must be between 2 and 3'),
    );
    await expect(splitUnsealKey({ shares: 3, threshold: 1 })).rejects.toThrow(TypeError);
  });
});

describe('createShareCollector', () => {
  it('reports progress and combines any M shares into the key', async () => {
    const { unsealKey, shares } = await splitUnsealKey({ shares: 3, threshold: 2 });
    const collector = createShareCollector(2);
    expect(collector.progress()).toEqual({ progress: 0, threshold: 2 });
    expect(await collector.add(shares[2] ?? '')).toBeUndefined();
    expect(collector.progress()).toEqual({ progress: 1, threshold: 2 });
    expect(await collector.add(shares[0] ?? '')).toEqual(unsealKey);
    expect(collector.progress()).toEqual({ progress: 0, threshold: 2 });
  });

  it('rejects duplicates and malformed shares without counting them', async () => {
    const { shares } = await splitUnsealKey({ shares: 3, threshold: 3 });
    const collector = createShareCollector(3);
    await collector.add(shares[0] ?? '');
    await expect(collector.add(shares[0] ?? '')).rejects.toMatchObject({
      code: 'duplicate-share',
      message: 'this share was already submitted',
    });
    for (const bad of [
      '',
      'not base64!',
      Buffer.alloc(32).toString('base64url'),
      Buffer.alloc(33).toString('base64url'),
    ]) {
      await expect(collector.add(bad)).rejects.toMatchObject({
        code: 'invalid-share',
        message: 'a share is 33 base64url-encoded bytes',
      });
    }
    expect(collector.progress()).toEqual({ progress: 1, threshold: 3 });
    collector.reset();
    expect(collector.progress()).toEqual({ progress: 0, threshold: 3 });
  });
});
