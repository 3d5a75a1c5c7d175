// Issuance from a CSR in `pnpm bench:ca`, per leaf key type: the in-process ceiling first
// (targets/issuance-ceiling.mjs pinned to one core: @peculiar/x509, the CA's issueCertificate
// and the bare P-384 signature, 1 and a few in flight), then one enrollment through the API
// checked (201, `openssl verify` up to the CA's root, the same extensions as the ceiling's
// certificates), then the API loaded by wrk with that enroll body (bench/kit/post.lua,
// keep-alive, TLS) while the CA's main thread and whole process CPU are read from /proc.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { withMainThreadCpu, withProcessCpu } from '../kit/main-thread-cpu.mjs';
import { runWrk } from '../kit/wrk.mjs';
import { ENROLL_PATH, enrollBody } from './ca-service.mjs';
import { runNodeScript } from './child.mjs';
import { openssl } from './openssl.mjs';

const CEILING = fileURLToPath(new URL('targets/issuance-ceiling.mjs', import.meta.url));
const POST_LUA = fileURLToPath(new URL('../kit/post.lua', import.meta.url));

export const SIGNERS = {
  x509: '@peculiar/x509 X509CertificateGenerator.create',
  ours: 'the CA’s issueCertificate',
  sign: 'the P-384 signature alone (WebCrypto)',
};

/** The extensions `openssl x509 -text` lists, with their criticality, in order. */
function extensionsOf(pemFile) {
  const { stdout } = openssl(['x509', '-in', pemFile, '-noout', '-text']);
  const section = stdout.slice(stdout.indexOf('X509v3 extensions:'));
  return [...section.matchAll(/^ {12}(\S[^:\n]*):( critical)?\s*$/gm)]
    .map(([, name, critical]) => (critical ? `${name} (critical)` : name))
    .join(', ');
}

/** Verifies `pemFile` up to `caFile` (with `untrusted` between); throws unless OK. */
function verifyCertificate(pemFile, caFile, untrusted) {
  const args = ['verify', '-CAfile', caFile, ...(untrusted ? ['-untrusted', untrusted] : [])];
  const { stdout } = openssl([...args, pemFile]);
  if (!stdout.includes(': OK')) throw new Error(`openssl verify: ${stdout.trim()}`);
}

/** One enrollment through the API, checked; returns its certificate's extension list. */
async function checkEnrollment(ca, csrPem, file, chain) {
  const answer = await ca.enroll(csrPem);
  if (answer.protocol !== 'TLSv1.3') throw new Error(`enroll answered over ${answer.protocol}`);
  if (answer.status !== 201) throw new Error(`enroll: HTTP ${answer.status}`);
  const record = JSON.parse(answer.body);
  if (record.status !== 'issued' || typeof record.certificatePem !== 'string') {
    throw new Error(`enroll: status ${record.status}, no certificate`);
  }
  writeFileSync(file, record.certificatePem);
  verifyCertificate(file, chain.root, chain.issuing);
  return extensionsOf(file);
}

async function loadService(ca, body, { load, connections }) {
  const wrk = {
    url: `https://127.0.0.1:${ca.publicPort}${ENROLL_PATH}`,
    threads: 1,
    connections,
    headers: Object.entries(ca.enrollHeaders).map(([k, v]) => `${k}: ${v}`),
    script: POST_LUA,
    scriptArgs: [body],
  };
  await runWrk({ ...wrk, seconds: load.warmup });
  const { pid } = ca.service;
  return withProcessCpu(pid, () =>
    withMainThreadCpu(pid, () => runWrk({ ...wrk, seconds: load.duration })),
  );
}

/**
 * Measures every key type of `csrs` ({ key, what, file, pem }) against the CA `ca`; returns
 * result rows ({ kind: 'ceiling' | 'service', key, … }) and notes on certificates whose
 * extensions differ from the service's.
 */
export async function measureIssuance({ ca, csrs, chain, dir, options, common, track }) {
  const rows = [];
  const notes = [];
  for (const csr of csrs) {
    const out = join(dir, `ceiling-${common.database}-${csr.key}`);
    mkdirSync(out, { recursive: true });
    const ceiling = await runNodeScript({
      script: CEILING,
      args: [csr.file, out, String(options.ceilingDuration), String(options.inFlight)],
      cpu: cpus().length - 1,
      track,
    });
    for (const signer of ['x509', 'ours']) {
      verifyCertificate(join(out, `${signer}.pem`), join(out, 'ca.pem'));
    }
    for (const r of ceiling) {
      rows.push({ ...common, kind: 'ceiling', key: csr.key, what: csr.what, ...r });
      console.error(
        `run ${common.run} ${common.database} ${csr.what}: ${r.signer} ×${r.inFlight} ` +
          `${r.rps.toFixed(0)} certificates/s, CPU ${(100 * r.cpu).toFixed(0)}%`,
      );
    }
    const service = await checkEnrollment(ca, csr.pem, join(dir, `enrolled-${csr.key}.pem`), chain);
    for (const signer of ['x509', 'ours']) {
      const made = extensionsOf(join(out, `${signer}.pem`));
      if (made !== service) {
        notes.push(`${csr.what}: ${SIGNERS[signer]} makes ${made}; the CA makes ${service}`);
      }
    }
    const result = await loadService(ca, enrollBody(csr.pem), {
      load: options.load,
      connections: options.connections,
    });
    if (result.failures.length > 0) {
      throw new Error(`enroll ${csr.what}: ${result.failures.join('; ')}`);
    }
    console.error(
      `run ${common.run} ${common.database} ${csr.what}: CA ${result.rps.toFixed(0)} req/s, ` +
        `main thread ${(100 * result.cpu).toFixed(0)}%, process ${(100 * result.processCpu).toFixed(0)}%`,
    );
    rows.push({ ...common, kind: 'service', key: csr.key, what: csr.what, ...result });
  }
  return { rows, notes };
}
