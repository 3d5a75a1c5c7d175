// The operations through the real HTTPS API for each family of algorithm: compact and JSON
// serializations, context bound as AAD, old versions decrypting and verifying after rotation,
// data keys, and every failure mode answering a fixed problem that says nothing more.
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKms, type KmsHarness } from './support/kms-harness.js';

let kms: KmsHarness;
beforeAll(async () => {
  kms = await startKms({ config: { kms: { maxPayloadBytes: 2048 } } });
});
afterAll(() => kms.service.shutdown('test done'));

let counter = 0;
async function keyOf(algorithm: string): Promise<string> {
  const res = await kms.call('POST', '/elastic-keys', {
    json: { name: `op-${(counter += 1)}`, algorithm },
  });
  expect(res.status, res.text).toBe(201);
  return res.json<{ id: string }>().id;
}
const op = (id: string, name: string, body: { text?: string; json?: unknown }) =>
  kms.call('POST', `/elastic-keys/${id}/${name}`, body);
const header = (compact: string) =>
  JSON.parse(Buffer.from(compact.split('.')[0] ?? '', 'base64url').toString()) as Record<
    string,
    string
  >;

describe('encrypt and decrypt', () => {
  it.each([
    'A256GCM/dir',
    'A128CBC-HS256/A256KW',
    'A192GCM/A192GCMKW',
    'A256CBC-HS512/RSA-OAEP-256',
    'A128GCM/ECDH-ES',
    'A256GCM/ECDH-ES+A128KW',
  ])('%s round-trips compact text and keeps decrypting after rotation', async (algorithm) => {
    const id = await keyOf(algorithm);
    const jwe = await op(id, 'encrypt', { text: 'attack at dawn ✓' });
    expect(jwe.status).toBe(200);
    expect(jwe.headers['content-type']).toBe('text/plain; charset=utf-8');
    const [enc, alg] = algorithm.split('/');
    expect(header(jwe.text)).toMatchObject({ alg, enc, kid: expect.any(String) });
    await kms.call('POST', `/elastic-keys/${id}/material-keys`, { json: {} });
    const newer = await op(id, 'encrypt', { text: 'second' });
    expect(header(newer.text).kid).not.toBe(header(jwe.text).kid);
    const old = await op(id, 'decrypt', { text: jwe.text });
    expect(old.status).toBe(200);
    expect(old.headers['content-type']).toBe('application/octet-stream');
    expect(old.text).toBe('attack at dawn ✓');
  });

  it('binds a context as AAD in the JSON serialization and returns it on decrypt', async () => {
    const id = await keyOf('A256GCM/A256KW');
    const plaintext = Buffer.from([0, 1, 2, 255]).toString('base64url');
    const jwe = (await op(id, 'encrypt', { json: { plaintext, context: 'order=42' } })).json<
      Record<string, string>
    >();
    expect(jwe.aad).toBe(Buffer.from('order=42').toString('base64url'));
    const opened = await op(id, 'decrypt', { json: jwe });
    expect(opened.json()).toEqual({
      plaintext,
      kid: header(`${jwe.protected}.`).kid,
      context: 'order=42',
    });
    const moved = await op(id, 'decrypt', {
      json: { ...jwe, aad: Buffer.from('order=43').toString('base64url') },
    });
    expect(moved.status).toBe(400);
    expect(moved.json()).toEqual({
      type: 'urn:cryptoutil:problem:decryption-failed',
      title: 'Decryption failed',
      status: 400,
      detail: 'decryption failed',
    });
    const plain = (await op(id, 'encrypt', { json: { plaintext } })).json<Record<string, string>>();
    expect(plain).not.toHaveProperty('aad');
    expect((await op(id, 'decrypt', { json: plain })).json()).toMatchObject({ plaintext });
  });

  it('says only "decryption failed" for tampering, garbage, foreign kids and revoked versions', async () => {
    const id = await keyOf('A256GCM/dir');
    const other = await keyOf('A256GCM/dir');
    const jwe = (await op(id, 'encrypt', { text: 'secret' })).text;
    const parts = jwe.split('.');
    const tampered = [...parts.slice(0, 3), `${parts[3] ?? ''}A`, parts[4]].join('.');
    const foreign = (await op(other, 'encrypt', { text: 'x' })).text;
    const cases = [tampered, 'not.a.jwe', 'garbage', foreign, `${jwe}.extra`];
    for (const text of cases) {
      const res = await op(id, 'decrypt', { text });
      expect(res.status, text).toBe(400);
      expect(res.json()).toMatchObject({ detail: 'decryption failed' });
    }
    await kms.call('POST', `/elastic-keys/${id}/material-keys`, { json: {} });
    await kms.call('POST', `/elastic-keys/${id}/material-keys/${header(jwe).kid}/revoke`, {
      json: {},
    });
    expect((await op(id, 'decrypt', { text: jwe })).json()).toMatchObject({
      type: 'urn:cryptoutil:problem:decryption-failed',
    });
  });

  it('refuses oversize payloads with 413 and the wrong key kind with 400', async () => {
    const id = await keyOf('A256GCM/dir');
    const big = await op(id, 'encrypt', { text: 'x'.repeat(2049) });
    expect(big.status).toBe(413);
    expect((await op(id, 'encrypt', { text: 'x'.repeat(2048) })).status).toBe(200);
    const sig = await keyOf('ES256');
    const wrong = await op(sig, 'encrypt', { text: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.json()).toMatchObject({ type: 'urn:cryptoutil:problem:wrong-key-use' });
    expect((await op(id, 'sign', { text: 'x' })).status).toBe(400);
    expect((await op(id, 'encrypt', { json: { plaintext: '***' } })).status).toBe(400);
  });
});

describe('sign and verify', () => {
  it.each(['ES256', 'ES512', 'PS256', 'RS256', 'EdDSA', 'HS384'])(
    '%s signs compact and flattened, verifies, and old versions verify after rotation',
    async (algorithm) => {
      const id = await keyOf(algorithm);
      const jws = (await op(id, 'sign', { text: 'hello' })).text;
      expect(header(jws)).toEqual({ alg: algorithm, kid: expect.any(String) });
      await kms.call('POST', `/elastic-keys/${id}/material-keys`, { json: {} });
      const verified = await op(id, 'verify', { text: jws });
      expect(verified.json()).toEqual({
        valid: true,
        kid: header(jws).kid,
        payload: Buffer.from('hello').toString('base64url'),
      });
      const payload = Buffer.from('json payload').toString('base64url');
      const flat = (await op(id, 'sign', { json: { payload } })).json<Record<string, string>>();
      expect(flat.payload).toBe(payload);
      expect((await op(id, 'verify', { json: flat })).json()).toMatchObject({
        valid: true,
        payload,
      });
    },
  );

  it('produces signatures that verify with the published public key alone', async () => {
    const id = await keyOf('ES384');
    const jws = (await op(id, 'sign', { text: 'independent' })).text;
    const version = await kms.call('GET', `/elastic-keys/${id}/material-keys/${header(jws).kid}`);
    const publicJwk = version.json<{ publicJwk: JWK }>().publicJwk;
    const { payload } = await compactVerify(jws, await importJWK(publicJwk, 'ES384'));
    expect(new TextDecoder().decode(payload)).toBe('independent');
  });

  it('takes the RFC 7515 §9.2 media types application/jose and application/jose+json', async () => {
    const id = await keyOf('ES256');
    const jws = (await op(id, 'sign', { text: 'typed' })).text;
    const compact = await kms.call('POST', `/elastic-keys/${id}/verify`, {
      text: jws,
      contentType: 'application/jose',
    });
    expect(compact.json()).toMatchObject({ valid: true });
    const payload = Buffer.from('typed').toString('base64url');
    const flat = (await op(id, 'sign', { json: { payload } })).json();
    const json = await kms.call('POST', `/elastic-keys/${id}/verify`, {
      text: JSON.stringify(flat),
      contentType: 'application/jose+json',
    });
    expect(json.json()).toMatchObject({ valid: true, payload });
    const broken = await kms.call('POST', `/elastic-keys/${id}/verify`, {
      text: '{"protected":',
      contentType: 'application/jose+json',
    });
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ type: 'urn:cryptoutil:problem:malformed-json' });
  });

  it("refuses a JWS whose kid names another key's version, even of the same algorithm", async () => {
    const id = await keyOf('ES256');
    const other = await keyOf('ES256');
    const foreign = (await op(other, 'sign', { text: 'x' })).text;
    const res = await op(id, 'verify', { text: foreign });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      type: 'urn:cryptoutil:problem:signature-invalid',
      detail: 'the kid names no active version of this key',
    });
  });

  it('rejects tampered signatures, algorithm confusion and malformed input', async () => {
    const id = await keyOf('ES256');
    const jws = (await op(id, 'sign', { text: 'x' })).text;
    const [h, p, s] = jws.split('.');
    const confused = [
      Buffer.from(JSON.stringify({ alg: 'HS256', kid: header(jws).kid })).toString('base64url'),
      p,
      s,
    ].join('.');
    const otherPayload = [h, Buffer.from('y').toString('base64url'), s].join('.');
    for (const text of [confused, otherPayload]) {
      const res = await op(id, 'verify', { text });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:signature-invalid' });
    }
    for (const text of ['a.b', 'garbage', `${h}..${s}`]) {
      const res = await op(id, 'verify', { text });
      expect(res.status, text).toBe(400);
    }
  });
});

