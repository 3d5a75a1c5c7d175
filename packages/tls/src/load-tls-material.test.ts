import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from '../test/fixtures.js';
import { generateCertificateSet, type CertificateSet } from './generate-certificate-set.js';
import { loadTlsMaterial } from './load-tls-material.js';
import { TlsConfigError } from './tls-config-error.js';
import { x509 } from './x509.js';

let tmp: TempDir;
let set: CertificateSet;
let other: CertificateSet;
const files: Record<string, string> = {};

beforeAll(async () => {
  tmp = await createTempDir();
  [set, other] = await Promise.all([generateCertificateSet(), generateCertificateSet()]);
  const entries: [string, string][] = [
    ['chain.pem', set.serverChain],
    ['key.pem', set.serverKey],
    ['ca.pem', set.rootCert],
    ['other-key.pem', other.serverKey],
    ['other-ca.pem', other.rootCert],
    ['reversed.pem', set.intermediateCert + set.serverCert],
    ['garbage.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
    ['empty.pem', 'nothing here'],
    ['ca-chain.pem', set.intermediateCert + set.rootCert],
    ['inter-key.pem', set.intermediateKey],
    ['inter-only.pem', set.intermediateCert],
    [
      'rsa1024.pem',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string,
    ],
  ];
  for (const [name, text] of entries) files[name] = await tmp.file(name, text);
});
afterAll(() => tmp.remove());

async function failure(promise: Promise<unknown>): Promise<TlsConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TlsConfigError);
  expect((error as Error).message).not.toContain('PRIVATE KEY');
  return error as TlsConfigError;
}

describe('loadTlsMaterial static mode', () => {
  it('loads the chain, the key and the CA anchors', async () => {
    const material = await loadTlsMaterial({
      mode: 'static',
      certFile: files['chain.pem']!,
      keyFile: files['key.pem']!,
      caFile: files['ca.pem']!,
    });
    expect(material).toEqual({
      cert: set.serverChain,
      key: set.serverKey,
      ca: [set.rootCert],
      caFile: files['ca.pem'],
      clientAuth: 'none',
    });
  });

  it('loads without caFile (no anchors to offer)', async () => {
    const material = await loadTlsMaterial({
      mode: 'static',
      certFile: files['chain.pem']!,
      keyFile: files['key.pem']!,
    });
    expect([material.ca, material.caFile]).toEqual([[], undefined]);
  });

  it('names the key of a missing or unreadable file', async () => {
    const missing = await failure(
      loadTlsMaterial({ mode: 'static', certFile: files['chain.pem']!, keyFile: '/x/none' }),
    );
    expect(missing.message).toBe('tls.keyFile: file not found: /x/none');
    expect(missing.key).toBe('tls.keyFile');
    const dir = await failure(
      loadTlsMaterial(
        { mode: 'static', certFile: tmp.path, keyFile: files['key.pem']! },
        { keyPath: 'kms.tls' },
      ),
    );
    expect(dir.message).toBe(`kms.tls.certFile: is a directory, not a file: ${tmp.path}`);
  });

  it('rejects a key that does not match the certificate, naming keyFile', async () => {
    const error = await failure(
      loadTlsMaterial({
        mode: 'static',
        certFile: files['chain.pem']!,
        keyFile: files['other-key.pem']!,
      }),
    );
    expect(error.message).toBe(
      `tls.keyFile: the private key in ${files['other-key.pem']} does not match the certificate in ${files['chain.pem']}`,
    );
  });

  it('rejects invalid PEM, a chain out of order and non-key files', async () => {
    const load = (certFile: string, keyFile = files['key.pem']!) =>
      failure(loadTlsMaterial({ mode: 'static', certFile, keyFile }));
    expect((await load(files['empty.pem']!)).message).toBe(
      `tls.certFile: no PEM certificate found in ${files['empty.pem']}`,
    );
    expect((await load(files['garbage.pem']!)).message).toBe(
      `tls.certFile: certificate #1 in ${files['garbage.pem']} is not a valid X.509 certificate`,
    );
    expect((await load(files['reversed.pem']!)).message).toMatch(
      /^tls\.certFile: .* is not a TLS server certificate \(the leaf comes first\)$/,
    );
    expect((await load(files['chain.pem']!, files['chain.pem'])).message).toBe(
      `tls.keyFile: not an unencrypted PEM private key (PKCS#8 expected): ${files['chain.pem']}`,
    );
    expect((await load(files['chain.pem']!, files['rsa1024.pem'])).message).toContain(
      'tls.keyFile: RSA key of 1024 bits is too short',
    );
    const swapped = await tmp.file('swapped.pem', set.serverCert + set.rootCert);
    expect((await load(swapped)).message).toBe(
      `tls.certFile: certificate #2 in ${swapped} did not issue certificate #1: list the leaf first, then each issuer in order`,
    );
  });

  it('rejects an expired certificate and one not yet valid', async () => {
    const config = {
      mode: 'static' as const,
      certFile: files['chain.pem']!,
      keyFile: files['key.pem']!,
    };
    const expired = await failure(
      loadTlsMaterial(config, { now: new Date(Date.now() + 100 * 86_400_000) }),
    );
    expect(expired.message).toMatch(
      /^tls\.certFile: certificate "CN=localhost, O=cryptoutil" in .* expired on /,
    );
    const early = await failure(
      loadTlsMaterial(config, { now: new Date(Date.now() - 86_400_000) }),
    );
    expect(early.message).toMatch(/is not valid before /);
  });

  it('rejects a caFile that does not anchor the chain', async () => {
    const error = await failure(
      loadTlsMaterial({
        mode: 'static',
        certFile: files['chain.pem']!,
        keyFile: files['key.pem']!,
        caFile: files['other-ca.pem']!,
      }),
    );
    expect(error.message).toBe(
      `tls.caFile: ${files['other-ca.pem']} does not hold the issuer of the chain in ${files['chain.pem']}`,
    );
  });

  it('loads clientCa for mTLS and reports schema errors with the key path', async () => {
    const material = await loadTlsMaterial({
      mode: 'static',
      certFile: files['chain.pem']!,
      keyFile: files['key.pem']!,
      clientAuth: 'required',
      clientCaFile: files['other-ca.pem']!,
    });
    expect([material.clientAuth, material.clientCa]).toEqual(['required', [other.rootCert]]);
    const schema = await failure(
      loadTlsMaterial({ mode: 'auto', clientAuth: 'optional' }, { keyPath: 'jose.tls' }),
    );
    expect(schema.message).toBe('jose.tls.clientCaFile: required when clientAuth is optional');
  });
  it('rejects a certificate signed with SHA-1', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-1' };
    const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=legacy',
      keys,
      signingAlgorithm: alg,
    });
    const certFile = await tmp.file('sha1.pem', cert.toString('pem'));
    const keyFile = await tmp.file(
      'sha1-key.pem',
      await (await import('./signing-key.js')).toPkcs8Pem(keys.privateKey),
    );
    const error = await failure(loadTlsMaterial({ mode: 'static', certFile, keyFile }));
    expect(error.message).toBe(
      `tls.certFile: certificate "CN=legacy" in ${certFile} is signed with ecdsa-with-SHA1, not a FIPS-allowed algorithm`,
    );
  });
});

