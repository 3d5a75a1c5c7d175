import { X509Certificate, createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCertificateSet, type CertificateSet } from './generate-certificate-set.js';
import { issueClientCertificate, serverNames, validityWindow } from './issue-certificate.js';
import { x509 } from './x509.js';

let set: CertificateSet;
beforeAll(async () => {
  set = await generateCertificateSet();
});

describe('issueClientCertificate', () => {
  it('issues a clientAuth certificate whose chain ends before the root', async () => {
    const issued = await issueClientCertificate({
      issuerCert: set.intermediateCert + set.rootCert,
      issuerKey: set.intermediateKey,
      commonName: ' #svc, "billing"+x=y; ',
      validityDays: 30,
    });
    const cert = new X509Certificate(issued.cert);
    expect(new x509.X509Certificate(issued.cert).subjectName.toJSON()).toEqual([
      { CN: [' #svc, "billing"+x=y; '] },
      { O: ['cryptoutil'] },
    ]);
    expect(cert.verify(new X509Certificate(set.intermediateCert).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(issued.key))).toBe(true);
    expect(cert.ca).toBe(false);
    const eku = new x509.X509Certificate(issued.cert).getExtension(x509.ExtendedKeyUsageExtension);
    expect(eku?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(issued.chain).toBe(issued.cert + set.intermediateCert);
    expect(cert.validToDate.getTime() - cert.validFromDate.getTime()).toBe(
      (30 * 1440 + 5) * 60_000,
    );
  });

  it('refuses an issuer key that does not belong to the issuer and an empty issuer', async () => {
    await expect(
      issueClientCertificate({
        issuerCert: set.rootCert,
        issuerKey: set.intermediateKey,
        commonName: 'x',
      }),
    ).rejects.toThrow(
      new TypeError('issueClientCertificate: issuerKey is not the private key of issuerCert'),
    );
    await expect(
      issueClientCertificate({ issuerCert: set.rootCert, issuerKey: 'junk', commonName: 'x' }),
    ).rejects.toThrow(TypeError);
    await expect(
      issueClientCertificate({ issuerCert: '', issuerKey: set.intermediateKey, commonName: 'x' }),
    ).rejects.toThrow(new TypeError('issueClientCertificate: issuerCert holds no PEM certificate'));
  });
});

describe('validityWindow and serverNames', () => {
  it('never ends after the issuer', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const issuerEnd = new Date('2030-01-10T00:00:00Z');
    expect(validityWindow(now, 90, issuerEnd)).toEqual({
      notBefore: new Date('2029-12-31T23:55:00Z'),
      notAfter: issuerEnd,
    });
    expect(validityWindow(now, 1).notAfter).toEqual(new Date('2030-01-02T00:00:00Z'));
  });

  it('puts the local names first and drops repeats', () => {
    expect(serverNames([' Example.COM ', 'localhost', '::1', 'example.com'])).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'example.com',
    ]);
  });
});
