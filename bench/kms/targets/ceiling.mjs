// The KMS ceiling: a bare Fastify 5 HTTPS server with the suite's TLS 1.3 options and the same
// certificate as the KMS, doing the KMS's two benchmarked operations with keys held in memory,
// in the fastest known form (ARCHITECTURE §10): CryptoKeys imported once, jose's CompactEncrypt
// (RFC 7516 §7.1, `dir` + A256GCM, RFC 7518 §4.5 and §5.3) and CompactSign (RFC 7515 §7.1,
// ES256, RFC 7518 §3.4), with the KMS's header shape `{alg, enc?, kid}`. No auth, no logger.
// Usage: node ceiling.mjs <tls-dir>; prints the kit's ready line (bench/kit/targets/ready.mjs).
import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { TextEncoder } from 'node:util';
import { dependencyOf } from '../../kit/deps.mjs';
import { bareFastify, listenAndAnnounce } from '../../kit/targets/bare-fastify.mjs';

// The jose the KMS itself runs.
const { CompactEncrypt, CompactSign, generateKeyPair } = await dependencyOf(
  '../services/kms',
  'jose',
);

const encryption = {
  kid: randomUUID(),
  key: await webcrypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]),
};
const signing = { kid: randomUUID(), key: (await generateKeyPair('ES256')).privateKey };
const encoder = new TextEncoder();
const TEXT = 'text/plain; charset=utf-8';

const app = await bareFastify(process.argv[2]);
// Fastify parses text/plain bodies into a string by default, as the KMS's text parser does.
app.post('/encrypt', async (request, reply) => {
  const jwe = await new CompactEncrypt(encoder.encode(request.body))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: encryption.kid })
    .encrypt(encryption.key);
  return reply.type(TEXT).send(jwe);
});
app.post('/sign', async (request, reply) => {
  const jws = await new CompactSign(encoder.encode(request.body))
    .setProtectedHeader({ alg: 'ES256', kid: signing.kid })
    .sign(signing.key);
  return reply.type(TEXT).send(jws);
});
await listenAndAnnounce(app);
