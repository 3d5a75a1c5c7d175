// x5c chain validation (RFC 7515 §4.1.6) against configured trust anchors: the parsing rules,
// validity at the given time, issuer links that need a CA, and anchoring through an issuer or
// by being an anchor. Chains come from @cryptoutil/tls (root → intermediate → server, as the
// suite generates them). Certificates without extensions, written here in DER, show the CA
// check on its own: OpenSSL finds them properly issued, and only `ca` refuses them.
import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateCertificateSet,
  issueClientCertificate,
  type CertificateSet,
} from '@cryptoutil/tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@cryptoutil/config';
import { ChainError, loadTrustAnchors, validateChain } from './x5c.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

/** RFC 7515 §4.1.6: standard base64 of the DER, not base64url. */
const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');

/** A DER TLV (X.690 §8.1): tag, definite length, contents. */
function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const ECDSA_SHA256 = tlv(0x30, Buffer.from('06082a8648ce3d040302', 'hex'));
const commonName = (cn: string) =>
  tlv(0x30, tlv(0x31, tlv(0x30, Buffer.from('0603550403', 'hex'), tlv(0x0c, Buffer.from(cn)))));
const utcTime = (date: Date) =>
  tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));

/**
 * An X.509 v3 certificate with no extensions (RFC 5280 §4.1), so no basicConstraints: OpenSSL
 * does not count it a CA, yet finds it the issuer of a certificate naming it and signed by it.
 */
function bareCertificate(options: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
}): string {
  const tbs = tlv(
    0x30,
    Buffer.from('a003020102', 'hex'),
    tlv(0x02, Buffer.from([0x01])),
    ECDSA_SHA256,
    commonName(options.issuer),
    tlv(0x30, utcTime(at(-DAY)), utcTime(at(DAY))),
    commonName(options.subject),
    options.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, options.signingKey);
  const cert = tlv(0x30, tbs, ECDSA_SHA256, tlv(0x03, Buffer.from([0]), signature));
  return cert.toString('base64');
}

let set: CertificateSet;
let other: CertificateSet;
let root: X509Certificate;
let intermediate: X509Certificate;
let server: X509Certificate;
/** Issued and signed by the server leaf, whose key usage is digitalSignature only. */
let underLeaf: string;
/** No extensions: `plainIssuer` is self-signed and not a CA; `plainLeaf` is issued by it. */
let plainIssuer: string;
let plainLeaf: string;
/** Issued by the intermediate a day before it became valid itself. */
let early: string;

beforeAll(async () => {
  set = await generateCertificateSet({ now: T0 });
  other = await generateCertificateSet({ now: T0 });
  root = new X509Certificate(set.rootCert);
  intermediate = new X509Certificate(set.intermediateCert);
  server = new X509Certificate(set.serverCert);
  underLeaf = (
    await issueClientCertificate({
      issuerCert: set.serverCert,
      issuerKey: set.serverKey,
      commonName: 'forged',
      now: T0,
    })
  ).cert;
  const issuerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  plainIssuer = bareCertificate({
    subject: 'plain issuer',
    issuer: 'plain issuer',
    publicKey: issuerKey.publicKey,
    signingKey: issuerKey.privateKey,
  });
  plainLeaf = bareCertificate({
    subject: 'plain leaf',
    issuer: 'plain issuer',
    publicKey: leafKey.publicKey,
    signingKey: issuerKey.privateKey,
  });
  early = (
    await issueClientCertificate({
      issuerCert: set.intermediateCert,
      issuerKey: set.intermediateKey,
      commonName: 'early',
      now: at(-DAY),
    })
  ).cert;
});

function refusal(x5c: unknown, anchors: readonly X509Certificate[], now = T0): string {
  try {
    validateChain(x5c, anchors, now);
  } catch (err) {
    expect(err).toBeInstanceOf(ChainError);
    expect((err as Error).name).toBe('ChainError');
    return (err as Error).message;
  }
  throw new Error('the chain was accepted');
}

describe('validateChain accepts', () => {
  it('a chain whose last certificate was issued by an anchor, answering the leaf', () => {
    const leaf = validateChain([der(set.serverCert), der(set.intermediateCert)], [root], T0);
    expect(leaf.fingerprint256).toBe(server.fingerprint256);
  });

  it('a chain whose last certificate is an anchor', () => {
    const leaf = validateChain(
      [der(set.serverCert), der(set.intermediateCert)],
      [intermediate],
      T0,
    );
    expect(leaf.fingerprint256).toBe(server.fingerprint256);
  });

  it('a leaf alone, issued by an anchor', () => {
    expect(validateChain([der(set.serverCert)], [intermediate], T0).fingerprint256).toBe(
      server.fingerprint256,
    );
  });

  it('a full chain up to the root, with any one of several anchors', () => {
    const x5c = [der(set.serverCert), der(set.intermediateCert), der(set.rootCert)];
    const anchors = [new X509Certificate(other.rootCert), root];
    expect(validateChain(x5c, anchors, T0).fingerprint256).toBe(server.fingerprint256);
  });

  it('a chain at the first and last moments of its leaf’s validity', () => {
    const x5c = [der(set.serverCert), der(set.intermediateCert)];
    expect(validateChain(x5c, [root], server.validFromDate).subject).toBe(server.subject);
    expect(validateChain(x5c, [root], server.validToDate).subject).toBe(server.subject);
  });
});

