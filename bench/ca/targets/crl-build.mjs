// The CRL half of `pnpm bench:ca`: `count` revoked entries (random positive 16-octet serials,
// revocation times over the last 90 days, mixed reasons that `openssl ca` also knows), a P-384
// CA key made with WebCrypto and a CA certificate from the CA's own createRootCertificate; the
// CA's buildCrl (RFC 5280 §5, services/ca/dist) timed `repeats` times, each once, in this
// process (which the runner starts with the service's own Node flags). It writes what
// `openssl ca -gencrl` needs for the same entries: index.txt (ca(1) database format), ca.pem,
// ca.key (PKCS#8, PEM); and ours.crl (DER) for the runner's check.
// Usage: node crl-build.mjs <dir> <count> <repeats>; prints {"ms":[…]} on one line.
import { Buffer } from 'node:buffer';
import { randomBytes, webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URL } from 'node:url';

const [dir, countArg, repeatsArg] = process.argv.slice(2);
const count = Number(countArg);
const repeats = Number(repeatsArg);

const ca = (path) => import(new URL(`../../../services/ca/dist/${path}`, import.meta.url).href);
const { buildCrl } = await ca('crypto/crl.js');
const { createRootCertificate } = await ca('crypto/ca-certificates.js');

const DAY_MS = 86_400_000;
const P384 = { name: 'ECDSA', namedCurve: 'P-384' };

// RFC 5280 §5.3.1 reasons as the CA names them, with the spelling of `openssl ca` (apps/ca.c
// crl_reasons); undefined: no reason code (unspecified). OpenSSL knows no privilegeWithdrawn
// or aACompromise, and removeFromCRL belongs to delta CRLs, so those three are left out.
const REASONS = [
  [undefined, undefined],
  ['keyCompromise', 'keyCompromise'],
  ['cACompromise', 'CACompromise'],
  ['affiliationChanged', 'affiliationChanged'],
  ['superseded', 'superseded'],
  ['cessationOfOperation', 'cessationOfOperation'],
  ['certificateHold', 'certificateHold'],
];

/** ca(1)'s index dates: UTCTime without the century, YYMMDDHHMMSSZ. */
const indexDate = (date) => date.toISOString().replace(/^\d\d|[-T:]|\.\d+/g, '');

const now = Math.floor(Date.now() / 1000) * 1000;
const expiry = indexDate(new Date(now + 180 * DAY_MS));
const entries = [];
const index = [];
for (let i = 0; i < count; i += 1) {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, no leading zero octet (RFC 5280 §4.1.2.2)
  const serial = bytes.toString('hex');
  const revokedAt = new Date(now - Math.floor((Math.random() * 90 * DAY_MS) / 1000) * 1000);
  const [reason, opensslReason] = REASONS[i % REASONS.length];
  entries.push(reason === undefined ? { serial, revokedAt } : { serial, revokedAt, reason });
  const revoked =
    opensslReason === undefined ? indexDate(revokedAt) : `${indexDate(revokedAt)},${opensslReason}`;
  index.push(`R\t${expiry}\t${revoked}\t${serial.toUpperCase()}\tunknown\t/CN=bench ${i}\n`);
}
writeFileSync(join(dir, 'index.txt'), index.join(''));

const keys = await webcrypto.subtle.generateKey(P384, true, ['sign', 'verify']);
const certificate = await createRootCertificate({
  subject: 'CN=Bench CRL CA',
  keys,
  validityDays: 365,
});
const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
const pem = (der, label) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n-----END ${label}-----\n`;
writeFileSync(join(dir, 'ca.pem'), pem(certificate, 'CERTIFICATE'));
writeFileSync(join(dir, 'ca.key'), pem(pkcs8, 'PRIVATE KEY'), { mode: 0o600 });
// The service signs through a non-extractable key (ca-key-vault); so does this.
const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, P384, false, ['sign']);

const ms = [];
let crl;
for (let run = 0; run < repeats; run += 1) {
  const started = globalThis.performance.now();
  crl = await buildCrl({
    issuer: { certificate, privateKey },
    crlNumber: BigInt(run + 1),
    thisUpdate: new Date(now),
    nextUpdate: new Date(now + DAY_MS),
    entries,
  });
  ms.push(globalThis.performance.now() - started);
}
writeFileSync(join(dir, 'ours.crl'), crl);
process.stdout.write(`${JSON.stringify({ ms, bytes: crl.length })}\n`);
