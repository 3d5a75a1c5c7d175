// What exercise.mjs asks of each product once its services run, through the product's public
// API with the API key make-secrets.sh printed (docs/kms.md, docs/jose.md, docs/ca.md):
// - shared({ one, two, ca, apiKey, check, dir }): the two PostgreSQL instances serve one
//   database: what one makes, the other serves. Returns what it made, for isolated();
// - isolated({ server, ca, apiKey, check, dir }, made): the SQLite instance has its own
//   database, so what shared() made (undefined when PostgreSQL was skipped) is not there;
// - listeners() (optional): `{ args, ...facts }`, the `-s` overrides that move the listeners a
//   product adds to the public and admin ones onto free loopback ports, as exercise.mjs does
//   for those two; the facts join the server object the scenarios get.
// `check(ok, what)` records one result; an exception fails the product's run. `dir` is a
// scratch folder that exercise.mjs removes at the end.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, http, https, waitFor } from './loopback.mjs';

const SERVICE = '/service/api/v1';

/** A request to `server`'s public listener with the API key, or none with `anonymous`. */
function call(server, context, path, options = {}) {
  const { method, body, anonymous = false } = options;
  const token = anonymous ? undefined : context.apiKey;
  return https({ url: `${server.base}${path}`, method, body, ca: context.ca, token });
}

const kms = {
  async shared(c) {
    const { one, two, check } = c;
    const body = { name: `exercise-${Date.now()}`, algorithm: 'A256GCM/dir' };
    const created = await call(one, c, `${SERVICE}/elastic-keys`, { method: 'POST', body });
    check(
      created.status === 201,
      `kms-pg-1: POST /elastic-keys with the API key -> ${created.status}`,
    );
    const read = await call(two, c, `${SERVICE}/elastic-keys/${created.json?.id}`);
    check(
      read.status === 200 && read.json?.name === body.name,
      `kms-pg-2 reads that key -> ${read.status}`,
    );
    const anonymous = await call(two, c, `${SERVICE}/elastic-keys`, { anonymous: true });
    check(anonymous.status === 401, `kms-pg-2 without credentials -> ${anonymous.status}`);
    return body.name;
  },
  async isolated(c, name) {
    const list = await call(c.server, c, `${SERVICE}/elastic-keys`);
    const names = (list.json?.items ?? []).map((k) => k.name);
    c.check(
      list.status === 200 && !names.includes(name),
      `kms-sqlite: its own database -> ${list.status}`,
    );
  },
};

const claims = { iss: 'https://exercise.invalid', aud: ['exercise'], sub: 'exercise' };

/** jwt/issue on `server` with the set `jwks`: { status, jwt, kid }. */
async function issue(server, c, jwks) {
  const r = await call(server, c, `${SERVICE}/jwt/issue`, {
    method: 'POST',
    body: { jwks, claims: { scope: 'exercise' }, ...claims },
  });
  return { status: r.status, jwt: r.json?.jwt, kid: r.json?.kid };
}

/** jwt/verify on `server`: the answer's JSON (`valid`, `kid`, `check`). */
async function verify(server, c, jwt) {
  const r = await call(server, c, `${SERVICE}/jwt/verify`, {
    method: 'POST',
    body: { jwt, algorithms: ['ES256'], issuer: claims.iss, audience: 'exercise' },
  });
  return { status: r.status, ...r.json };
}

/** Rotates `set` on jose-pg-2; jose-pg-1 then signs with the new version and still verifies `jwt`. */
async function rotation(c, set, jwt) {
  const { one, two, check } = c;
  const rotated = await call(two, c, `${SERVICE}/jwks/${set.id}/rotate`, {
    method: 'POST',
    body: {},
  });
  check(
    rotated.status === 201,
    `jose-pg-2: rotate -> ${rotated.status}, version ${rotated.json?.version}`,
  );
  // jose-pg-1 sees the new current version once its metadata cache (jose.cache.ttlMs) lapses.
  let next;
  await waitFor('jose-pg-1 to sign with the rotated version', 10_000, async () => {
    next = await issue(one, c, set.id);
    return next.kid === rotated.json?.kid;
  }).catch(() => undefined);
  check(next?.kid === rotated.json?.kid, `jose-pg-1 signs with the version jose-pg-2 rotated in`);
  const old = await verify(one, c, jwt);
  check(
    old.valid === true,
    `jose-pg-1 still verifies the JWT of the previous version -> valid ${old.valid}`,
  );
}

