// What exercise.mjs asks of each product once its services run, through the product's public
// API with the API key make-secrets.sh printed (docs/kms.md, docs/jose.md):
// - shared({ one, two, ca, apiKey, check }): the two PostgreSQL instances serve one database:
//   what one makes, the other serves. Returns what it made, for isolated();
// - isolated({ server, ca, apiKey, check }, made): the SQLite instance has its own database,
//   so what shared() made (undefined when PostgreSQL was skipped) is not there.
// `check(ok, what)` records one result; an exception fails the product's run.
import { https, waitFor } from './loopback.mjs';

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

/** Every product exercise.mjs knows, by product name. */
export const scenarios = { kms, jose };
