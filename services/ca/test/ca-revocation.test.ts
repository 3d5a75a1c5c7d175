// Revocation through the running CA, judged by openssl: every RFC 5280 reason, a certificate hold
// and its release, the refusals (duplicate revocation, releasing what is not on hold, revoking a
// pending enrollment: 409); the CRLs (full and partition, DER and PEM, on the plain listener and
// on HTTPS), regenerated at once with a growing CRL number and verified by `openssl crl`; the
// OCSP responder (RFC 6960) by POST and GET, with and without a nonce, its statuses and its own
// error statuses; and the plain-HTTP listener's refusals (405 for writes, no /service routes).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { auditRecords, type CertificateJson } from './support/ca-json.js';
import { writeChainFiles } from './support/chain-files.js';
import { expectProblem } from './support/expect-problem.js';
import { makeCsr } from './support/make-csr.js';
import { openssl, opensslAsync, type OpensslResult } from './support/openssl.js';

const PKI = '/.well-known/pki-ca';
const OCSP_RESPONSE = 'application/ocsp-response';

let ca: CaHarness;
const certs: Record<string, CertificateJson> = {};
let issuingDer: Buffer;

/** Enrolls a tls-server certificate for `<name>.example.test` and writes `<name>.pem`. */
async function enroll(name: string): Promise<CertificateJson> {
  const made = makeCsr(ca.dir, name, {
    key: { kty: 'EC', curve: 'P-256' },
    subject: `/CN=${name}.example.test`,
    extensions: [`subjectAltName=DNS:${name}.example.test`],
  });
  const res = await ca.call('POST', '/enroll', { json: { csr: made.pem, profile: 'tls-server' } });
  expect(res.status).toBe(201);
  const body = res.json<CertificateJson>();
  writeFileSync(join(ca.dir, `${name}.pem`), body.certificatePem ?? '');
  certs[name] = body;
  return body;
}

/** Revokes (or releases) `name`; a 200 answer replaces its entry in `certs`. */
async function revoke(name: string, reason: string) {
  const res = await ca.call('POST', `/certificates/${certs[name]?.id}/revoke`, {
    json: { reason },
  });
  if (res.status === 200) certs[name] = res.json<CertificateJson>();
  return res;
}

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

