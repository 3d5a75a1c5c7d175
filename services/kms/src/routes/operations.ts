// /elastic-keys/{id}/encrypt|decrypt|sign|verify|generate. A text body (text/plain or RFC 7515
// §9.2.1 application/jose) is raw plaintext or a payload in, a compact JWE/JWS out; a JSON body
// uses base64url members and the JSON serializations (RFC 7516 §7.2.2, RFC 7515 §7.2.2). An
// encrypt `context` is bound as the JWE AAD, so the ciphertext only opens with it unchanged.
import { problems, ProblemError } from '@cryptoutil/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataKeySpecSchema } from '../crypto/index.js';
import type { KeyOperations } from '../service/key-operations.js';
import { tenantOf } from './elastic-keys.js';
import { base64url, idParams } from './schemas.js';

const TEXT = 'text/plain; charset=utf-8';
const jsonObject = z.record(z.string(), z.unknown());
const compact = z.string().describe('Compact serialization, or raw text for encrypt/sign');

const encryptJson = z.strictObject({
  plaintext: base64url.describe('The plaintext, base64url'),
  context: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe('Bound as the JWE AAD; the decrypt answer returns it for the caller to check'),
});
const signJson = z.strictObject({ payload: base64url.describe('The payload, base64url') });
const generateBody = z.strictObject({
  key: dataKeySpecSchema,
  includePlaintext: z
    .boolean()
    .default(false)
    .describe('Also return the data key in clear (envelope encryption); false: only the JWE'),
});

const bytesOf = (text: string) => new TextEncoder().encode(text);
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));
const toB64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export function operationRoutes(ops: KeyOperations, maxPayloadBytes: number) {
  const checkSize = (bytes: Uint8Array): Uint8Array => {
    if (bytes.byteLength > maxPayloadBytes) {
      throw new ProblemError(problems.payloadTooLarge, {
        detail: `payload over ${maxPayloadBytes} bytes`,
      });
    }
    return bytes;
  };
  // base64url inflates by 4/3; JOSE headers add a little more.
  const bodyLimit = Math.ceil((maxPayloadBytes * 4) / 3) + 16_384;
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    // The kit speaks JSON only; these operations also take text (CSRF still guards the browser
    // chain, where text/plain is a "simple" cross-origin content type).
    app.addContentTypeParser(
      ['text/plain', 'application/jose'],
      { parseAs: 'string' },
      (_r, body, next) => {
        next(null, body);
      },
    );
    app.addContentTypeParser('application/jose+json', { parseAs: 'string' }, (_r, body, next) => {
      try {
        next(null, JSON.parse(body as string));
      } catch {
        next(new ProblemError(problems.malformedJson, { detail: 'body is not JSON' }));
      }
    });
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const route = (scope: string, body: z.ZodType) => ({
      bodyLimit,
      config: { scopes: [scope] },
      schema: { params: idParams, body },
    });
    typed.post(
      '/elastic-keys/:id/encrypt',
      route('kms:encrypt', z.union([compact, encryptJson])),
      async (request, reply) => {
        const body = request.body as string | z.output<typeof encryptJson>;
        const tenant = tenantOf(request);
        if (typeof body === 'string') {
          const jwe = await ops.encrypt(tenant, request.params.id, checkSize(bytesOf(body)), {
            serialization: 'compact',
          });
          return reply.type(TEXT).send(jwe);
        }
        return ops.encrypt(tenant, request.params.id, checkSize(fromB64(body.plaintext)), {
          serialization: 'flattened',
          ...(body.context === undefined ? {} : { aad: bytesOf(body.context) }),
        });
      },
    );
    typed.post(
      '/elastic-keys/:id/decrypt',
      route('kms:decrypt', z.union([compact, jsonObject])),
      async (request, reply) => {
        const body = request.body as string | Record<string, unknown>;
        const result = await ops.decrypt(tenantOf(request), request.params.id, body);
        if (typeof body === 'string') {
          return reply.type('application/octet-stream').send(Buffer.from(result.plaintext));
        }
        return {
          plaintext: toB64(result.plaintext),
          kid: result.kid,
          ...(result.aad && result.aad.byteLength > 0
            ? { context: new TextDecoder().decode(result.aad) }
            : {}),
        };
      },
    );
    typed.post(
      '/elastic-keys/:id/sign',
      route('kms:sign', z.union([compact, signJson])),
      async (request, reply) => {
        const body = request.body as string | z.output<typeof signJson>;
        const tenant = tenantOf(request);
        if (typeof body === 'string') {
          const jws = await ops.sign(
            tenant,
            request.params.id,
            checkSize(bytesOf(body)),
            'compact',
          );
          return reply.type(TEXT).send(jws);
        }
        return ops.sign(tenant, request.params.id, checkSize(fromB64(body.payload)), 'flattened');
      },
    );
    typed.post(
      '/elastic-keys/:id/verify',
      route('kms:verify', z.union([compact, jsonObject])),
      async (request) => {
        const body = request.body as string | Record<string, unknown>;
        const result = await ops.verify(tenantOf(request), request.params.id, body);
        return { valid: true, kid: result.kid, payload: toB64(result.payload) };
      },
    );
    typed.post(
      '/elastic-keys/:id/generate',
      route('kms:generate', generateBody),
      async (request, reply) => {
        const body = request.body as z.output<typeof generateBody>;
        const result = await ops.generate(
          tenantOf(request),
          request.params.id,
          body.key,
          body.includePlaintext,
        );
        return reply.code(201).send(result);
      },
    );
    done();
  };
}
