// Auto mode persistence: the CA set survives restarts, the leaf does not, and a broken or
// expired set is replaced.
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTlsMaterial } from '../src/index.js';
import { createTempDir, openssl, type TempDir } from './fixtures.js';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir('tls-auto-');
});
afterEach(() => tmp.remove());

const leafOf = (chain: string) => new X509Certificate(chain);

describe('auto mode', () => {
  it('writes ca.pem 0644 and the intermediate key 0600, and the chain verifies with openssl', async () => {
    const material = await loadTlsMaterial({
      mode: 'auto',
      dir: tmp.path,
      names: ['kms.internal'],
    });
    expect(material.caFile).toBe(join(tmp.path, 'ca.pem'));
    expect((await stat(join(tmp.path, 'ca.pem'))).mode & 0o777).toBe(0o644);
    expect((await stat(join(tmp.path, 'intermediate-key.pem'))).mode & 0o777).toBe(0o600);
    expect(material.ca).toEqual([await readFile(join(tmp.path, 'ca.pem'), 'utf8')]);
    const intermediate = await readFile(join(tmp.path, 'intermediate.pem'), 'utf8');
    expect(material.cert.endsWith(intermediate)).toBe(true);
    expect(leafOf(material.cert).checkHost('kms.internal')).toBe('kms.internal');
    const server = await tmp.file('server.pem', material.cert);
    const result = await openssl([
      'verify',
      '-CAfile',
      material.caFile!,
      '-untrusted',
      join(tmp.path, 'intermediate.pem'),
      server,
    ]);
    expect(result).toEqual({ code: 0, output: `${server}: OK\n` });
    expect(new X509Certificate(material.ca[0]!).subject).toBe(
      'CN=cryptoutil auto root CA\nO=cryptoutil',
    );
  });

  it('reuses the CA on the next start and issues a new leaf', async () => {
    const first = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    const caPem = await readFile(join(tmp.path, 'ca.pem'), 'utf8');
    const second = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    expect(await readFile(join(tmp.path, 'ca.pem'), 'utf8')).toBe(caPem);
    expect(second.ca).toEqual(first.ca);
    expect(leafOf(second.cert).serialNumber).not.toBe(leafOf(first.cert).serialNumber);
    expect(second.key).not.toBe(first.key);
  });

  it('gives concurrent loads of one directory the same CA', async () => {
    const loads = await Promise.all(
      [1, 2, 3].map(() => loadTlsMaterial({ mode: 'auto', dir: tmp.path })),
    );
    const caPem = await readFile(join(tmp.path, 'ca.pem'), 'utf8');
    expect(loads.map((m) => m.ca[0])).toEqual([caPem, caPem, caPem]);
  });

  it('regenerates a corrupt set', async () => {
    await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    const before = await readFile(join(tmp.path, 'ca.pem'), 'utf8');
    await writeFile(join(tmp.path, 'intermediate.pem'), 'garbage');
    const after = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    expect(after.ca[0]).not.toBe(before);
    expect(after.ca[0]).toBe(await readFile(join(tmp.path, 'ca.pem'), 'utf8'));
    await writeFile(join(tmp.path, 'intermediate-key.pem'), 'garbage');
    const again = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    expect(again.ca[0]).not.toBe(after.ca[0]);
  });

  it('regenerates an expired set, and one whose intermediate would expire before the leaf', async () => {
    const longAgo = new Date(Date.now() - 6 * 365 * 86_400_000);
    const old = await loadTlsMaterial({ mode: 'auto', dir: tmp.path }, { now: longAgo });
    const fresh = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    expect(fresh.ca[0]).not.toBe(old.ca[0]);
    const nearEnd = new Date(Date.now() - (5 * 365 - 10) * 86_400_000);
    const ending = await loadTlsMaterial({ mode: 'auto', dir: tmp.path }, { now: nearEnd });
    const renewed = await loadTlsMaterial({ mode: 'auto', dir: tmp.path });
    expect(renewed.ca[0]).not.toBe(ending.ca[0]);
    expect(leafOf(renewed.cert).validToDate.getTime()).toBeGreaterThan(
      Date.now() + 89 * 86_400_000,
    );
  });

  it('names tls.dir when the directory cannot be written', async () => {
    const blocker = await tmp.file('file', 'x');
    await expect(loadTlsMaterial({ mode: 'auto', dir: join(blocker, 'tls') })).rejects.toThrow(
      `tls.dir: cannot use ${join(blocker, 'tls')} (ENOTDIR)`,
    );
  });
});
