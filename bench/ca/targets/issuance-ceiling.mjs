// The issuance ceiling of `pnpm bench:ca`: a certificate from a CSR signed in-process, with no
// HTTP, database or profile rules. A P-384 CA key (WebCrypto) and CA certificate made here; the
// CSR is parsed once; each certificate gets a fresh random serial and the extensions the CA's
// tls-server profile gives (basicConstraints, keyUsage, extKeyUsage, subjectAltName, SKI, AKI,
// AIA with OCSP and caIssuers, CRLDP; RFC 5280 §4.2), signed ECDSA P-384 with SHA-384.
// Three signers: @peculiar/x509's X509CertificateGenerator.create (the ceiling of issue 5) and,
// for reference, the CA's own issueCertificate (services/ca/dist) and the bare P-384 signature
// over a certificate's worth of bytes (WebCrypto: the floor of both). Each runs `seconds` after
// a one-second warm-up, with 1 and then `inFlight` certificates in flight; the runner pins this
// process to one core (taskset), so libuv's signing threads share that core with the main one.
// Usage: node issuance-ceiling.mjs <csr.pem> <out-dir> <seconds> <inFlight>; prints one JSON
// line, and writes ca.pem and one certificate of each signer (x509.pem, ours.pem) to <out-dir>.
import { Buffer } from 'node:buffer';
import { randomBytes, webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URL } from 'node:url';
import { dependencyOf } from '../../kit/deps.mjs';

const [csrFile, outDir, secondsArg, inFlightArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const inFlight = Number(inFlightArg);

await dependencyOf('tls', 'reflect-metadata'); // @peculiar/x509's decorators need it first
const x509 = await dependencyOf('tls', '@peculiar/x509');
x509.cryptoProvider.set(webcrypto);

// The CA's modules as built (`pnpm run build`); the package exports only its product.
const ca = (path) => import(new URL(`../../../services/ca/dist/${path}`, import.meta.url).href);
const { loadProfiles, SHIPPED_PROFILES_DIR } = await ca('domain/load-profiles.js');
const { applyProfile } = await ca('domain/apply-profile.js');
const { parseCsr } = await ca('crypto/csr.js');
const { newSerial } = await ca('crypto/serial.js');
const { crlPartitionOf } = await ca('crypto/crl-partition.js');
const { issueCertificate } = await ca('crypto/issue-certificate.js');
const { caUrlsOf } = await ca('service/ca-urls.js');

const SIGNING = { name: 'ECDSA', hash: 'SHA-384' }; // RFC 5758 §3.2 for a P-384 key
const PARTITIONS = 16; // the CA's default ca.crl.partitions
const urls = caUrlsOf('http://127.0.0.1:8051');

// ---- The CA: a P-384 key and a self-signed CA certificate (both signers use the same).
const caKeys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
  'sign',
  'verify',
]);
const caCert = await x509.X509CertificateGenerator.createSelfSigned({
  serialNumber: '01',
  name: 'CN=Bench Issuing CA',
  notBefore: new Date(Date.now() - 3_600_000),
  notAfter: new Date(Date.now() + 365 * 86_400_000),
  keys: caKeys,
  signingAlgorithm: SIGNING,
  extensions: [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign |
        x509.KeyUsageFlags.cRLSign |
        x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
  ],
});
const issuer = { certificate: new Uint8Array(caCert.rawData), privateKey: caKeys.privateKey };

// ---- The request and what the tls-server profile makes of it (once).
const csrPem = readFileSync(csrFile, 'utf8');
const csr = new x509.Pkcs10CertificateRequest(csrPem);
const summary = await parseCsr(csrPem);
const profile = loadProfiles([SHIPPED_PROFILES_DIR]).get('tls-server');
const plan = applyProfile(profile, summary, { now: new Date() });
const keyUsage = plan.keyUsage.reduce((flags, name) => flags | x509.KeyUsageFlags[name], 0);
const sans = [
  ...plan.san.dns.map((value) => ({ type: 'dns', value })),
  ...plan.san.ip.map((value) => ({ type: 'ip', value })),
];
const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey);

/** A positive serial of 16 random octets (RFC 5280 §4.1.2.2), as hex. */
function randomSerial() {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

async function x509Certificate() {
  const serial = randomSerial();
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: csr.subject,
    issuer: caCert.subject,
    notBefore: plan.notBefore,
    notAfter: plan.notAfter,
    publicKey: csr.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(keyUsage, plan.keyUsageCritical),
      new x509.ExtendedKeyUsageExtension(plan.extendedKeyUsage, plan.extendedKeyUsageCritical),
      new x509.SubjectAlternativeNameExtension(sans, plan.sanCritical),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      authorityKeyId,
      new x509.AuthorityInfoAccessExtension({
        ocsp: [urls.ocsp],
        caIssuers: [urls.caIssuers('issuing')],
      }),
      new x509.CRLDistributionPointsExtension([
        urls.crlPartition('issuing', crlPartitionOf(serial, PARTITIONS)),
      ]),
    ],
  });
}

async function ourCertificate() {
  const serial = newSerial();
  return issueCertificate({
    plan,
    spki: summary.spki,
    serial,
    issuer,
    ocspUrl: urls.ocsp,
    caIssuersUrl: urls.caIssuers('issuing'),
    crlUrl: urls.crlPartition('issuing', crlPartitionOf(serial, PARTITIONS)),
  });
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** `workers` loops issuing until `ms` have passed; certificates/s and latency percentiles. */
async function load(issue, workers, ms) {
  const latencies = [];
  const started = globalThis.performance.now();
  const end = started + ms;
  const worker = async () => {
    while (globalThis.performance.now() < end) {
      const t = globalThis.performance.now();
      await issue();
      latencies.push(globalThis.performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsed = (globalThis.performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    count: latencies.length,
  };
}

const pem = (der, label) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n')}-----END ${label}-----\n`;
writeFileSync(join(outDir, 'ca.pem'), caCert.toString('pem'));
writeFileSync(join(outDir, 'x509.pem'), (await x509Certificate()).toString('pem'));
const sample = await ourCertificate();
writeFileSync(join(outDir, 'ours.pem'), pem(sample, 'CERTIFICATE'));

/** The signature alone, over as many bytes as a certificate: the floor of every signer. */
const signOnly = () => webcrypto.subtle.sign(SIGNING, caKeys.privateKey, sample);

const results = [];
for (const [signer, issue] of [
  ['x509', x509Certificate],
  ['ours', ourCertificate],
  ['sign', signOnly],
]) {
  for (const workers of [1, inFlight]) {
    await load(issue, workers, 1000); // warm-up
    const before = process.cpuUsage();
    const measured = await load(issue, workers, seconds * 1000);
    const used = process.cpuUsage(before);
    results.push({
      signer,
      inFlight: workers,
      ...measured,
      // CPU of the whole process (main thread and libuv's signing threads) per wall second.
      cpu: (used.user + used.system) / 1e6 / seconds,
    });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