const jose = {
  async shared(c) {
    const { one, two, check } = c;
    const body = { name: `exercise-${Date.now()}`, use: 'sig', alg: 'ES256' };
    const created = await call(one, c, `${SERVICE}/jwks`, { method: 'POST', body });
    const set = created.json ?? {};
    check(
      created.status === 201,
      `jose-pg-1: POST /jwks (ES256) with the API key -> ${created.status}`,
    );
    const first = await issue(one, c, set.id);
    check(
      first.status === 200 && first.kid === set.currentKid,
      `jose-pg-1: jwt/issue signs with version 1 -> ${first.status}`,
    );
    const verified = await verify(two, c, first.jwt);
    check(
      verified.valid === true && verified.kid === set.currentKid,
      `jose-pg-2 verifies that JWT -> valid ${verified.valid}`,
    );
    const published = await call(two, c, '/.well-known/jwks.json', { anonymous: true });
    const kids = (published.json?.keys ?? []).map((k) => k.kid);
    check(
      published.status === 200 && kids.includes(set.currentKid),
      `jose-pg-2: /.well-known/jwks.json without credentials publishes its kid -> ${published.status}`,
    );
    await rotation(c, set, first.jwt);
    const anonymous = await call(two, c, `${SERVICE}/jwks`, { anonymous: true });
    check(anonymous.status === 401, `jose-pg-2 without credentials -> ${anonymous.status}`);
    return { name: body.name, kid: set.currentKid };
  },
  async isolated(c, made) {
    const list = await call(c.server, c, `${SERVICE}/jwks`);
    const names = (list.json?.items ?? []).map((s) => s.name);
    c.check(
      list.status === 200 && !names.includes(made?.name),
      `jose-sqlite: its own database -> ${list.status}`,
    );
    const published = await call(c.server, c, '/.well-known/jwks.json', { anonymous: true });
    const kids = (published.json?.keys ?? []).map((k) => k.kid);
    c.check(
      published.status === 200 && !kids.includes(made?.kid),
      `jose-sqlite: /.well-known/jwks.json publishes only its own keys -> ${published.status}`,
    );
  },
};

// ---- CA (docs/ca.md): enrollment over HTTPS, revocation data over the plain-HTTP listener,
// judged by openssl (`openssl ocsp -url`, `openssl verify -crl_check`) as relying parties do.

const PKI_CA = '/.well-known/pki-ca';
const OPENSSL = process.env.OPENSSL ?? 'openssl';

/** Runs openssl to its end: { code, stdout, stderr }; a non-zero exit is an answer too. */
function openssl(args) {
  return new Promise((done, fail) => {
    execFile(OPENSSL, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') fail(err);
      else done({ code: err === null ? 0 : err.code, stdout, stderr });
    });
  });
}

