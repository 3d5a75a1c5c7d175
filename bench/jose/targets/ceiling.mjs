// The JOSE ceiling: a bare Fastify 5 HTTPS server with the suite's TLS 1.3 options and the same
// certificate as the JOSE Authority, answering the benchmarked routes of docs/jose.md with the
// same JSON shapes, each in the fastest known form (ARCHITECTURE §10): keys generated once as
// CryptoKeys and kept in memory, jose's CompactSign (RFC 7515 §7.1; ES256, EdDSA), compactVerify
// (RS256), CompactEncrypt (RFC 7516 §7.1, `dir` + A256GCM) and a JWT as a compact JWS of its
// claims (RFC 7519 §7.1), with the service's header shapes. No auth, no schemas, no logger.
// Usage: node ceiling.mjs <tls-dir> <package whose jose to run, e.g. ../services/jose>; prints
// the kit's ready line with `ids`, the key names its requests use (bench/kit/targets/ready.mjs).
import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { dependencyOf } from '../../kit/deps.mjs';
import { bareFastify, listenAndAnnounce } from '../../kit/targets/bare-fastify.mjs';

const [dir, joseOf] = process.argv.slice(2);
const jose = await dependencyOf(joseOf, 'jose');

const JWT_LIFETIME_SECONDS = 3600;
const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One in-memory "set": its id (a UUID, as the service's), current kid, alg and keys. */
async function keyOf(alg) {
  const set = { id: randomUUID(), kid: randomUUID(), alg };
  if (alg === 'dir') {
    const raw = randomBytes(32);
    set.key = await webcrypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    return set;
  }
  const { privateKey, publicKey } = await jose.generateKeyPair(alg);
  return { ...set, key: privateKey, publicKey };
}

const keys = {
  es256: await keyOf('ES256'),
  eddsa: await keyOf('EdDSA'),
  rs256: await keyOf('RS256'),
  a256gcm: await keyOf('dir'),
};
const byId = new Map(Object.values(keys).map((set) => [set.id, set]));
const byKid = new Map(Object.values(keys).map((set) => [set.kid, set]));

async function sign({ jwks, payload }) {
  const { kid, alg, key } = byId.get(jwks);
  const jws = await new jose.CompactSign(encoder.encode(payload))
    .setProtectedHeader({ alg, kid })
    .sign(key);
  return { jws, kids: [kid] };
}

/** The kid picks the key, whose alg the header must name (no algorithm confusion). */
function verificationKey(header) {
  const set = byKid.get(header.kid);
  if (set?.publicKey === undefined || set.alg !== header.alg) throw new Error('no such key');
  return set.publicKey;
}

async function verify({ jws }) {
  const { payload, protectedHeader } = await jose.compactVerify(jws, verificationKey);
  const { id, kid, alg } = byKid.get(protectedHeader.kid);
  return {
    valid: true,
    payload: utf8.decode(payload),
    payloadBase64url: jws.slice(jws.indexOf('.') + 1, jws.lastIndexOf('.')),
    protectedHeader,
    signatures: [{ valid: true, kid, alg, jwks: id, version: 1 }],
  };
}

async function encrypt({ jwks, plaintext }) {
  const { kid, key } = byId.get(jwks);
  const jwe = await new jose.CompactEncrypt(encoder.encode(plaintext))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
    .encrypt(key);
  return { jwe, kids: [kid] };
}

async function issueJwt({ jwks, claims }) {
  const { kid, alg, key } = byId.get(jwks);
  const iat = Math.floor(Date.now() / 1000);
  const issued = { ...claims, iat, exp: iat + JWT_LIFETIME_SECONDS, jti: randomUUID() };
  const jwt = await new jose.CompactSign(encoder.encode(JSON.stringify(issued)))
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .sign(key);
  return { jwt, kid, claims: issued };
}

const app = await bareFastify(dir);
// Fastify parses the JSON bodies, as the service does; the answers are serialized as JSON.
for (const [route, operation] of [
  ['sign', sign],
  ['verify', verify],
  ['encrypt', encrypt],
  ['jwt/issue', issueJwt],
]) {
  app.post(`/service/api/v1/${route}`, (request) => operation(request.body));
}
await listenAndAnnounce(app, {
  ids: Object.fromEntries(Object.entries(keys).map(([name, set]) => [name, set.id])),
});
