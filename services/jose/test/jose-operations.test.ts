// Issue 4: the operations through the real service: sign/verify in every serialization with
// detached and unencoded payloads, encrypt/decrypt with several recipients, compression and its
// cap, JWT issue and verify naming each failed check, x5c chains, and the bad input the issue
// lists (malformed serializations, wrong kid, alg none, algorithm confusion, unknown crit,
// decompression bombs, retired versions): each a clear problem or `valid: false`, never a 5xx.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificateSet } from '@cryptoutil/tls';
import {
  base64url,
  CompactSign,
  FlattenedSign,
  generateKeyPair,
  importJWK,
  importPKCS8,
  SignJWT,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJose, type JoseHarness } from './support/jose-harness.js';

let jose: JoseHarness;
let anchorsDir: string;
let certs: Awaited<ReturnType<typeof generateCertificateSet>>;

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');
const der = (pem: string) =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

beforeAll(async () => {
  certs = await generateCertificateSet();
  anchorsDir = mkdtempSync(join(tmpdir(), 'cu-jose-anchors-'));
  writeFileSync(join(anchorsDir, 'root.pem'), certs.rootCert);
  jose = await startJose({
    config: {
      jose: {
        trustAnchors: [join(anchorsDir, 'root.pem')],
        maxDecompressedBytes: 4096,
        maxPayloadBytes: 8192,
        cache: { ttlMs: 0 },
      },
    },
  });
});
afterAll(() => jose.service.shutdown('test done'));

