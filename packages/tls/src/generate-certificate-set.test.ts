import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateCertificateSet,
  writeCertificateSet,
  type CertificateSet,
} from './generate-certificate-set.js';
import { x509 } from './x509.js';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2030-01-01T00:00:00Z');

function ext<T extends x509.Extension>(pem: string, type: new (raw: ArrayBuffer) => T): T {
  const found = new x509.X509Certificate(pem).getExtension(type);
  if (found === null) throw new Error(`missing ${type.name}`);
  return found;
}

describe('generateCertificateSet', () => {
  let set: CertificateSet;
  beforeAll(async () => {
    set = await generateCertificateSet({
      names: ['kms.example.com', '10.1.2.3', 'KMS.example.com'],
      now,
    });
  });

  it('chains server -> intermediate -> root with valid signatures', () => {
    const root = new X509Certificate(set.rootCert);
    const intermediate = new X509Certificate(set.intermediateCert);
    const server = new X509Certificate(set.serverCert);
    expect(root.checkIssued(root) && root.verify(root.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root) && intermediate.verify(root.publicKey)).toBe(true);
    expect(server.checkIssued(intermediate) && server.verify(intermediate.publicKey)).toBe(true);
    expect(server.verify(root.publicKey)).toBe(false);
    expect(set.serverChain).toBe(set.serverCert + set.intermediateCert);
    expect(server.checkPrivateKey(createPrivateKey(set.serverKey))).toBe(true);
    expect(intermediate.checkPrivateKey(createPrivateKey(set.intermediateKey))).toBe(true);
  });

  it('names localhost, both loopback IPs and the configured names (case-folded, no repeats)', () => {
    const server = new X509Certificate(set.serverCert);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('kms.example.com')).toBe('kms.example.com');
    expect(server.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(server.checkHost('other.example.com')).toBeUndefined();
    expect(server.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:kms.example.com, IP Address:10.1.2.3',
    );
  });

  it('marks CAs with critical basicConstraints and keyUsage, pathLen 0 on the intermediate', () => {
    const rootBc = ext(set.rootCert, x509.BasicConstraintsExtension);
    const interBc = ext(set.intermediateCert, x509.BasicConstraintsExtension);
    expect([rootBc.ca, rootBc.critical, rootBc.pathLength]).toEqual([true, true, undefined]);
    expect([interBc.ca, interBc.critical, interBc.pathLength]).toEqual([true, true, 0]);
    for (const pem of [set.rootCert, set.intermediateCert]) {
      const ku = ext(pem, x509.KeyUsagesExtension);
      expect([ku.usages, ku.critical]).toEqual([
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ]);
    }
    expect(new X509Certificate(set.rootCert).subject).toBe('CN=cryptoutil root CA\nO=cryptoutil');
    expect(new X509Certificate(set.intermediateCert).subject).toBe(
      'CN=cryptoutil intermediate CA\nO=cryptoutil',
    );
  });

  it('makes the leaf a TLS server certificate that is not a CA', () => {
    const bc = ext(set.serverCert, x509.BasicConstraintsExtension);
    const ku = ext(set.serverCert, x509.KeyUsagesExtension);
    const eku = ext(set.serverCert, x509.ExtendedKeyUsageExtension);
    expect([bc.ca, ku.usages, ku.critical]).toEqual([
      false,
      x509.KeyUsageFlags.digitalSignature,
      true,
    ]);
    expect(eku.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(new X509Certificate(set.serverCert).ca).toBe(false);
  });

  it('links every AKI to the issuer SKI', () => {
    const ski = (pem: string) => ext(pem, x509.SubjectKeyIdentifierExtension).keyId;
    const aki = (pem: string) => ext(pem, x509.AuthorityKeyIdentifierExtension).keyId;
    expect(ski(set.rootCert)).toMatch(/^[0-9a-f]{40}$/);
    expect(aki(set.intermediateCert)).toBe(ski(set.rootCert));
    expect(aki(set.serverCert)).toBe(ski(set.intermediateCert));
    expect(
      new x509.X509Certificate(set.rootCert).getExtension(x509.AuthorityKeyIdentifierExtension),
    ).toBeNull();
  });

  it('uses positive serials of at least 64 random bits, all different', () => {
    const serials = [set.rootCert, set.intermediateCert, set.serverCert].map(
      (p) => new X509Certificate(p).serialNumber,
    );
    for (const serial of serials) {
      expect(serial.length).toBeGreaterThanOrEqual(16);
      expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
      expect(parseInt(serial.slice(0, 2), 16)).toBeGreaterThan(0);
    }
    expect(new Set(serials).size).toBe(3);
  });

  it('backdates notBefore 5 minutes; 90 days leaf, 5 years intermediate, 10 years root', () => {
    const dates = (pem: string) => {
      const c = new X509Certificate(pem);
      return [c.validFromDate.getTime(), c.validToDate.getTime()];
    };
    expect(dates(set.serverCert)).toEqual([
      now.getTime() - 5 * 60 * 1000,
      now.getTime() + 90 * DAY,
    ]);
    expect(dates(set.intermediateCert)[1]).toBe(now.getTime() + 1825 * DAY);
    expect(dates(set.rootCert)[1]).toBe(now.getTime() + 3650 * DAY);
  });

  it('signs with ECDSA P-256/SHA-256 by default and P-384/SHA-384 on request', async () => {
    const p384 = await generateCertificateSet({
      keyAlgorithm: 'ECDSA-P384',
      validityDays: 7,
      label: 'auto',
    });
    const leaf = new X509Certificate(p384.serverCert);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(leaf.signatureAlgorithm).toBe('ecdsa-with-SHA384');
    expect(new X509Certificate(p384.rootCert).subject).toBe(
      'CN=cryptoutil auto root CA\nO=cryptoutil',
    );
    expect(leaf.validToDate.getTime() - leaf.validFromDate.getTime()).toBe(7 * DAY + 5 * 60 * 1000);
    expect(new X509Certificate(set.serverCert).signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(p384.serverKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(p384.intermediateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });
});

describe('writeCertificateSet', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-set-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the five files with 0600 keys and 0644 certificates', async () => {
    const set = await generateCertificateSet();
    const paths = await writeCertificateSet(join(dir, 'nested'), set);
    expect(paths).toEqual({
      ca: join(dir, 'nested', 'ca.pem'),
      intermediate: join(dir, 'nested', 'intermediate.pem'),
      intermediateKey: join(dir, 'nested', 'intermediate-key.pem'),
      server: join(dir, 'nested', 'server.pem'),
      serverKey: join(dir, 'nested', 'server-key.pem'),
    });
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    expect(await mode(paths.intermediateKey)).toBe(0o600);
    expect(await mode(paths.serverKey)).toBe(0o600);
    expect(await mode(paths.ca)).toBe(0o644);
    expect(await readFile(paths.server, 'utf8')).toBe(set.serverChain);
    expect(await readFile(paths.ca, 'utf8')).toBe(set.rootCert);
  });
});
