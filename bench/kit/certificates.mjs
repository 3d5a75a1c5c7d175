// The certificate set a benchmark's targets share (generated root, intermediate and ECDSA P-256
// server certificate, as `tls.mode: auto` makes), in a fresh temporary directory the caller
// removes, with the root's PEM for clients to verify the targets against.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTls } from './deps.mjs';

export async function certificates(prefix = 'cu-bench-kit-') {
  const { generateCertificateSet, writeCertificateSet } = await loadTls();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const paths = await writeCertificateSet(dir, await generateCertificateSet({ label: 'bench' }));
  return { dir, caPem: readFileSync(paths.ca, 'utf8') };
}
