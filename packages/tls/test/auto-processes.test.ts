// Several processes starting at once on one auto-mode directory (products started together on
// a host) must end up serving chains that the ca.pem left on disk verifies.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', 'dist', 'index.js');

function serveChain(dir: string): Promise<string> {
  const script = `import(${JSON.stringify(dist)}).then((m) => m.loadTlsMaterial({ mode: 'auto', dir: ${JSON.stringify(dir)} })).then((t) => process.stdout.write(t.cert))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], (error, stdout) => {
      if (error) reject(new Error(`tls child failed: ${error.message}`));
      else resolve(stdout);
    });
  });
}

describe('auto mode across processes', () => {
  it('is built', () => {
    expect(existsSync(dist)).toBe(true);
  });

  it('gives every process a chain under the one CA on disk', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cu-auto-procs-')), 'tls');
    const chains = await Promise.all([1, 2, 3, 4].map(() => serveChain(dir)));
    const root = new X509Certificate(readFileSync(join(dir, 'ca.pem')));
    const intermediate = new X509Certificate(readFileSync(join(dir, 'intermediate.pem')));
    expect(intermediate.verify(root.publicKey)).toBe(true);
    for (const chain of chains) {
      const served = chain
        .split(/(?<=-----END CERTIFICATE-----\n?)/)
        .filter((p) => p.trim() !== '');
      expect(served).toHaveLength(2);
      const servedIntermediate = new X509Certificate(served[1] ?? '');
      expect(servedIntermediate.fingerprint256).toBe(intermediate.fingerprint256);
      expect(new X509Certificate(served[0] ?? '').verify(intermediate.publicKey)).toBe(true);
    }
  });
});