/** Enrolls an openssl-made CSR (P-256, CN and SAN `<label>-….exercise.example`) as tls-server. */
async function enroll(server, c, label) {
  const host = `${label}-${Date.now().toString(36)}.exercise.example`;
  const [key, csr, file] = ['key.pem', 'csr.pem', 'pem'].map((ext) =>
    join(c.dir, `${host}.${ext}`),
  );
  const made = await openssl([
    ...['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', key, '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`],
    ...['-out', csr],
  ]);
  if (made.code !== 0) throw new Error(`openssl req: ${made.stderr}`);
  const r = await call(server, c, `${SERVICE}/enroll`, {
    method: 'POST',
    body: { csr: readFileSync(csr, 'utf8'), profile: 'tls-server' },
  });
  c.check(
    r.status === 201 && r.json?.status === 'issued',
    `${server.name}: POST /enroll (openssl CSR, profile tls-server) -> ${r.status} ${r.json?.status}`,
  );
  if (typeof r.json?.certificatePem !== 'string') throw new Error(`${server.name}: no certificate`);
  writeFileSync(file, r.json.certificatePem);
  return { ...r.json, file, host };
}

/**
 * The chain above `issuer` as `server` publishes it without authentication on its plain-HTTP
 * listener (certs/{ca}.pem), the parents found through GET cas/{id}: files for openssl.
 */
async function chainOf(server, c, issuer) {
  const ids = [];
  for (let id = issuer; id !== undefined;) {
    ids.push(id);
    const r = await call(server, c, `${SERVICE}/cas/${id}`);
    if (r.status !== 200) throw new Error(`${server.name}: GET cas/${id} -> ${r.status}`);
    id = r.json?.parent;
  }
  const pems = [];
  for (const id of ids) {
    const r = await http({ url: `${server.revocation}${PKI_CA}/certs/${id}.pem` });
    if (r.status !== 200)
      throw new Error(`${server.name}: GET ${PKI_CA}/certs/${id}.pem -> ${r.status}`);
    pems.push(r.body.toString());
  }
  const file = (name, text) => {
    const path = join(c.dir, `${server.name}-${name}.pem`);
    writeFileSync(path, text);
    return path;
  };
  const above = pems.length > 1 ? pems.slice(0, -1) : pems;
  return {
    issuerPem: pems[0],
    issuer: file('issuer', pems[0]),
    untrusted: file('untrusted', above.join('')),
    root: file('root', pems.at(-1)),
  };
}

/** The OCSP URL the certificate's AIA names (RFC 5280 §4.2.2.1), checked against baseUrl. */
async function ocspUrlOf(server, c, cert) {
  const url = (await openssl(['x509', '-in', cert.file, '-noout', '-ocsp_uri'])).stdout.trim();
  c.check(
    url === `${server.revocation}${PKI_CA}/ocsp`,
    `${server.name}: the certificate's AIA names OCSP under ca.revocation.baseUrl (${url})`,
  );
  return url;
}

/** `openssl ocsp -url` (POST, RFC 6960 Appendix A.1): the status, reason and verification. */
async function ocsp(cert, chain, url, { nonce }) {
  const r = await openssl([
    ...['ocsp', '-issuer', chain.issuer, '-cert', cert.file, '-url', url],
    ...['-CAfile', chain.root, '-verify_other', chain.untrusted],
    ...(nonce ? [] : ['-no_nonce']),
  ]);
  const status = /: (good|revoked|unknown)\b/.exec(r.stdout)?.[1];
  return {
    status: status ?? `no answer (${(r.stderr || r.stdout).trim().split('\n')[0]})`,
    reason: /Reason: (\w+)/.exec(r.stdout)?.[1],
    verified: r.code === 0 && r.stderr.includes('Response verify OK'),
  };
}

const said = (answer) =>
  `${answer.status}${answer.reason ? ` (${answer.reason})` : ''}, ${answer.verified ? 'response verified' : 'response NOT verified'}`;

/** The CRL the certificate's CRLDP names, over plain HTTP, judged by `openssl verify -crl_check`. */
async function crlCheck(server, c, cert, chain, expected) {
  const ext = await openssl(['x509', '-in', cert.file, '-noout', '-ext', 'crlDistributionPoints']);
  const url = /URI:(\S+)/.exec(ext.stdout)?.[1] ?? '';
  const r = await http({ url });
  const crl = join(c.dir, `${cert.host}-${expected}.crl`);
  writeFileSync(crl, r.body);
  const v = await openssl([
    ...['verify', '-crl_check', '-CRLfile', crl, '-CAfile', chain.root],
    ...['-untrusted', chain.untrusted, cert.file],
  ]);
  const verdict =
    v.code === 0 ? 'OK' : /error \d+ at \d+ depth lookup: (.+)/.exec(v.stdout + v.stderr)?.[1];
  c.check(
    url.startsWith(`${server.revocation}${PKI_CA}/crl/`) &&
      r.status === 200 &&
      r.type.startsWith('application/pkix-crl') &&
      verdict === (expected === 'good' ? 'OK' : 'certificate revoked'),
    `${server.name}: the CRL its CRLDP names (${url.replace(server.revocation, '')}, ${r.status} ${r.type}): openssl verify -crl_check -> ${verdict}`,
  );
}

/** Revokes `cert` on `server` through the API (ca:revoke). */
async function revoke(server, c, cert, reason = 'keyCompromise') {
  const r = await call(server, c, `${SERVICE}/certificates/${cert.id}/revoke`, {
    method: 'POST',
    body: { reason },
  });
  c.check(
    r.status === 200 && r.json?.status === 'revoked' && r.json?.revocationReason === reason,
    `${server.name}: revoke (${reason}) -> ${r.status} ${r.json?.status}`,
  );
}

const ca = {
  // The plain-HTTP revocation listener (ca.revocation.*: 0.0.0.0:8051 in the container) on a
  // free loopback port, and the base URL certificates name pointing at it.
  async listeners() {
    const port = await freePort();
    const revocation = `http://127.0.0.1:${port}`;
    const args = ['-s', 'ca.revocation.address=127.0.0.1', '-s', `ca.revocation.port=${port}`];
    return { args: [...args, '-s', `ca.revocation.baseUrl=${revocation}`], revocation };
  },
  async shared(c) {
    const { one, two, check } = c;
    const cert = await enroll(one, c, 'pg');
    const chain = await chainOf(one, c, cert.issuer);
    const theirs = await chainOf(two, c, cert.issuer);
    check(
      theirs.issuerPem === chain.issuerPem,
      `ca-pg-2 publishes ca-pg-1's issuing CA over plain HTTP (one hierarchy, one database)`,
    );
    const url = await ocspUrlOf(one, c, cert);
    // Without a nonce: ca-pg-1 signs this answer once and caches it (docs/ca.md "OCSP").
    const good = await ocsp(cert, chain, url, { nonce: false });
    check(
      good.status === 'good' && good.verified,
      `ca-pg-1: openssl ocsp -url (plain HTTP, no nonce) -> ${said(good)}`,
    );
    await revoke(two, c, cert);
    const started = Date.now();
    let last;
    await waitFor('ca-pg-1 to answer revoked', 5000, async () => {
      last = await ocsp(cert, chain, url, { nonce: false });
      return last.status === 'revoked';
    }).catch(() => undefined);
    check(
      last?.status === 'revoked' && last.reason === 'keyCompromise' && last.verified,
      `ca-pg-1: OCSP ${last ? said(last) : 'no answer'} ${Date.now() - started} ms after ca-pg-2 revoked it`,
    );
    await crlCheck(one, c, cert, chain, 'revoked');
    const anonymous = await call(two, c, `${SERVICE}/certificates`, { anonymous: true });
    check(anonymous.status === 401, `ca-pg-2 without credentials -> ${anonymous.status}`);
    return { id: cert.id, issuerPem: chain.issuerPem };
  },
  async isolated(c, made) {
    const { server, check } = c;
    if (made !== undefined) {
      const theirs = await call(server, c, `${SERVICE}/certificates/${made.id}`);
      check(
        theirs.status === 404,
        `ca-sqlite: its own database: ca-pg's certificate -> ${theirs.status}`,
      );
    }
    const cert = await enroll(server, c, 'sqlite');
    const chain = await chainOf(server, c, cert.issuer);
    if (made !== undefined) {
      check(
        chain.issuerPem !== made.issuerPem,
        'ca-sqlite: its own hierarchy (another issuing CA)',
      );
    }
    const url = await ocspUrlOf(server, c, cert);
    const good = await ocsp(cert, chain, url, { nonce: true });
    check(
      good.status === 'good' && good.verified,
      `ca-sqlite: openssl ocsp -url (plain HTTP, nonce) -> ${said(good)}`,
    );
    await crlCheck(server, c, cert, chain, 'good');
    await revoke(server, c, cert);
    const revoked = await ocsp(cert, chain, url, { nonce: true });
    check(
      revoked.status === 'revoked' && revoked.reason === 'keyCompromise' && revoked.verified,
      `ca-sqlite: openssl ocsp -url after the revocation -> ${said(revoked)}`,
    );
    await crlCheck(server, c, cert, chain, 'revoked');
    const write = await http({
      url: `${server.revocation}${PKI_CA}/crl/${cert.issuer}.crl`,
      method: 'DELETE',
    });
    const api = await http({ url: `${server.revocation}${SERVICE}/certificates` });
    check(
      write.status === 405 && api.status === 404,
      `ca-sqlite: the plain-HTTP listener is read-only (DELETE -> ${write.status}) and serves no API (-> ${api.status})`,
    );
  },
};

/** Every product exercise.mjs knows, by product name. */
export const scenarios = { kms, jose, ca };
