// OpenSSL's own OCSP responder (`openssl ocsp -index … -port`, OpenSSL 3.0) as the yardstick of
// `pnpm bench:ca`. The CA's issuing key is under its barrier, so OpenSSL gets a CA of its own:
// a P-384 CA certificate and a P-256 responder certificate (EKU OCSPSigning, RFC 6960
// §4.2.2.2) signed by it, like the CA's delegated responder, and an index.txt (ca(1) database)
// holding the serials the CA issued, all valid. A request for OpenSSL names its CA in the
// CertID (RFC 6960 §4.1.1) and a serial the CA issued; same shape as the CA's request.
//
// OpenSSL answers one request per connection (HTTP/1.0, no keep-alive: apps/ocsp.c passes none)
// and signs every response; and it spins for good on a connection closed before a request came
// (openssl/openssl#31129, #23934), which wrk's last connections can be. So each wrk run gets a
// fresh responder, whose readiness is its "waiting for OCSP client connections" line (a probe
// connection would hang it); its per-request log goes to a file in the run's directory.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../kit/product-setup.mjs';
import { openssl } from './openssl.mjs';

const READY_TIMEOUT_MS = 10_000;

/** The CA and responder of OpenSSL's side, made once in `dir`. */
export function makeOpensslResponderCa(dir) {
  const run = (args) => openssl(args, { cwd: dir });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-384',
    '-nodes',
    '-keyout',
    'ca.key',
    '-subj',
    '/CN=OpenSSL Bench CA',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'ca.pem',
  ]);
  run([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ocsp.key',
    '-subj',
    '/CN=OpenSSL Bench OCSP Responder',
    '-out',
    'ocsp.csr',
  ]);
  writeFileSync(
    join(dir, 'ocsp.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' +
      'extendedKeyUsage=OCSPSigning\nnoCheck=ignored\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    'ocsp.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '0x0b',
    '-days',
    '30',
    '-sha384',
    '-extfile',
    'ocsp.ext',
    '-out',
    'ocsp.pem',
  ]);
  return { dir, ca: join(dir, 'ca.pem') };
}

/** index.txt with every serial (lowercase hex, from the CA) valid; ca(1)'s upper-case hex. */
export function writeIndex(dir, serials) {
  const expiry = '301231235959Z';
  const lines = serials.map((serial) => {
    const hex = serial.length % 2 === 0 ? serial : `0${serial}`;
    return `V\t${expiry}\t\t${hex.toUpperCase()}\tunknown\t/CN=bench.example\n`;
  });
  writeFileSync(join(dir, 'index.txt'), lines.join(''));
  // Every leaf has the same subject; ca(1) refuses that unless told (its default is "yes").
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
}

/** The request OpenSSL's responder gets: its CA's CertID for `serial`, SHA-1, no nonce. */
export function opensslRequest(dir, serial) {
  const file = join(dir, 'ossl-req.der');
  openssl(['ocsp', '-issuer', 'ca.pem', '-serial', `0x${serial}`, '-no_nonce', '-reqout', file], {
    cwd: dir,
  });
  return file;
}

/** Starts `openssl ocsp` on a free port; resolves with { port, pid, stop, ended } once it waits. */
export async function startOpensslResponder(dir, track) {
  const port = await freePort();
  const log = join(dir, `responder-${port}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(
    'openssl',
    // prettier-ignore
    ['ocsp', '-index', 'index.txt', '-port', String(port), '-rsigner', 'ocsp.pem', '-rkey',
      'ocsp.key', '-CA', 'ca.pem', '-nmin', '60'],
    { cwd: dir, stdio: ['ignore', 'ignore', fd] },
  );
  closeSync(fd);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const target = track({
    pid: child.pid,
    port,
    ended: () => child.exitCode ?? child.signalCode ?? undefined,
    async stop() {
      child.kill('SIGKILL');
      await exited;
      rmSync(log, { force: true });
    },
  });
  const deadline = globalThis.performance.now() + READY_TIMEOUT_MS;
  while (!readFileSync(log, 'utf8').includes('waiting for OCSP client connections')) {
    if (child.exitCode !== null || globalThis.performance.now() > deadline) {
      const said = readFileSync(log, 'utf8').trim();
      await target.stop();
      throw new Error(`openssl ocsp did not start: ${said}`);
    }
    await sleep(10);
  }
  return target;
}