describe('validateChain refuses', () => {
  it('anything when no anchor is configured', () => {
    expect(refusal([der(set.serverCert)], [])).toBe('no trust anchors are configured for x5c');
  });

  it.each([
    ['a string', 'MIIB'],
    ['an object', { 0: 'MIIB' }],
    ['an empty array', []],
    ['eleven certificates', Array(11).fill('MIIB')],
  ])('an x5c that is %s', (_what, x5c) => {
    expect(refusal(x5c, [root])).toBe('x5c must be an array of 1 to 10 certificates');
  });

  it.each([
    ['a number', 5],
    ['base64url', 'MII-_A'],
    ['base64 with whitespace', 'MIIB AAAA'],
    ['an empty string', ''],
  ])('an entry that is %s', (_what, entry) => {
    expect(refusal([entry], [root])).toBe('x5c entries must be base64 DER certificates');
  });

  it('an entry that is base64 but no certificate', () => {
    expect(refusal([Buffer.from('not a certificate').toString('base64')], [root])).toBe(
      'an x5c entry is not a certificate',
    );
  });

  it.each([
    ['after the leaf expired', () => new Date(server.validToDate.getTime() + 1000)],
    ['before the leaf is valid', () => new Date(server.validFromDate.getTime() - 1000)],
  ])('a chain %s', (_when, now) => {
    expect(refusal([der(set.serverCert), der(set.intermediateCert)], [root], now())).toBe(
      'a certificate of the chain is not valid now',
    );
  });

  it('a chain whose intermediate has expired, though the leaf is valid', () => {
    expect(refusal([der(early), der(set.intermediateCert)], [root], at(-HOUR))).toBe(
      'a certificate of the chain is not valid now',
    );
  });

  it('certificates in the wrong order', () => {
    expect(refusal([der(set.intermediateCert), der(set.serverCert)], [root])).toBe(
      'the x5c certificates do not form a chain',
    );
  });

  it('a leaf followed by another hierarchy’s intermediate', () => {
    expect(refusal([der(set.serverCert), der(other.intermediateCert)], [root])).toBe(
      'the x5c certificates do not form a chain',
    );
  });

  it('a certificate issued by a non-CA, though its name and signature match', () => {
    const issuer = new X509Certificate(Buffer.from(plainIssuer, 'base64'));
    const leaf = new X509Certificate(Buffer.from(plainLeaf, 'base64'));
    expect(leaf.checkIssued(issuer)).toBe(true);
    expect(leaf.verify(issuer.publicKey)).toBe(true);
    expect(issuer.ca).toBe(false);
    expect(refusal([plainLeaf, plainIssuer], [issuer], T0)).toBe(
      'the x5c certificates do not form a chain',
    );
  });

  it('a certificate issued by a leaf whose key usage forbids signing certificates', () => {
    expect(new X509Certificate(underLeaf).verify(server.publicKey)).toBe(true);
    expect(refusal([der(underLeaf), der(set.serverCert), der(set.intermediateCert)], [root])).toBe(
      'the x5c certificates do not form a chain',
    );
  });

  it('a chain that leads to no anchor', () => {
    const x5c = [der(set.serverCert), der(set.intermediateCert)];
    expect(refusal(x5c, [new X509Certificate(other.rootCert)])).toBe(
      'the x5c chain does not lead to a trust anchor',
    );
    expect(refusal([der(set.serverCert)], [root])).toBe(
      'the x5c chain does not lead to a trust anchor',
    );
  });

  it('a certificate issued by an anchor that is not a CA', () => {
    const issuer = new X509Certificate(Buffer.from(plainIssuer, 'base64'));
    expect(validateChain([plainIssuer], [issuer], T0).subject).toBe('CN=plain issuer');
    expect(refusal([plainLeaf], [issuer])).toBe('the x5c chain does not lead to a trust anchor');
    expect(refusal([der(underLeaf)], [server])).toBe(
      'the x5c chain does not lead to a trust anchor',
    );
  });

  it('a chain issued by an anchor that is not valid now', () => {
    // `early` is valid an hour before T0; its issuer, the anchor, only from 5 minutes before.
    expect(validateChain([der(early)], [intermediate], T0).subject).toContain('early');
    expect(refusal([der(early)], [intermediate], at(-HOUR))).toBe(
      'the x5c chain does not lead to a trust anchor',
    );
  });
});

describe('loadTrustAnchors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jose-x5c-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every certificate of every file, skipping other PEM blocks', async () => {
    const bundle = join(dir, 'bundle.pem');
    const single = join(dir, 'single.pem');
    await writeFile(bundle, `# roots\n${set.rootCert}${set.serverKey}\n${other.rootCert}`);
    await writeFile(single, set.intermediateCert);
    const anchors = loadTrustAnchors([bundle, single]);
    expect(anchors.map((c) => c.fingerprint256)).toEqual([
      root.fingerprint256,
      new X509Certificate(other.rootCert).fingerprint256,
      intermediate.fingerprint256,
    ]);
  });

  it('reads nothing from a file without certificates, and no files at all', async () => {
    const empty = join(dir, 'empty.pem');
    await writeFile(empty, 'nothing here\n');
    expect(loadTrustAnchors([empty])).toEqual([]);
    expect(loadTrustAnchors([])).toEqual([]);
  });

  it('throws for a file that does not exist', () => {
    expect(() => loadTrustAnchors([join(dir, 'missing.pem')])).toThrow(/ENOENT/);
  });
});

describe('loadTrustAnchors errors', () => {
  it('names the config key and file of an unreadable or broken anchor file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jose-x5c-bad-'));
    const broken = join(dir, 'broken.pem');
    await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const missing = join(dir, 'missing.pem');
    expect(() => loadTrustAnchors([broken])).toThrow(
      new ConfigError([
        {
          path: 'jose.trustAnchors.0',
          message: `${broken}: holds a certificate that does not parse`,
        },
      ]),
    );
    expect(() => loadTrustAnchors([broken, missing].reverse())).toThrow(
      `jose.trustAnchors.0: ${missing}: cannot be read (ENOENT)`,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
