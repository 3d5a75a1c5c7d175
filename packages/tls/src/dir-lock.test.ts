import { mkdtempSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDirLock } from './dir-lock.js';

describe('withDirLock', () => {
  it('runs callers one at a time and removes the lock after', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cu-lock-')), 'nested');
    const order: string[] = [];
    const task = (name: string) =>
      withDirLock(dir, async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name} out`);
      });
    await Promise.all([task('a'), task('b')]);
    expect(order).toHaveLength(4);
    expect(order[0]?.endsWith(' in') && order[1]?.endsWith(' out')).toBe(true);
    expect(order[0]?.[0]).toBe(order[1]?.[0]);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('takes over a stale lock and gives up on a live one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-lock-'));
    writeFileSync(join(dir, '.lock'), '99999');
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, '.lock'), old, old);
    await expect(withDirLock(dir, () => Promise.resolve('ran'))).resolves.toBe('ran');
    writeFileSync(join(dir, '.lock'), '99999');
    await expect(
      withDirLock(dir, () => Promise.resolve('ran'), { timeoutMs: 100 }),
    ).rejects.toThrow('is held by another process');
  });
});
