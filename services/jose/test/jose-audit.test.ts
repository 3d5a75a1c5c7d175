// The audit log (docs/jose.md "Audit") through the real HTTPS API: every key operation leaves
// one record naming who (subject, auth method), the request id the response carried, the
// operation, its outcome and failed check, and the set, version and kid; `GET audit` (jose:admin)
// lists a tenant's records newest first with filters and pages; no other tenant sees them; and
// no record holds the payload, plaintext, claims or token of the request.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestResponse } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOSE_SCOPES } from '../src/index.js';
import { DEFAULT_GRANTS, startJose, type JoseHarness } from './support/jose-harness.js';

const PROBLEM = 'urn:cryptoutil:problem:';
/** An answer's status and problem type (without the URN prefix), to compare in one line. */
const refusal = (res: TestResponse) => [res.status, String(res.json().type).replace(PROBLEM, '')];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
// What the requests carry and no record may: each is unique enough to search for.
const PAYLOAD = 'audit-payload-7f3a91';
const FORGED = 'audit-forged-payload-44c2';
const PLAINTEXT = 'audit-plaintext-b81e07';
const CLAIM = 'audit-claim-value-d5590c';

interface AuditJson {
  id: string;
  at: string;
  subject: string;
  method: string;
  operation: string;
  outcome: string;
  failure?: string;
  jwks?: string;
  version?: number;
  kid?: string;
  requestId?: string;
}
interface Page {
  items: AuditJson[];
  nextPageToken?: string;
}

let jose: JoseHarness;
/** The records alice's requests must have left, oldest first, and the secrets they carried. */
const expected: Record<string, unknown>[] = [];
const secrets: string[] = [PAYLOAD, FORGED, PLAINTEXT, CLAIM];
const ids = { sig: '', enc: '', doomed: '', bobs: '' };
let mark = '';
let phaseA = 0;

type Fields = Record<string, unknown>;
/** The record a create leaves: the new set, its version 1 and kid. */
function createRecord(res: TestResponse): Fields {
  const set = res.json<{ id: string; currentKid: string }>();
  return { operation: 'create', jwks: set.id, version: 1, kid: set.currentKid };
}