let counter = 0;
async function createSet(body: Record<string, unknown>, as = 'alice') {
  const res = await jose.call('POST', '/jwks', {
    as,
    json: { name: `ops-${(counter += 1)}`, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json<{ id: string; currentKid: string }>();
}

async function op(path: string, json: unknown, as = 'alice') {
  return jose.call('POST', path, { as, json });
}

async function ok<T = Record<string, unknown>>(path: string, json: unknown, as = 'alice') {
  const res = await op(path, json, as);
  expect(res.status, res.text).toBe(200);
  return res.json<T>();
}

async function publicJwk(setId: string): Promise<JWK> {
  const res = await jose.call('GET', `/jwks/${setId}/jwks.json`);
  return res.json<{ keys: JWK[] }>().keys[0] as JWK;
}

describe('sign and verify', () => {
  let es: { id: string; currentKid: string };
  let ed: { id: string; currentKid: string };
  beforeAll(async () => {
    es = await createSet({ use: 'sig', alg: 'ES256' });
    ed = await createSet({ use: 'sig', alg: 'EdDSA' });
  });

  it('signs compact with typ and cty, and verifies with the payload as text and bytes', async () => {
    const { jws, kids } = await ok<{ jws: string; kids: string[] }>('/sign', {
      jwks: es.id,
      payload: 'hello',
      protectedHeader: { typ: 'example+jws', cty: 'text/plain', 'x-app': 1 },
    });
    expect(kids).toEqual([es.currentKid]);
    const header = JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString());
    expect(header).toEqual({
      typ: 'example+jws',
      cty: 'text/plain',
      'x-app': 1,
      alg: 'ES256',
      kid: es.currentKid,
    });
    const verified = await ok('/verify', { jws });
    expect(verified).toMatchObject({
      valid: true,
      payload: 'hello',
      payloadBase64url: b64('hello'),
      protectedHeader: header,
      signatures: [{ valid: true, kid: es.currentKid, alg: 'ES256', jwks: es.id, version: 1 }],
    });
    // The public key alone verifies it with an independent code path (jose's compactVerify is
    // what our service uses, so this checks the key and header, not the library).
    const key = await importJWK(await publicJwk(es.id), 'ES256');
    const { compactVerify } = await import('jose');
    expect(new TextDecoder().decode((await compactVerify(jws, key)).payload)).toBe('hello');
  });

  it('signs bytes and answers payloadBase64url only when they are not UTF-8', async () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x01]);
    const { jws } = await ok<{ jws: string }>('/sign', {
      jwks: ed.id,
      payloadBase64url: b64(bytes),
    });
    const verified = await ok('/verify', { jws });
    expect(verified.payloadBase64url).toBe(b64(bytes));
    expect(verified).not.toHaveProperty('payload');
  });

  it('signs flattened with an unprotected header', async () => {
    const { jws } = await ok<{ jws: Record<string, unknown> }>('/sign', {
      jwks: es.id,
      payload: 'flat',
      serialization: 'flattened',
      header: { note: 'unprotected' },
    });
    expect(Object.keys(jws).sort()).toEqual(['header', 'payload', 'protected', 'signature']);
    expect(jws.header).toEqual({ note: 'unprotected' });
    expect(await ok('/verify', { jws })).toMatchObject({ valid: true, payload: 'flat' });
  });

  it('signs general JSON with several signers; valid only when every signature is', async () => {
    const { jws, kids } = await ok<{
      jws: { signatures: { signature: string }[] };
      kids: string[];
    }>('/sign', {
      signers: [
        { jwks: es.id, protectedHeader: { typ: 'a' } },
        { jwks: ed.id, header: { n: 2 } },
      ],
      payload: 'both',
      serialization: 'general',
    });
    expect(kids).toEqual([es.currentKid, ed.currentKid]);
    expect(jws.signatures).toHaveLength(2);
    const verified = await ok<{ signatures: unknown[] }>('/verify', { jws });
    expect(verified).toMatchObject({ valid: true, payload: 'both' });
    expect(verified.signatures).toEqual([
      { valid: true, kid: es.currentKid, alg: 'ES256', jwks: es.id, version: 1 },
      { valid: true, kid: ed.currentKid, alg: 'EdDSA', jwks: ed.id, version: 1 },
    ]);
    const second = jws.signatures[1] as { signature: string };
    const tampered = {
      ...jws,
      signatures: [jws.signatures[0], { ...second, signature: flip(second.signature) }],
    };
    expect(await ok('/verify', { jws: tampered })).toMatchObject({
      valid: false,
      check: 'signature',
      signatures: [{ valid: true }, { valid: false, check: 'signature', kid: ed.currentKid }],
    });
  });

  it('signs detached (RFC 7515 Appendix F) and needs the payload to verify', async () => {
    const { jws } = await ok<{ jws: string }>('/sign', {
      jwks: es.id,
      payload: 'outside',
      detached: true,
    });
    expect(jws.split('.')[1]).toBe('');
    const missing = await op('/verify', { jws });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-jose-request' });
    expect(await ok('/verify', { jws, payload: 'outside' })).toMatchObject({
      valid: true,
      payload: 'outside',
    });
    expect(await ok('/verify', { jws, payload: 'other' })).toMatchObject({
      valid: false,
      check: 'signature',
    });
  });

  it('signs an unencoded payload (RFC 7797) in JSON and compact, and verifies it', async () => {
    const { jws } = await ok<{ jws: { payload: string; protected: string } }>('/sign', {
      jwks: es.id,
      payload: '$.02',
      b64: false,
      serialization: 'flattened',
    });
    expect(jws.payload).toBe('$.02');
    expect(JSON.parse(Buffer.from(jws.protected, 'base64url').toString())).toMatchObject({
      b64: false,
      crit: ['b64'],
    });
    expect(await ok('/verify', { jws })).toMatchObject({ valid: true, payload: '$.02' });
    const dotted = await op('/sign', { jwks: es.id, payload: '$.02', b64: false });
    expect(dotted.status).toBe(400);
    const compact = await ok<{ jws: string }>('/sign', {
      jwks: es.id,
      payload: 'no-dots',
      b64: false,
    });
    expect(compact.jws.split('.')[1]).toBe('no-dots');
    expect(await ok('/verify', { jws: compact.jws })).toMatchObject({
      valid: true,
      payload: 'no-dots',
    });
    const detached = await ok<{ jws: string }>('/sign', {
      jwks: es.id,
      payload: 'a.b',
      b64: false,
      detached: true,
    });
    expect(await ok('/verify', { jws: detached.jws, payload: 'a.b' })).toMatchObject({
      valid: true,
    });
  });

  it('refuses headers the service owns, and signing with an encryption set', async () => {
    for (const name of ['alg', 'kid', 'crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c']) {
      const res = await op('/sign', {
        jwks: es.id,
        payload: 'x',
        protectedHeader: { [name]: 'v' },
      });
      expect(res.status, name).toBe(400);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-header' });
    }
    const enc = await createSet({ use: 'enc', alg: 'A256KW' });
    const wrong = await op('/sign', { jwks: enc.id, payload: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.json()).toMatchObject({ type: 'urn:cryptoutil:problem:wrong-key-use' });
    expect((await op('/sign', { payload: 'x' })).status).toBe(400);
    expect((await op('/sign', { jwks: es.id, payload: 'x', payloadBase64url: 'eA' })).status).toBe(
      400,
    );
    expect(
      (await op('/sign', { jwks: es.id, signers: [{ jwks: es.id }], payload: 'x' })).status,
    ).toBe(400);
    const tooBig = await op('/sign', { jwks: es.id, payload: 'x'.repeat(8193) });
    expect(tooBig.status).toBe(413);
  });

  it('answers valid: false naming kid, alg, crit and retired; malformed input is a 400', async () => {
    const { jws } = await ok<{ jws: string }>('/sign', { jwks: es.id, payload: 'p' });
    const [, payload, signature] = jws.split('.') as [string, string, string];
    const withHeader = (header: object) => `${b64(JSON.stringify(header))}.${payload}.${signature}`;
    expect(await ok('/verify', { jws: withHeader({ alg: 'ES256', kid: 'nope' }) })).toMatchObject({
      valid: false,
      check: 'kid',
    });
    expect(await ok('/verify', { jws: withHeader({ alg: 'ES256' }) })).toMatchObject({
      valid: false,
      check: 'kid',
    });
    expect(
      await ok('/verify', { jws: withHeader({ alg: 'none', kid: es.currentKid }) }),
    ).toMatchObject({
      valid: false,
      check: 'alg',
    });
    expect(
      await ok('/verify', {
        jws: `${b64(JSON.stringify({ alg: 'none', kid: es.currentKid }))}.${payload}.`,
      }),
    ).toMatchObject({ valid: false, check: 'alg' });
    expect(
      await ok('/verify', {
        jws: withHeader({ alg: 'ES256', kid: es.currentKid, crit: ['exp'], exp: 1 }),
      }),
    ).toMatchObject({ valid: false, check: 'crit' });
    expect(await ok('/verify', { jws, algorithms: ['EdDSA'] })).toMatchObject({
      valid: false,
      check: 'alg',
    });
    expect(await ok('/verify', { jws, jwks: ed.id })).toMatchObject({ valid: false, check: 'kid' });
    for (const bad of [
      'a.b',
      'x.y.z',
      '',
      42,
      [],
      { payload: 'x' },
      { payload: 'x', signatures: [] },
    ]) {
      const res = await op('/verify', { jws: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('refuses algorithm confusion: an HS256 token "signed" with the RSA public key', async () => {
    const rsa = await createSet({ use: 'sig', alg: 'RS256' });
    const jwk = await publicJwk(rsa.id);
    const publicPem = Buffer.from(JSON.stringify(jwk));
    const forged = await new CompactSign(new TextEncoder().encode('admin'))
      .setProtectedHeader({ alg: 'HS256', kid: rsa.currentKid })
      .sign(new Uint8Array(publicPem));
    expect(await ok('/verify', { jws: forged })).toMatchObject({ valid: false, check: 'alg' });
    const jwt = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.currentKid })
      .sign(new Uint8Array(publicPem));
    expect(await ok('/jwt/verify', { jwt })).toMatchObject({ valid: false, check: 'alg' });
  });

  it('keeps verifying with a previous version after rotation, and not once it is retired', async () => {
    const set = await createSet({ use: 'sig', alg: 'ES384' });
    const old = await ok<{ jws: string }>('/sign', { jwks: set.id, payload: 'v1' });
    const rotated = await jose.call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    expect(rotated.status).toBe(201);
    const fresh = await ok<{ kids: string[] }>('/sign', { jwks: set.id, payload: 'v2' });
    expect(fresh.kids[0]).not.toBe(set.currentKid);
    expect(await ok('/verify', { jws: old.jws })).toMatchObject({
      valid: true,
      signatures: [{ version: 1 }],
    });
    const retired = await jose.call('POST', `/jwks/${set.id}/versions/1/retire`);
    expect(retired.status).toBe(200);
    expect(await ok('/verify', { jws: old.jws })).toMatchObject({ valid: false, check: 'retired' });
  });

  it('verifies an x5c signature whose chain leads to a trust anchor, and nothing else', async () => {
    const key = await importPKCS8(certs.serverKey, 'ES256');
    const x5c = [der(certs.serverCert), der(certs.intermediateCert)];
    const sign = (header: Record<string, unknown>) =>
      new FlattenedSign(new TextEncoder().encode('from a certificate'))
        .setProtectedHeader({ alg: 'ES256', ...header })
        .sign(key);
    expect(await ok('/verify', { jws: await sign({ x5c }) })).toMatchObject({
      valid: true,
      payload: 'from a certificate',
      signatures: [{ valid: true, alg: 'ES256' }],
    });
    expect(await ok('/verify', { jws: await sign({ x5c: [x5c[0]] }) })).toMatchObject({
      valid: false,
      check: 'x5c',
      detail: 'the x5c chain does not lead to a trust anchor',
    });
    expect(await ok('/verify', { jws: await sign({ x5c: ['not base64!'] }) })).toMatchObject({
      valid: false,
      check: 'x5c',
    });
    const other = await generateCertificateSet();
    const otherKey = await importPKCS8(other.serverKey, 'ES256');
    const foreign = await new FlattenedSign(new TextEncoder().encode('x'))
      .setProtectedHeader({
        alg: 'ES256',
        x5c: [der(other.serverCert), der(other.intermediateCert)],
      })
      .sign(otherKey);
    expect(await ok('/verify', { jws: foreign })).toMatchObject({ valid: false, check: 'x5c' });
    // The leaf's key must have made the signature.
    const mismatched = await new FlattenedSign(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: 'ES256', x5c })
      .sign(otherKey);
    expect(await ok('/verify', { jws: mismatched })).toMatchObject({
      valid: false,
      check: 'signature',
    });
  });
});

describe('encrypt and decrypt', () => {
  it('round-trips compact for every key family, and opens only with the right tenant', async () => {
    for (const body of [
      { alg: 'dir', enc: 'A256GCM' },
      { alg: 'dir', enc: 'A128CBC-HS256' },
      { alg: 'A128KW' },
      { alg: 'A256GCMKW', enc: 'A192GCM' },
      { alg: 'RSA-OAEP-256' },
      { alg: 'ECDH-ES' },
      { alg: 'ECDH-ES+A256KW', crv: 'P-521' },
    ]) {
      const set = await createSet({ use: 'enc', ...body });
      const { jwe, kids } = await ok<{ jwe: string; kids: string[] }>('/encrypt', {
        jwks: set.id,
        plaintext: 'secret',
      });
      expect(jwe.split('.')).toHaveLength(5);
      const header = JSON.parse(Buffer.from(jwe.split('.')[0] as string, 'base64url').toString());
      expect(header).toMatchObject({
        alg: body.alg,
        enc: body.enc ?? 'A256GCM',
        kid: set.currentKid,
      });
      expect(kids).toEqual([set.currentKid]);
      expect(await ok('/decrypt', { jwe })).toMatchObject({
        plaintext: 'secret',
        plaintextBase64url: b64('secret'),
        kid: set.currentKid,
      });
      const other = await op('/decrypt', { jwe }, 'bob');
      expect(other.status, JSON.stringify(body)).toBe(400);
      expect(other.json()).toMatchObject({ type: 'urn:cryptoutil:problem:unknown-kid' });
    }
  });

  it('encrypts JSON for several recipients; each recipient set decrypts it', async () => {
    const a = await createSet({ use: 'enc', alg: 'RSA-OAEP' });
    const b = await createSet({ use: 'enc', alg: 'A192KW' });
    const { jwe } = await ok<{ jwe: { recipients: { header: { kid: string } }[]; aad: string } }>(
      '/encrypt',
      {
        recipients: [{ jwks: a.id, header: { note: 'a' } }, { jwks: b.id }],
        plaintext: 'to both',
        serialization: 'json',
        enc: 'A128CBC-HS256',
        aad: b64('bound'),
      },
    );
    expect(jwe.recipients.map((r) => r.header.kid)).toEqual([a.currentKid, b.currentKid]);
    expect(jwe.aad).toBe(b64('bound'));
    expect(await ok('/decrypt', { jwe })).toMatchObject({
      plaintext: 'to both',
      kid: a.currentKid,
      aad: b64('bound'),
    });
    // With the first recipient's key retired... it is skipped in favour of the next we hold.
    const onlyB = { ...jwe, recipients: [jwe.recipients[1]] };
    expect(await ok('/decrypt', { jwe: onlyB })).toMatchObject({
      plaintext: 'to both',
      kid: b.currentKid,
    });
    const tampered = { ...jwe, aad: b64('changed') };
    const res = await op('/decrypt', { jwe: tampered });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:decryption-failed',
      title: 'Decryption failed',
      status: 400,
      detail: 'decryption failed',
    });
  });

  it('refuses combinations RFC 7516 forbids and headers the service owns', async () => {
    const dir = await createSet({ use: 'enc', alg: 'dir' });
    const kw = await createSet({ use: 'enc', alg: 'A256KW' });
    const cases: [Record<string, unknown>, string][] = [
      [
        { recipients: [{ jwks: dir.id }, { jwks: kw.id }], serialization: 'json' },
        'invalid-jose-request',
      ],
      [{ recipients: [{ jwks: kw.id }, { jwks: kw.id }] }, 'invalid-jose-request'],
      [{ jwks: kw.id, aad: b64('x') }, 'invalid-jose-request'],
      [{ jwks: dir.id, enc: 'A128GCM' }, 'invalid-jose-request'],
      [{ jwks: kw.id, protectedHeader: { zip: 'DEF' } }, 'invalid-header'],
      [{ jwks: kw.id, protectedHeader: { enc: 'A128GCM' } }, 'invalid-header'],
    ];
    for (const [body, type] of cases) {
      const res = await op('/encrypt', { plaintext: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ type: `urn:cryptoutil:problem:${type}` });
    }
    const sig = await createSet({ use: 'sig', alg: 'HS256' });
    expect((await op('/encrypt', { jwks: sig.id, plaintext: 'x' })).json()).toMatchObject({
      type: 'urn:cryptoutil:problem:wrong-key-use',
    });
  });

  it('compresses with zip DEF and refuses to inflate beyond the cap (decompression bomb)', async () => {
    const set = await createSet({ use: 'enc', alg: 'A256KW' });
    const text = 'a'.repeat(4000);
    const { jwe } = await ok<{ jwe: string }>('/encrypt', {
      jwks: set.id,
      plaintext: text,
      zip: 'DEF',
    });
    expect(
      JSON.parse(Buffer.from(jwe.split('.')[0] as string, 'base64url').toString()),
    ).toMatchObject({ zip: 'DEF' });
    expect(jwe.length).toBeLessThan(1000);
    expect(await ok('/decrypt', { jwe })).toMatchObject({ plaintext: text });
    // 8 KiB of zeros inflates past the 4 KiB cap configured for this test.
    const bomb = await ok<{ jwe: string }>('/encrypt', {
      jwks: set.id,
      plaintextBase64url: b64(new Uint8Array(8000)),
      zip: 'DEF',
    });
    const res = await op('/decrypt', { jwe: bomb.jwe });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:decryption-failed' });
  });

  it('decrypts with a previous version, and answers 409 key-retired once it is retired', async () => {
    const set = await createSet({ use: 'enc', alg: 'ECDH-ES+A128KW' });
    const { jwe } = await ok<{ jwe: string }>('/encrypt', { jwks: set.id, plaintext: 'old' });
    expect((await jose.call('POST', `/jwks/${set.id}/rotate`, { json: {} })).status).toBe(201);
    expect(await ok('/decrypt', { jwe })).toMatchObject({ plaintext: 'old', kid: set.currentKid });
    expect((await jose.call('POST', `/jwks/${set.id}/versions/1/retire`)).status).toBe(200);
    const res = await op('/decrypt', { jwe });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:key-retired' });
  });

  it('answers malformed JWEs with 400 and a JWE naming another alg with decryption-failed', async () => {
    const set = await createSet({ use: 'enc', alg: 'A128KW' });
    for (const bad of [
      'a.b.c.d',
      'x.y.z.w.v',
      { ciphertext: 'x' },
      { iv: 'a', ciphertext: 'b', tag: 'c', recipients: [] },
    ]) {
      const res = await op('/decrypt', { jwe: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:malformed-jose' });
    }
    const notJose = await op('/decrypt', { jwe: 7 });
    expect(notJose.status).toBe(400);
    expect(notJose.json()).toMatchObject({ type: 'urn:cryptoutil:problem:validation' });
    const { jwe } = await ok<{ jwe: string }>('/encrypt', { jwks: set.id, plaintext: 'x' });
    const parts = jwe.split('.');
    const header = { alg: 'A256KW', enc: 'A256GCM', kid: set.currentKid };
    parts[0] = b64(JSON.stringify(header));
    const res = await op('/decrypt', { jwe: parts.join('.') });
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:decryption-failed' });
  });
});

describe('JWT issue and verify', () => {
  let signing: { id: string; currentKid: string };
  let sealing: { id: string; currentKid: string };
  beforeAll(async () => {
    signing = await createSet({ use: 'sig', alg: 'PS256' });
    sealing = await createSet({ use: 'enc', alg: 'RSA-OAEP-256' });
  });

  async function issue(body: Record<string, unknown> = {}) {
    return ok<{ jwt: string; kid: string; claims: Record<string, unknown> }>('/jwt/issue', {
      jwks: signing.id,
      iss: 'https://issuer.example',
      sub: 'alice',
      aud: ['api', 'web'],
      claims: { scope: 'read' },
      ...body,
    });
  }

  it('issues a JWT with the registered claims the service owns', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { jwt, kid, claims } = await issue({ lifetimeSeconds: 600, jti: 'id-1' });
    expect(kid).toBe(signing.currentKid);
    expect(claims).toMatchObject({
      iss: 'https://issuer.example',
      sub: 'alice',
      aud: ['api', 'web'],
      scope: 'read',
      jti: 'id-1',
    });
    expect(claims.exp).toBe((claims.iat as number) + 600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    const header = JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString());
    expect(header).toEqual({ alg: 'PS256', kid, typ: 'JWT' });
    expect(
      await ok('/jwt/verify', {
        jwt,
        issuer: 'https://issuer.example',
        audience: 'api',
        subject: 'alice',
        typ: 'JWT',
        requiredClaims: ['scope'],
      }),
    ).toEqual({
      valid: true,
      claims,
      protectedHeader: header,
      kid,
    });
    const generated = await issue();
    expect(generated.claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the failed check', async () => {
    const { jwt } = await issue();
    const expired = (await issue({ lifetimeSeconds: 1, nbf: 0 })).jwt;
    const future = (await issue({ nbf: Math.floor(Date.now() / 1000) + 3600 })).jwt;
    await new Promise((r) => setTimeout(r, 2100));
    const cases: [Record<string, unknown>, string][] = [
      [{ jwt: expired }, 'exp'],
      [{ jwt: future }, 'nbf'],
      [{ jwt, issuer: 'https://other.example' }, 'iss'],
      [{ jwt, audience: 'other' }, 'aud'],
      [{ jwt, subject: 'bob' }, 'sub'],
      [{ jwt, typ: 'at+jwt' }, 'typ'],
      [{ jwt, requiredClaims: ['role'] }, 'required-claim'],
      [{ jwt, maxTokenAgeSeconds: 1 }, 'max-age'],
      [{ jwt, algorithms: ['ES256'] }, 'alg'],
      [{ jwt: `${jwt.slice(0, -4)}AAAA` }, 'signature'],
      [{ jwt: 'not.a-jwt' }, 'malformed'],
      [{ jwt: 'a.b.c' }, 'malformed'],
    ];
    for (const [body, check] of cases) {
      const result = await ok<{ valid: boolean; check: string; detail: string }>(
        '/jwt/verify',
        body,
      );
      expect(result, check).toMatchObject({ valid: false, check });
      expect(result.detail.length).toBeGreaterThan(0);
    }
    expect(await ok('/jwt/verify', { jwt: expired, clockToleranceSeconds: 300 })).toMatchObject({
      valid: true,
    });
    const tooTolerant = await op('/jwt/verify', { jwt, clockToleranceSeconds: 301 });
    expect(tooTolerant.status).toBe(400);
  });

  it('refuses claims the service owns and lifetimes over the maximum', async () => {
    for (const name of ['iss', 'exp', 'iat', 'jti']) {
      const res = await op('/jwt/issue', { jwks: signing.id, claims: { [name]: 1 } });
      expect(res.status, name).toBe(400);
    }
    expect((await op('/jwt/issue', { jwks: signing.id, lifetimeSeconds: 86_401 })).status).toBe(
      400,
    );
    expect((await op('/jwt/issue', { jwks: sealing.id })).json()).toMatchObject({
      type: 'urn:cryptoutil:problem:wrong-key-use',
    });
  });

  it('issues nested signed-then-encrypted JWTs (cty JWT) and verifies them', async () => {
    const { jwt, claims } = await issue({ encryptTo: { jwks: sealing.id, enc: 'A256CBC-HS512' } });
    expect(jwt.split('.')).toHaveLength(5);
    const header = JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({
      alg: 'RSA-OAEP-256',
      enc: 'A256CBC-HS512',
      cty: 'JWT',
      kid: sealing.currentKid,
    });
    expect(await ok('/jwt/verify', { jwt, audience: 'web' })).toMatchObject({
      valid: true,
      claims,
      kid: signing.currentKid,
    });
    expect(await ok('/jwt/verify', { jwt }, 'bob')).toMatchObject({ valid: false, check: 'kid' });
    const parts = jwt.split('.');
    parts[3] = flip(parts[3] as string);
    expect(await ok('/jwt/verify', { jwt: parts.join('.') })).toMatchObject({
      valid: false,
      check: 'decryption',
    });
  });

  it('verifies a JWT from another issuer through x5c, and refuses unknown crit', async () => {
    const key = await importPKCS8(certs.serverKey, 'ES256');
    const x5c = [der(certs.serverCert), der(certs.intermediateCert)];
    const external = await new SignJWT({ sub: 'device' })
      .setProtectedHeader({ alg: 'ES256', x5c })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    expect(await ok('/jwt/verify', { jwt: external })).toMatchObject({
      valid: true,
      claims: { sub: 'device' },
    });
    const crit = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', x5c, crit: ['b64'], b64: true })
      .sign(key);
    expect(await ok('/jwt/verify', { jwt: crit })).toMatchObject({ valid: false, check: 'crit' });
    const { privateKey } = await generateKeyPair('ES256');
    const unknown = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'ghost' })
      .sign(privateKey);
    expect(await ok('/jwt/verify', { jwt: unknown })).toMatchObject({ valid: false, check: 'kid' });
  });

  it('fails a retired version with check retired', async () => {
    const set = await createSet({ use: 'sig', alg: 'HS384' });
    const { jwt } = await ok<{ jwt: string }>('/jwt/issue', { jwks: set.id });
    await jose.call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    expect(await ok('/jwt/verify', { jwt })).toMatchObject({ valid: true });
    await jose.call('POST', `/jwks/${set.id}/versions/1/retire`);
    expect(await ok('/jwt/verify', { jwt })).toMatchObject({ valid: false, check: 'retired' });
  });
});

/** Flips one bit in the first character of a base64url string (stays base64url). */
function flip(text: string): string {
  const bytes = base64url.decode(text);
  bytes[0] = (bytes[0] as number) ^ 1;
  return base64url.encode(bytes);
}