beforeAll(async () => {
  ca = await startCa();
  await writeChainFiles(ca);
  issuingDer = Buffer.from(
    readFileSync(join(ca.dir, 'issuing.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''),
    'base64',
  );
  for (const name of [
    'hold1',
    'hold2',
    'fresh',
    'crl',
    'ocsp',
    'race',
    ...REASONS.map((r) => `r-${r}`),
  ]) {
    await enroll(name);
  }
});
afterAll(() => ca.close());

/** 'Nov 30 00:09:18 2026 GMT', as openssl prints times. */
function opensslTime(iso: string | undefined): string {
  const d = new Date(iso ?? NaN);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 19);
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()} GMT`;
}

const serialOf = (name: string) => (certs[name]?.serial ?? '').toUpperCase();

interface CrlText {
  readonly text: string;
  readonly number: bigint;
  /** Revoked serials, upper-case hex as openssl prints them. */
  readonly serials: readonly string[];
  readonly verify: OpensslResult;
}

/** Fetches a CRL (DER) from the plain listener and reads it with `openssl crl -CAfile`. */
async function fetchCrl(path: string, file: string): Promise<CrlText> {
  const res = await plain(ca.plainPort, 'GET', path);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pkix-crl');
  writeFileSync(join(ca.dir, file), res.body);
  const verify = openssl(
    ['crl', '-inform', 'DER', '-in', file, '-CAfile', 'chain.pem', '-noout', '-text'],
    ca.dir,
  );
  expect(verify.status, verify.stderr).toBe(0);
  const text = verify.stdout;
  const number = /X509v3 CRL Number: *\n\s+(\d+)/.exec(text)?.[1];
  return {
    text,
    number: BigInt(number ?? -1),
    serials: [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1] as string),
    verify,
  };
}

const fullCrl = (file: string) => fetchCrl(`${PKI}/crl/issuing.crl`, file);

describe('revocation reasons (RFC 5280 §5.3.1)', () => {
  it.each(REASONS)('%s: 200 revoked with the reason and time; audited', async (reason) => {
    const before = Date.now();
    const res = await revoke(`r-${reason}`, reason);
    expect(res.status).toBe(200);
    const body = res.json<CertificateJson>();
    expect(body).toMatchObject({ status: 'revoked', revocationReason: reason });
    const at = Date.parse(body.revokedAt ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    const [last] = await auditRecords(ca, `&certificateId=${body.id}`);
    expect(last).toMatchObject({
      operation: 'revoke',
      outcome: 'revoked',
      failure: reason,
      serial: body.serial,
      subject: 'alice',
    });
  });

  it('the full CRL lists each with its reason code (none for unspecified, §5.3.1)', async () => {
    const crl = await fullCrl('reasons.crl');
    const entry = (reason: string) => {
      const serial = serialOf(`r-${reason}`);
      const at = crl.text.indexOf(`Serial Number: ${serial}`);
      expect(at).toBeGreaterThan(-1);
      return crl.text.slice(at).split(/\n {4}Serial Number: /)[0] ?? '';
    };
    const names: Record<string, string> = {
      keyCompromise: 'Key Compromise',
      cACompromise: 'CA Compromise',
      affiliationChanged: 'Affiliation Changed',
      superseded: 'Superseded',
      cessationOfOperation: 'Cessation Of Operation',
      privilegeWithdrawn: 'Privilege Withdrawn',
      aACompromise: 'AA Compromise',
    };
    expect(entry('unspecified')).not.toContain('CRL Reason Code');
    for (const [reason, name] of Object.entries(names)) {
      expect(entry(reason)).toMatch(new RegExp(`X509v3 CRL Reason Code: *\\n\\s+${name}(\\n|$)`));
    }
  });

  it('openssl ocsp reports each as revoked with its time and reason, in one request', async () => {
    const args = REASONS.flatMap((r) => ['-cert', `r-${r}.pem`]);
    const result = await opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        ...args,
        '-CAfile',
        'root.pem',
        '-url',
        `${ca.baseUrl}${PKI}/ocsp`,
        '-respout',
        'reasons.ocsp',
      ],
      ca.dir,
    );
    expect(result.output).toContain('Response verify OK');
    // OpenSSL 3.0 has no names for privilegeWithdrawn (9) and aACompromise (10): see the DER below.
    const shown = (r: string) =>
      r === 'privilegeWithdrawn' || r === 'aACompromise' ? '(UNKNOWN)' : r;
    for (const reason of REASONS) {
      const block = result.stdout.split(`r-${reason}.pem: `)[1]?.split(/\n(?=\S+\.pem: )/)[0];
      expect(block).toMatch(/^revoked\n/);
      expect(block).toContain(`Revocation Time: ${opensslTime(certs[`r-${reason}`]?.revokedAt)}`);
      if (reason === 'unspecified') expect(block).not.toContain('Reason:');
      else expect(block).toContain(`Reason: ${shown(reason)}\n`);
    }
    // The CRLReason ENUMERATEDs inside the BasicOCSPResponse (RFC 6960 §4.2.1), in request order.
    const outer = openssl(['asn1parse', '-inform', 'DER', '-in', 'reasons.ocsp'], ca.dir).stdout;
    const offset = /^\s*(\d+):d=3 .*OCTET STRING/m.exec(outer)?.[1] ?? '';
    const inner = openssl(
      ['asn1parse', '-inform', 'DER', '-in', 'reasons.ocsp', '-strparse', offset],
      ca.dir,
    ).stdout;
    const reasons = [...inner.matchAll(/ENUMERATED\s+:(\S+)/g)].map((m) => m[1]);
    expect(reasons).toEqual(['01', '02', '03', '04', '05', '09', '0A']);
  });

  it('a certificateHold is released by removeFromCRL: issued again, off the CRL', async () => {
    const held = await revoke('hold1', 'certificateHold');
    expect(held.json<CertificateJson>()).toMatchObject({
      status: 'revoked',
      revocationReason: 'certificateHold',
    });
    expect((await fullCrl('held.crl')).serials).toContain(serialOf('hold1'));
    const released = await revoke('hold1', 'removeFromCRL');
    expect(released.status).toBe(200);
    const body = released.json<CertificateJson>();
    expect(body.status).toBe('issued');
    expect(body.revocationReason).toBeUndefined();
    expect(body.revokedAt).toBeUndefined();
    expect((await fullCrl('released.crl')).serials).not.toContain(serialOf('hold1'));
    const records = await auditRecords(ca, `&certificateId=${body.id}`);
    expect(records.map((r) => [r.operation, r.outcome, r.failure])).toEqual([
      ['release', 'released', 'removeFromCRL'],
      ['revoke', 'revoked', 'certificateHold'],
      ['enroll', 'issued', undefined],
    ]);
  });

  it('a certificateHold may become keyCompromise', async () => {
    expect((await revoke('hold2', 'certificateHold')).status).toBe(200);
    const res = await revoke('hold2', 'keyCompromise');
    expect(res.status).toBe(200);
    expect(res.json<CertificateJson>()).toMatchObject({
      status: 'revoked',
      revocationReason: 'keyCompromise',
    });
  });

  it('refusals: 409 conflict, nothing changes, a failure audited', async () => {
    const id = (name: string) => certs[name]?.id ?? '';
    const cases: [string, string, string][] = [
      [
        'hold2',
        'keyCompromise',
        `certificate ${id('hold2')} cannot be revoked: it is revoked (keyCompromise)`,
      ],
      [
        'hold2',
        'certificateHold',
        `certificate ${id('hold2')} cannot be revoked: it is revoked (keyCompromise)`,
      ],
      [
        'hold2',
        'removeFromCRL',
        `certificate ${id('hold2')} is not on hold: it is revoked (keyCompromise)`,
      ],
      ['fresh', 'removeFromCRL', `certificate ${id('fresh')} is not on hold: it is issued`],
    ];
    for (const [name, reason, detail] of cases) {
      const before = (await ca.call('GET', `/certificates/${id(name)}`)).json<CertificateJson>();
      const res = await revoke(name, reason);
      expectProblem(res, 409, 'conflict', detail);
      expect((await ca.call('GET', `/certificates/${id(name)}`)).json()).toEqual(before);
      const [last] = await auditRecords(ca, `&certificateId=${id(name)}`);
      expect(last).toMatchObject({ outcome: 'failure', failure: 'conflict' });
    }
  });

  it('two revocations at once: one 200, one 409; one audit record of each', async () => {
    const id = certs.race?.id ?? '';
    const answers = await Promise.all(
      ['keyCompromise', 'superseded'].map((reason) =>
        ca.call('POST', `/certificates/${id}/revoke`, { json: { reason } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const won = answers.find((a) => a.status === 200)?.json<CertificateJson>();
    const records = await auditRecords(ca, `&certificateId=${id}`);
    expect(records.map((r) => [r.operation, r.outcome, r.failure]).sort()).toEqual(
      [
        ['enroll', 'issued', undefined],
        ['revoke', 'failure', 'conflict'],
        ['revoke', 'revoked', won?.revocationReason],
      ].sort(),
    );
  });

  it('revoking a pending enrollment is 409; an unknown id 404; an unknown reason 400', async () => {
    const made = makeCsr(ca.dir, 'pending', {
      key: { kty: 'EC', curve: 'P-256' },
      subject: '/CN=Pending responder',
    });
    const enrolled = await ca.call('POST', '/enroll', {
      json: { csr: made.pem, profile: 'ocsp-responder' },
    });
    expect(enrolled.status).toBe(202);
    const { id } = enrolled.json<CertificateJson>();
    const res = await ca.call('POST', `/certificates/${id}/revoke`, {
      json: { reason: 'superseded' },
    });
    expectProblem(res, 409, 'conflict', `certificate ${id} cannot be revoked: it is pending`);
    expect((await ca.call('GET', `/certificates/${id}`)).json<CertificateJson>().status).toBe(
      'pending',
    );
    const unknown = crypto.randomUUID();
    expectProblem(
      await ca.call('POST', `/certificates/${unknown}/revoke`, { json: { reason: 'superseded' } }),
      404,
      'not-found',
      `no certificate ${unknown}`,
    );
    const bad = await ca.call('POST', `/certificates/${certs.fresh?.id}/revoke`, {
      json: { reason: 'lostIt' },
    });
    expectProblem(bad, 400, 'validation');
    expect(
      (await ca.call('GET', `/certificates/${certs.fresh?.id}`)).json<CertificateJson>().status,
    ).toBe('issued');
  });
});

describe('CRLs under /.well-known/pki-ca/crl', () => {
  it('the full CRL: DER and PEM, on the plain listener and on HTTPS, the same CRL', async () => {
    const der = await plain(ca.plainPort, 'GET', `${PKI}/crl/issuing.crl`);
    expect(der.status).toBe(200);
    expect(der.headers['content-type']).toBe('application/pkix-crl');
    expect(der.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const pem = await plain(ca.plainPort, 'GET', `${PKI}/crl/issuing.pem`);
    expect(pem.status).toBe(200);
    expect(pem.headers['content-type']).toBe('application/x-pem-file');
    const pemText = pem.body.toString('utf8');
    expect(pemText).toMatch(
      /^-----BEGIN X509 CRL-----\n[A-Za-z0-9+/=\n]+-----END X509 CRL-----\n$/,
    );
    expect(Buffer.from(pemText.replace(/-----[^-]+-----|\s/g, ''), 'base64').equals(der.body)).toBe(
      true,
    );
    for (const file of ['issuing.crl', 'issuing.pem']) {
      const https = await ca.call('GET', `${PKI}/crl/${file}`, { prefix: '', as: 'nobody' });
      expect(https.status).toBe(200);
      expect(https.body.equals(file.endsWith('.crl') ? der.body : pem.body)).toBe(true);
    }
  });

  it('openssl crl: verify OK, v2, issuer, thisUpdate/nextUpdate 24 h apart, CRL number and AKI', async () => {
    const crl = await fullCrl('full.crl');
    expect(crl.verify.stderr).toBe('verify OK\n');
    expect(crl.text).toContain('Version 2 (0x1)');
    expect(crl.text).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(crl.text).toContain('Issuer: CN = cryptoutil Issuing CA');
    const last = Date.parse(`${/Last Update: (.+)/.exec(crl.text)?.[1]}`);
    const next = Date.parse(`${/Next Update: (.+)/.exec(crl.text)?.[1]}`);
    expect(next - last).toBe(24 * 3_600_000);
    const issuingSki = /Subject Key Identifier: *\n\s+(\S+)/.exec(
      openssl(['x509', '-in', 'issuing.pem', '-noout', '-text'], ca.dir).stdout,
    )?.[1];
    expect(crl.text).toMatch(new RegExp(`Authority Key Identifier: *\\n\\s+${issuingSki}\\n`));
    expect(crl.number > 0n).toBe(true);
  });

  it('regenerated at once: revoke, and the next fetch lists it with a higher CRL number', async () => {
    const before = await fullCrl('before.crl');
    expect(before.serials).not.toContain(serialOf('crl'));
    expect((await revoke('crl', 'keyCompromise')).status).toBe(200);
    const after = await fullCrl('after.crl');
    expect(after.serials).toContain(serialOf('crl'));
    expect(after.number > before.number).toBe(true);
    expect((await revoke('fresh', 'certificateHold')).status).toBe(200);
    const again = await fullCrl('again.crl');
    expect(again.number > after.number).toBe(true);
    expect(again.serials).toEqual(expect.arrayContaining([serialOf('crl'), serialOf('fresh')]));
    expect((await revoke('fresh', 'removeFromCRL')).status).toBe(200);
    const released = await fullCrl('released-fresh.crl');
    expect(released.number > again.number).toBe(true);
    expect(released.serials).not.toContain(serialOf('fresh'));
  });

  it('the partition CRL named by the CRLDP lists it; every other partition does not', async () => {
    const url = new URL(certs.crl?.crlUrl ?? '');
    const partition = Number(/\/crl\/issuing\/(\d+)\.crl$/.exec(url.pathname)?.[1]);
    expect(partition).toBeGreaterThanOrEqual(0);
    expect(partition).toBeLessThan(16);
    const own = await fetchCrl(url.pathname, 'own-partition.crl');
    expect(own.verify.stderr).toBe('verify OK\n');
    expect(own.serials).toContain(serialOf('crl'));
    // RFC 5280 §5.2.5: a partition CRL names its distribution point, critically.
    expect(own.text).toMatch(
      // (OpenSSL 3.0 prints no newline between the URI and "Only User Certificates".)
      new RegExp(
        `Issuing Distribution Point: critical\\n\\s+Full Name:\\n\\s+URI:${url.href.replaceAll('.', '\\.')}\\s+Only User Certificates\\n`,
      ),
    );
    const pem = await plain(ca.plainPort, 'GET', url.pathname.replace(/\.crl$/, '.pem'));
    expect(pem.headers['content-type']).toBe('application/x-pem-file');
    for (let p = 0; p < 16; p += 1) {
      if (p === partition) continue;
      const other = await fetchCrl(`${PKI}/crl/issuing/${p}.crl`, `partition-${p}.crl`);
      expect(other.serials).not.toContain(serialOf('crl'));
    }
    const https = await ca.call('GET', url.pathname, { prefix: '', as: 'nobody' });
    expect(https.status).toBe(200);
    expect(https.headers['content-type']).toBe('application/pkix-crl');
  });

  it('openssl verify -crl_check refuses the revoked certificate with its partition CRL', () => {
    openssl(
      ['crl', '-inform', 'DER', '-in', 'own-partition.crl', '-out', 'own-partition.pem'],
      ca.dir,
    );
    const verify = openssl(
      [
        'verify',
        '-crl_check',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'issuing.pem',
        '-CRLfile',
        'own-partition.pem',
        'crl.pem',
      ],
      ca.dir,
    );
    expect(verify.status).not.toBe(0);
    expect(verify.output).toContain('error 23 at 0 depth lookup: certificate revoked');
  });

  it.each([
    [`${PKI}/crl/nope.crl`, 'no CA nope'],
    [`${PKI}/crl/issuing/16.crl`, 'CA issuing has no CRL partition 16'],
    [`${PKI}/crl/issuing/9999.crl`, 'CA issuing has no CRL partition 9999'],
    [`${PKI}/crl/root/0.crl`, 'CA root has no CRL partition 0'],
    [`${PKI}/crl/issuing/x.crl`, 'no such CRL partition'],
    [`${PKI}/crl/issuing/0.der`, 'no such CRL partition'],
    [`${PKI}/crl/issuing.txt`, 'no such CRL'],
    [`${PKI}/crl/..%2Fissuing.crl`, 'no such CRL'],
    [`${PKI}/crl/Issuing/0.crl`, 'no such CA'],
  ])('GET %s: 404 not-found (%s)', async (path, detail) => {
    expectProblem(await plain(ca.plainPort, 'GET', path), 404, 'not-found', detail);
  });

  it('the root’s full CRL is served too (it signs the issuing CA)', async () => {
    const res = await plain(ca.plainPort, 'GET', `${PKI}/crl/root.crl`);
    expect(res.status).toBe(200);
    writeFileSync(join(ca.dir, 'root.crl'), res.body);
    const read = openssl(
      ['crl', '-inform', 'DER', '-in', 'root.crl', '-CAfile', 'root.pem', '-noout'],
      ca.dir,
    );
    expect(read.stderr).toBe('verify OK\n');
  });
});

describe('OCSP (RFC 6960) on the plain listener', () => {
  const url = () => `${ca.baseUrl}${PKI}/ocsp`;
  /** `openssl ocsp -url` for ocsp.pem; a CertID digest (`-sha256`) must come before `-cert`. */
  const ocsp = (...extra: string[]) => {
    const digest = extra.filter((arg) => /^-sha\d+$/.test(arg));
    const rest = extra.filter((arg) => !digest.includes(arg));
    return opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        ...digest,
        '-cert',
        'ocsp.pem',
        '-CAfile',
        'root.pem',
        '-url',
        url(),
        ...rest,
      ],
      ca.dir,
    );
  };

  /**
   * The OCSP request for ocsp.pem made by openssl, sent by GET (§A.1: base64, URL-encoded; `raw`
   * sends the base64 as it is, slashes and all, as some clients do).
   */
  async function ocspGet(name: string, raw = false): Promise<OpensslResult> {
    const made = openssl(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        '-cert',
        'ocsp.pem',
        '-no_nonce',
        '-reqout',
        `${name}.req`,
      ],
      ca.dir,
    );
    expect(made.status, made.stderr).toBe(0);
    const request = readFileSync(join(ca.dir, `${name}.req`)).toString('base64');
    const path = raw ? request : encodeURIComponent(request);
    const res = await plain(ca.plainPort, 'GET', `${PKI}/ocsp/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(OCSP_RESPONSE);
    writeFileSync(join(ca.dir, `${name}.resp`), res.body);
    return openssl(
      [
        'ocsp',
        '-respin',
        `${name}.resp`,
        '-issuer',
        'issuing.pem',
        '-cert',
        'ocsp.pem',
        '-CAfile',
        'root.pem',
      ],
      ca.dir,
    );
  }

  it('POST without a nonce: good, signed by the delegated responder with id-pkix-ocsp-nocheck', async () => {
    const result = await ocsp('-no_nonce', '-resp_text');
    expect(result.output).toContain('Response verify OK');
    expect(result.stdout).toContain('ocsp.pem: good');
    expect(result.stdout).toContain('OCSP Response Status: successful (0x0)');
    expect(result.stdout).toContain('Response Type: Basic OCSP Response');
    expect(result.stdout).not.toContain('OCSP Nonce');
    expect(result.stdout).toContain('OCSP Signing');
    expect(result.stdout).toContain('OCSP No Check');
    expect(result.stdout).toContain('Hash Algorithm: sha1');
  });

  it('POST with a nonce: good, the nonce echoed (no warning), a SHA-256 CertID answered in kind', async () => {
    const nonce = await ocsp('-resp_text');
    expect(nonce.output).toContain('Response verify OK');
    expect(nonce.output).not.toContain('WARNING');
    expect(nonce.stdout).toContain('OCSP Nonce');
    expect(nonce.stdout).toContain('ocsp.pem: good');
    const sha256 = await ocsp('-sha256', '-resp_text');
    expect(sha256.output).toContain('Response verify OK');
    expect(sha256.stdout).toContain('Hash Algorithm: sha256');
    expect(sha256.stdout).toContain('ocsp.pem: good');
  });

  it('GET with the base64 request, URL-encoded or not: good', async () => {
    for (const raw of [false, true]) {
      const result = await ocspGet(raw ? 'get-raw' : 'get-good', raw);
      expect(result.output).toContain('Response verify OK');
      expect(result.stdout).toContain('ocsp.pem: good');
    }
  });

  it('good → revoked (keyCompromise, its time) at once, by POST (cached answers retired) and GET', async () => {
    expect((await ocsp('-no_nonce')).stdout).toContain('ocsp.pem: good');
    expect((await revoke('ocsp', 'certificateHold')).status).toBe(200);
    const held = await ocsp('-no_nonce');
    expect(held.stdout).toContain('ocsp.pem: revoked');
    expect(held.stdout).toContain('Reason: certificateHold');
    expect((await revoke('ocsp', 'removeFromCRL')).status).toBe(200);
    expect((await ocsp('-no_nonce')).stdout).toContain('ocsp.pem: good');
    expect((await ocspGet('get-released')).stdout).toContain('ocsp.pem: good');
    expect((await revoke('ocsp', 'keyCompromise')).status).toBe(200);
    const time = `Revocation Time: ${opensslTime(certs.ocsp?.revokedAt)}`;
    for (const result of [await ocsp('-no_nonce'), await ocsp(), await ocspGet('get-revoked')]) {
      expect(result.output).toContain('Response verify OK');
      expect(result.stdout).toContain('ocsp.pem: revoked');
      expect(result.stdout).toContain('Reason: keyCompromise');
      expect(result.stdout).toContain(time);
    }
  });

  it('a serial this CA never issued: unknown', async () => {
    const result = await opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        '-serial',
        '0x0123456789ABCDEF',
        '-CAfile',
        'root.pem',
        '-url',
        url(),
        '-no_nonce',
      ],
      ca.dir,
    );
    expect(result.output).toContain('Response verify OK');
    expect(result.stdout).toContain('0x0123456789ABCDEF: unknown');
  });

  it('a CertID of an issuer this responder does not serve: unauthorized (6)', async () => {
    const other = openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'other.key',
        '-subj',
        '/CN=Other CA',
        '-days',
        '2',
        '-out',
        'other.pem',
      ],
      ca.dir,
    );
    expect(other.status, other.stderr).toBe(0);
    const result = await opensslAsync(
      ['ocsp', '-issuer', 'other.pem', '-serial', '0x01', '-url', url(), '-no_nonce'],
      ca.dir,
    );
    expect(result.output).toContain('Responder Error: unauthorized (6)');
    // A request naming both issuers: one response has one signer (§2.3), so unauthorized too.
    const mixed = await opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        '-cert',
        'ocsp.pem',
        '-issuer',
        'other.pem',
        '-serial',
        '0x01',
        '-url',
        url(),
        '-no_nonce',
      ],
      ca.dir,
    );
    expect(mixed.output).toContain('Responder Error: unauthorized (6)');
  });

  const MALFORMED = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]); // OCSPResponse malformedRequest

  it.each([
    [
      'POST of bytes that are not an OCSPRequest',
      'POST',
      `${PKI}/ocsp`,
      Buffer.from('not an OCSP request'),
    ],
    ['POST of a truncated request', 'POST', `${PKI}/ocsp`, Buffer.from([0x30, 0x82, 0x01])],
    ['POST of nothing', 'POST', `${PKI}/ocsp`, Buffer.alloc(0)],
    ['GET of a path that is not base64', 'GET', `${PKI}/ocsp/not*base64!`, undefined],
    [
      'GET of base64 that is no request',
      'GET',
      `${PKI}/ocsp/${encodeURIComponent(Buffer.from('garbage').toString('base64'))}`,
      undefined,
    ],
  ])(
    '%s: 200 malformedRequest (1), as application/ocsp-response',
    async (_name, method, path, body) => {
      const res = await plain(
        ca.plainPort,
        method,
        path,
        body,
        body === undefined ? undefined : 'application/ocsp-request',
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(OCSP_RESPONSE);
      expect(res.body.equals(MALFORMED)).toBe(true);
      writeFileSync(join(ca.dir, 'malformed.resp'), res.body);
      const read = openssl(
        ['ocsp', '-respin', 'malformed.resp', '-resp_text', '-noverify'],
        ca.dir,
      );
      expect(read.output).toContain('Responder Error: malformedrequest (1)'); // openssl's spelling
    },
  );

  it('a POST labelled otherwise still gets an OCSP answer, never an HTTP error', async () => {
    // RFC 6960 §A.1 names application/ocsp-request; a sloppy label does not turn the protocol's
    // own answer into a problem body: a request is answered, anything else is malformedRequest.
    const request = readFileSync(join(ca.dir, 'get-good.req'));
    const answered = await plain(
      ca.plainPort,
      'POST',
      `${PKI}/ocsp`,
      request,
      'application/octet-stream',
    );
    expect(answered.status).toBe(200);
    expect(answered.headers['content-type']).toBe(OCSP_RESPONSE);
    writeFileSync(join(ca.dir, 'labelled.resp'), answered.body);
    expect(
      openssl(['ocsp', '-respin', 'labelled.resp', '-resp_text', '-noverify'], ca.dir).output,
    ).toContain('Response Type: Basic OCSP Response');
    for (const type of ['text/plain', undefined]) {
      const res = await plain(ca.plainPort, 'POST', `${PKI}/ocsp`, Buffer.from('abc'), type);
      expect(res.status, String(type)).toBe(200);
      expect(res.headers['content-type']).toBe(OCSP_RESPONSE);
      expect([...res.body]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x01]);
    }
  });

  it('the same request by POST over HTTPS: the same signed answer kinds', async () => {
    const request = readFileSync(join(ca.dir, 'get-good.req'));
    const res = await ca.call('POST', `${PKI}/ocsp`, {
      prefix: '',
      as: 'nobody',
      bytes: request,
      contentType: 'application/ocsp-request',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(OCSP_RESPONSE);
    writeFileSync(join(ca.dir, 'https.resp'), res.body);
    const read = openssl(
      [
        'ocsp',
        '-respin',
        'https.resp',
        '-issuer',
        'issuing.pem',
        '-cert',
        'ocsp.pem',
        '-CAfile',
        'root.pem',
      ],
      ca.dir,
    );
    expect(read.output).toContain('Response verify OK');
    expect(read.stdout).toContain('ocsp.pem: revoked');
  });
});