/** Sends as alice (2xx unless `status` says otherwise) and expects the record it must leave. */
async function recorded(
  method: string,
  path: string,
  json: unknown,
  record: Fields | ((res: TestResponse) => Fields),
  status?: number,
): Promise<TestResponse> {
  const res = await jose.call(method, path, json === undefined ? {} : { json });
  if (status === undefined) expect(res.status, `${path}: ${res.text}`).toBeLessThan(300);
  else expect(res.status, `${path}: ${res.text}`).toBe(status);
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId).toBe('string');
  expected.push({
    id: expect.any(String),
    at: expect.stringMatching(ISO),
    subject: 'alice',
    method: 'api-key',
    outcome: 'success',
    ...(typeof record === 'function' ? record(res) : record),
    requestId,
  });
  return res;
}
const audit = async (query = '', as = 'alice') => {
  const res = await jose.call('GET', `/audit${query}`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json<Page>();
};
const newestFirst = (records: Record<string, unknown>[]) => [...records].reverse();
const b64 = (text: string) => Buffer.from(text).toString('base64url');

beforeAll(async () => {
  jose = await startJose({
    grants: {
      ...DEFAULT_GRANTS,
      operator: { tenant: 'tenant-a', scopes: JOSE_SCOPES.filter((s) => s !== 'jose:admin') },
    },
  });
  // Phase A: key management.
  const created = await recorded(
    'POST',
    '/jwks',
    { name: 'audit-sig', use: 'sig', alg: 'ES256' },
    createRecord,
  );
  const sig = created.json<{ id: string; currentKid: string }>();
  ids.sig = sig.id;
  const rotated = await recorded('POST', `/jwks/${sig.id}/rotate`, {}, (res) => ({
    operation: 'rotate',
    jwks: sig.id,
    version: 2,
    kid: res.json<{ kid: string }>().kid,
  }));
  const k2 = rotated.json<{ kid: string }>().kid;
  await recorded(
    'POST',
    `/jwks/${sig.id}/versions/1/retire`,
    {},
    {
      operation: 'retire',
      jwks: sig.id,
      version: 1,
      kid: sig.currentKid,
    },
  );
  phaseA = expected.length;
  await sleep(5);
  mark = new Date().toISOString();
  await sleep(5);

  // Phase B: operations, and more key management.
  const onSig = { jwks: sig.id, version: 2, kid: k2 };
  const signed = await recorded(
    'POST',
    '/sign',
    { jwks: sig.id, payload: PAYLOAD },
    { operation: 'sign', ...onSig },
  );
  const jws = signed.json<{ jws: string }>().jws;
  const [header, , signature] = jws.split('.');
  const forged = `${header}.${b64(FORGED)}.${signature}`;
  secrets.push(jws, forged);
  await recorded('POST', '/verify', { jws }, { operation: 'verify', ...onSig });
  const bad = await recorded(
    'POST',
    '/verify',
    { jws: forged },
    { operation: 'verify', outcome: 'failure', failure: 'signature', ...onSig },
  );
  expect(bad.json()).toMatchObject({ valid: false, check: 'signature' });
  const enc = (
    await recorded('POST', '/jwks', { name: 'audit-enc', use: 'enc', alg: 'A256KW' }, createRecord)
  ).json<{ id: string; currentKid: string }>();
  ids.enc = enc.id;
  const onEnc = { jwks: enc.id, version: 1, kid: enc.currentKid };
  const jwe = (
    await recorded(
      'POST',
      '/encrypt',
      { jwks: enc.id, plaintext: PLAINTEXT },
      { operation: 'encrypt', ...onEnc },
    )
  ).json<{ jwe: string }>().jwe;
  secrets.push(jwe);
  await recorded('POST', '/decrypt', { jwe }, { operation: 'decrypt', ...onEnc });
  // A JWE for bob's key: alice has no version with its kid.
  const bobs = await jose.call('POST', '/jwks', {
    as: 'bob',
    json: { name: 'audit-bob', use: 'enc', alg: 'A128KW' },
  });
  ids.bobs = bobs.json<{ id: string }>().id;
  const bobJwe = (
    await jose.call('POST', '/encrypt', { as: 'bob', json: { jwks: ids.bobs, plaintext: 'bob' } })
  ).json<{ jwe: string }>().jwe;
  await recorded(
    'POST',
    '/decrypt',
    { jwe: bobJwe },
    { operation: 'decrypt', outcome: 'failure', failure: 'unknown-kid' },
    400,
  );
  const jwt = (
    await recorded(
      'POST',
      '/jwt/issue',
      { jwks: sig.id, claims: { secret: CLAIM }, sub: 'audit-subject' },
      { operation: 'jwt-issue', ...onSig },
    )
  ).json<{ jwt: string }>().jwt;
  secrets.push(jwt, 'audit-subject');
  await recorded('POST', '/jwt/verify', { jwt }, { operation: 'jwt-verify', ...onSig });
  await recorded(
    'PATCH',
    `/jwks/${sig.id}`,
    { description: 'audited' },
    {
      operation: 'update',
      jwks: sig.id,
    },
  );
  const doomed = (
    await recorded(
      'POST',
      '/jwks',
      { name: 'audit-doomed', use: 'sig', alg: 'EdDSA' },
      createRecord,
    )
  ).json<{ id: string; currentKid: string }>();
  ids.doomed = doomed.id;
  await recorded('DELETE', `/jwks/${doomed.id}`, undefined, {
    operation: 'delete',
    jwks: doomed.id,
  });
});
afterAll(() => jose.service.shutdown('test done'));

describe('GET audit', () => {
  it('lists every record newest first: who, request id, operation, outcome, set, version, kid', async () => {
    const page = await audit();
    expect(page).toEqual({ items: newestFirst(expected) });
    const times = page.items.map((r) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(page.items.map((r) => r.id)).size).toBe(page.items.length);
  });

  it('filters by set, operation, outcome and time', async () => {
    const where = (test: (r: Record<string, unknown>) => boolean) =>
      newestFirst(expected.filter(test));
    expect(await audit(`?jwks=${ids.sig}`)).toEqual({ items: where((r) => r.jwks === ids.sig) });
    expect(await audit('?operation=decrypt')).toEqual({
      items: where((r) => r.operation === 'decrypt'),
    });
    expect(await audit('?outcome=failure')).toEqual({
      items: where((r) => r.outcome === 'failure'),
    });
    expect(await audit(`?jwks=${ids.sig}&operation=verify&outcome=success`)).toEqual({
      items: where(
        (r) => r.jwks === ids.sig && r.operation === 'verify' && r.outcome === 'success',
      ),
    });
    expect(await audit(`?since=${mark}`)).toEqual({ items: newestFirst(expected.slice(phaseA)) });
    expect(await audit(`?until=${mark}`)).toEqual({
      items: newestFirst(expected.slice(0, phaseA)),
    });
    expect(await audit(`?since=${mark}&until=${mark}`)).toEqual({ items: [] });
    for (const query of [
      '?operation=bogus',
      '?outcome=maybe',
      '?since=yesterday',
      '?jwks=x',
      '?x=1',
    ]) {
      const res = await jose.call('GET', `/audit${query}`);
      expect(refusal(res), query).toEqual([400, 'validation']);
    }
  });

  it('pages with opaque tokens and refuses a token it did not issue', async () => {
    const seen: AuditJson[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await audit(`?pageSize=4${token === undefined ? '' : `&pageToken=${token}`}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      token = page.nextPageToken;
      pages += 1;
    } while (token !== undefined);
    expect(seen).toEqual(newestFirst(expected));
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const bad = await jose.call('GET', '/audit?pageToken=bm90LW91cnM');
    expect({ status: bad.status, body: bad.json() }).toEqual({
      status: 400,
      body: {
        type: `${PROBLEM}invalid-page-token`,
        title: 'Invalid page token',
        status: 400,
        detail: 'invalid page token',
      },
    });
  });

  it('needs jose:admin', async () => {
    for (const as of ['reader', 'operator']) {
      const res = await jose.call('GET', '/audit', { as });
      expect({ status: res.status, body: res.json() }, as).toMatchObject({
        status: 403,
        body: { type: `${PROBLEM}insufficient-scope`, missingScopes: ['jose:admin'] },
      });
    }
  });

  it("shows another tenant none of alice's records", async () => {
    const bobs = await audit('', 'bob');
    expect(bobs.items.map((r) => [r.subject, r.operation, r.jwks])).toEqual([
      ['bob', 'encrypt', ids.bobs],
      ['bob', 'create', ids.bobs],
    ]);
    expect(await audit(`?jwks=${ids.sig}`, 'bob')).toEqual({ items: [] });
  });

  it('never records a payload, plaintext, claim or token', async () => {
    const text = JSON.stringify(await audit('?pageSize=1000'));
    expect(secrets.length).toBe(9);
    for (const secret of [...secrets, b64(PAYLOAD), b64(PLAINTEXT), b64(CLAIM)]) {
      expect(text.includes(secret), secret.slice(0, 40)).toBe(false);
    }
  });
});

describe('retirements a set makes itself', () => {
  it('records each version that rotation or a lower maxVersions retires', async () => {
    const created = await jose.call('POST', '/jwks', {
      as: 'bob',
      json: { name: 'audit-window', use: 'sig', alg: 'EdDSA', maxVersions: 2 },
    });
    const setId = created.json<{ id: string }>().id;
    const rotate = () => jose.call('POST', `/jwks/${setId}/rotate`, { as: 'bob', json: {} });
    expect((await rotate()).status).toBe(201);
    expect((await rotate()).status).toBe(201); // keeps versions 3 and 2: retires version 1
    const patched = await jose.call('PATCH', `/jwks/${setId}`, {
      as: 'bob',
      json: { maxVersions: 1 }, // keeps version 3: retires version 2
    });
    expect(patched.status).toBe(200);
    const records = await audit(`?jwks=${setId}`, 'bob');
    expect(records.items.map((r) => [r.operation, r.version ?? null])).toEqual([
      ['retire', 2],
      ['update', null],
      ['retire', 1],
      ['rotate', 3],
      ['rotate', 2],
      ['create', 1],
    ]);
  });
});