describe('generate', () => {
  it('returns a data key wrapped under the key, with the clear copy only on request', async () => {
    const id = await keyOf('A256GCM/dir');
    const wrapped = await op(id, 'generate', { json: { key: { kty: 'oct', size: 256 } } });
    expect(wrapped.status).toBe(201);
    const body = wrapped.json<{ jwe: string; kid: string; jwk?: JWK }>();
    expect(body).not.toHaveProperty('jwk');
    const opened = await op(id, 'decrypt', { text: body.jwe });
    const dataKey = JSON.parse(opened.text) as JWK;
    expect(dataKey).toMatchObject({ kty: 'oct', kid: body.kid });
    expect(Buffer.from(String(dataKey.k), 'base64url')).toHaveLength(32);
    const pair = await op(id, 'generate', {
      json: { key: { kty: 'EC', crv: 'P-384' }, includePlaintext: true },
    });
    const both = pair.json<{ jwk: JWK; publicJwk: JWK }>();
    expect(both.jwk).toMatchObject({ kty: 'EC', crv: 'P-384', d: expect.any(String) });
    expect(both.publicJwk).not.toHaveProperty('d');
    const bad = await op(id, 'generate', { json: { key: { kty: 'RSA', size: 1024 } } });
    expect(bad.status).toBe(400);
    const sig = await keyOf('ES256');
    expect((await op(sig, 'generate', { json: { key: { kty: 'oct', size: 128 } } })).status).toBe(
      400,
    );
  });
});