describe('loadTlsMaterial mixed mode', () => {
  it('signs a fresh server certificate with the given intermediate CA', async () => {
    const material = await loadTlsMaterial(
      {
        mode: 'mixed',
        caCertFile: files['ca-chain.pem']!,
        caKeyFile: files['inter-key.pem']!,
        names: ['ca.example'],
      },
      { names: ['0.0.0.0'] },
    );
    const [leafPem, interPem, rest] = material.cert.split(/(?<=-----END CERTIFICATE-----\n)/);
    const leaf = new X509Certificate(leafPem!);
    expect([interPem, rest]).toEqual([set.intermediateCert, undefined]);
    expect(leaf.checkIssued(new X509Certificate(set.intermediateCert))).toBe(true);
    expect(leaf.verify(new X509Certificate(set.intermediateCert).publicKey)).toBe(true);
    expect(leaf.checkHost('ca.example')).toBe('ca.example');
    expect(leaf.checkIP('0.0.0.0')).toBe('0.0.0.0');
    expect([material.ca, material.caFile]).toEqual([[set.rootCert], files['ca-chain.pem']]);
    expect(leaf.checkPrivateKey((await import('node:crypto')).createPrivateKey(material.key))).toBe(
      true,
    );
  });

  it('signs with an RSA 2048 CA given by the operator', async () => {
    const pair = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Operator RSA CA',
      keys: pair,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const keyPem = (await import('./signing-key.js')).toPkcs8Pem(pair.privateKey);
    const caCertFile = await tmp.file('rsa-ca.pem', ca.toString('pem'));
    const caKeyFile = await tmp.file('rsa-ca-key.pem', await keyPem);
    const material = await loadTlsMaterial({ mode: 'mixed', caCertFile, caKeyFile });
    const leaf = new X509Certificate(material.cert);
    expect(leaf.issuer).toBe('CN=Operator RSA CA');
    expect(leaf.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(leaf.verify(new X509Certificate(ca.toString('pem')).publicKey)).toBe(true);
    expect(material.ca).toEqual([`${ca.toString('pem')}\n`]);
  });

  it('refuses a CA file that stops before the root clients must trust', async () => {
    const partial = await failure(
      loadTlsMaterial({
        mode: 'mixed',
        caCertFile: files['inter-only.pem']!,
        caKeyFile: files['inter-key.pem']!,
      }),
    );
    expect(partial.message).toBe(
      `tls.caCertFile: ${files['inter-only.pem']} must end with the self-signed root CA certificate that clients trust`,
    );
  });

  it('refuses a CA key that does not match and a certificate that is not a CA', async () => {
    const mismatch = await failure(
      loadTlsMaterial({
        mode: 'mixed',
        caCertFile: files['ca-chain.pem']!,
        caKeyFile: files['key.pem']!,
      }),
    );
    expect(mismatch.message).toBe(
      `tls.caKeyFile: the private key in ${files['key.pem']} does not match the CA certificate in ${files['ca-chain.pem']}`,
    );
    const notCa = await failure(
      loadTlsMaterial({
        mode: 'mixed',
        caCertFile: files['chain.pem']!,
        caKeyFile: files['key.pem']!,
      }),
    );
    expect(notCa.message).toMatch(
      /^tls\.caCertFile: certificate "CN=localhost, O=cryptoutil" in .* is not a CA allowed to sign certificates$/,
    );
  });
});
