// CRL generation in `pnpm bench:ca`: the CA's buildCrl on `count` revoked entries (timed in its
// own process with the service's Node flags, targets/crl-build.mjs) against `openssl ca
// -gencrl` on the same entries, CA key and certificate (a minimal ca(1) config: SHA-384, the
// CRL number and AKI extensions like the CA's CRLs), `repeats` times each, wall time of the whole
// command for OpenSSL (start, reading the index, sorting, signing, writing PEM). Both CRLs are
// checked: signature (`openssl crl -CAfile`), and the same revoked entries (serial, date,
// reason), which OpenSSL sorts by serial and the CA lists in the order given.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { runNodeScript } from './child.mjs';
import { openssl } from './openssl.mjs';

const BUILD = fileURLToPath(new URL('targets/crl-build.mjs', import.meta.url));

const CA_CONFIG = `# ca(1) for one -gencrl: the bench's index, CA key and certificate
[ ca ]
default_ca = bench
[ bench ]
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha384
default_crl_days = 1
crl_extensions = crl_ext
unique_subject = no
[ crl_ext ]
authorityKeyIdentifier = keyid:always
`;

/** The revoked entries `openssl crl -text` prints, one line each, sorted. */
function revokedEntries(args, dir) {
  const { stdout, stderr } = openssl(['crl', ...args, '-CAfile', 'ca.pem', '-noout', '-text'], {
    cwd: dir,
  });
  if (!stderr.includes('verify OK')) throw new Error(`openssl crl ${args[1]}: ${stderr.trim()}`);
  const listed = stdout.slice(
    stdout.indexOf('Revoked Certificates:'),
    stdout.indexOf('Signature Algorithm', stdout.indexOf('Revoked Certificates:')),
  );
  return listed
    .split('Serial Number: ')
    .slice(1)
    .map((entry) => entry.replace(/\s+/g, ' ').trim())
    .sort();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function compareCrl({ dir, count, repeats, nodeOptions, track }) {
  const ours = await runNodeScript({
    script: BUILD,
    args: [dir, String(count), String(repeats)],
    nodeOptions,
    track,
  });
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  const opensslMs = [];
  for (let run = 0; run < repeats; run += 1) {
    const started = globalThis.performance.now();
    openssl(['ca', '-gencrl', '-config', 'ca.cnf', '-out', 'openssl.crl'], { cwd: dir });
    opensslMs.push(globalThis.performance.now() - started);
  }
  const mine = revokedEntries(['-in', 'ours.crl', '-inform', 'DER'], dir);
  const theirs = revokedEntries(['-in', 'openssl.crl'], dir);
  if (mine.length !== count || theirs.length !== count) {
    throw new Error(`the CRLs list ${mine.length} and ${theirs.length} entries, not ${count}`);
  }
  const differ = mine.findIndex((entry, i) => entry !== theirs[i]);
  if (differ >= 0) throw new Error(`the CRLs differ: ${mine[differ]} / ${theirs[differ]}`);
  return {
    count,
    ours: { ms: ours.ms, median: median(ours.ms), bytes: ours.bytes },
    openssl: { ms: opensslMs, median: median(opensslMs) },
  };
}
