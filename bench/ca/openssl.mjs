// Debian's openssl (3.0) for `pnpm bench:ca`: one command run to completion (its stdout, or an
// error carrying its stderr), and the benchmark's two CSRs, made once per run in <dir>.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs `openssl ...args` in `cwd`; returns its stdout and stderr, throws on a failure. */
export function openssl(args, { cwd } = {}) {
  const done = spawnSync('openssl', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024, // `crl -text` of 100,000 entries
  });
  if (done.error !== undefined) throw done.error;
  if (done.status !== 0) {
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${done.stderr.trim()}`);
  }
  return { stdout: done.stdout, stderr: done.stderr };
}

/** The leaf key types of issue 5's issuance benchmark, as `openssl req -newkey` makes them. */
export const KEY_TYPES = [
  { key: 'p256', what: 'P-256', newkey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] },
  { key: 'rsa2048', what: 'RSA-2048', newkey: ['-newkey', 'rsa:2048'] },
];

/** One CSR per key type (a tls-server request: CN in the SAN, RFC 2986); their paths by key. */
export function makeCsrs(dir) {
  const files = {};
  for (const { key, newkey } of KEY_TYPES) {
    files[key] = join(dir, `${key}.csr`);
    openssl(
      [
        'req',
        '-new',
        ...newkey,
        '-nodes',
        '-keyout',
        join(dir, `${key}.key`),
        '-subj',
        '/CN=bench.example',
        '-addext',
        'subjectAltName=DNS:bench.example',
        '-out',
        files[key],
      ],
      { cwd: dir },
    );
  }
  return files;
}