describe('the plain-HTTP listener: read-only signed data', () => {
  it('serves the CA certificates for AIA caIssuers (DER and PEM)', async () => {
    const der = await plain(ca.plainPort, 'GET', `${PKI}/certs/issuing.crt`);
    expect(der.status).toBe(200);
    expect(der.headers['content-type']).toBe('application/pkix-cert');
    expect(der.body.equals(issuingDer)).toBe(true);
    const pem = await plain(ca.plainPort, 'GET', `${PKI}/certs/issuing.pem`);
    expect(pem.body.toString('utf8')).toBe(readFileSync(join(ca.dir, 'issuing.pem'), 'utf8'));
    const root = await plain(ca.plainPort, 'GET', `${PKI}/certs/root.crt`);
    expect(root.status).toBe(200);
    expectProblem(
      await plain(ca.plainPort, 'GET', `${PKI}/certs/nope.crt`),
      404,
      'not-found',
      'no CA nope',
    );
    expectProblem(await plain(ca.plainPort, 'GET', `${PKI}/certs/issuing.key`), 404, 'not-found');
  });

  it.each([
    ['PUT', `${PKI}/crl/issuing.crl`],
    ['DELETE', `${PKI}/crl/issuing.crl`],
    ['PUT', `${PKI}/ocsp`],
    ['DELETE', `${PKI}/certs/issuing.crt`],
    ['PATCH', '/service/api/v1/certificates'],
  ])('%s %s: 405 method-not-allowed', async (method, path) => {
    const body = method === 'DELETE' ? undefined : Buffer.from('x');
    const res = await plain(ca.plainPort, method, path, body, 'application/ocsp-request');
    expectProblem(res, 405, 'method-not-allowed');
  });

  it.each([
    ['GET', '/service/api/v1/cas'],
    ['GET', '/service/api/v1/certificates'],
    ['POST', '/service/api/v1/enroll'],
    ['GET', '/browser/api/v1/cas'],
  ])('%s %s: 404, no API here', async (method, path) => {
    const res = await plain(
      ca.plainPort,
      method,
      path,
      method === 'POST' ? Buffer.from('x') : undefined,
      method === 'POST' ? 'application/ocsp-request' : undefined,
    );
    expectProblem(res, 404, 'not-found');
  });
});
