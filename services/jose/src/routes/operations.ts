// /sign, /verify, /encrypt, /decrypt, /jwt/issue and /jwt/verify. Bodies are JSON; text travels
// as UTF-8 members and bytes as base64url members (exactly one of each pair). Verify answers
// 200 with `valid` and the failed check; a body that is not a JWS or JWE at all is a 400.
import { problems, ProblemError, callerOf } from '@cryptoutil/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { JoseError } from '../domain/jose-error.js';
import type { Operations, SignatureResult, VerifyResult } from '../service/operations.js';
import {
  decryptBody,
  decryptResult,
  encryptBody,
  encryptResult,
  issueBody,
  issueResult,
  jwtVerifyBody,
  jwtVerifyResult,
  signBody,
  signResult,
  verifyBody,
  verifyResult,
} from './schemas.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The base64url member beside each text member (constants: no name is built per request). */
const BASE64URL_MEMBER = { payload: 'payloadBase64url', plaintext: 'plaintextBase64url' } as const;

/** The bytes of `<name>` / `<name>Base64url`: exactly one given (or none when optional). */
function bytesOf(
  body: Record<string, unknown>,
  name: keyof typeof BASE64URL_MEMBER,
  required: boolean,
): Uint8Array | undefined {
  const text = body[name];
  const b64 = body[BASE64URL_MEMBER[name]];
  if (text !== undefined && b64 !== undefined) {
    throw new JoseError('invalid-request', `give ${name} or ${name}Base64url, not both`);
  }
  if (typeof text === 'string') return encoder.encode(text);
  if (typeof b64 === 'string') return Buffer.from(b64, 'base64url');
  if (required) throw new JoseError('invalid-request', `give ${name} or ${name}Base64url`);
  return undefined;
}

/** Both forms of bytes: base64url always, text too when they are UTF-8. */
function bytesOut(name: keyof typeof BASE64URL_MEMBER, bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = { [BASE64URL_MEMBER[name]]: base64urlOf(bytes) };
  const text = textOf(bytes);
  if (text !== undefined) out[name] = text;
  return out;
}

function base64urlOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The bytes as text when they are UTF-8, else undefined. */
function textOf(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A signature's answer: its set id is `jwks`, as in requests. */
function signatureOut(s: SignatureResult) {
  return {
    valid: s.valid,
    check: s.check,
    detail: s.detail,
    alg: s.alg,
    kid: s.kid,
    version: s.version,
    jwks: s.setId,
  };
}

/** The targets of `jwks` (one set) or of `many` (each item), exactly one of them given. */
function targetsOf<T, U>(
  single: string | undefined,
  many: readonly T[] | undefined,
  what: string,
  one: (id: string) => U,
  each: (item: T) => U,
): U[] {
  if ((single === undefined) === (many === undefined)) {
    throw new JoseError('invalid-request', `give jwks or ${what}, exactly one`);
  }
  return many === undefined ? [one(single as string)] : many.map(each);
}

/** The verify answer, built member by member (undefined ones are left out of the JSON). */
function verifyAnswer(result: VerifyResult) {
  const bytes = result.payload;
  return {
    valid: result.valid,
    check: result.check,
    detail: result.detail,
    protectedHeader: result.protectedHeader,
    payloadBase64url:
      bytes === undefined ? undefined : (result.payloadBase64url ?? base64urlOf(bytes)),
    payload: bytes === undefined ? undefined : textOf(bytes),
    signatures: result.signatures.map(signatureOut),
  };
}

export function operationRoutes(ops: Operations, maxPayloadBytes: number) {
  const checkSize = (bytes: Uint8Array): Uint8Array => {
    if (bytes.byteLength > maxPayloadBytes) {
      throw new ProblemError(problems.payloadTooLarge, {
        detail: `payload over ${maxPayloadBytes} bytes`,
      });
    }
    return bytes;
  };
  // base64url inflates by 4/3; JOSE headers and several signatures add more.
  const bodyLimit = Math.ceil((maxPayloadBytes * 4) / 3) * 2 + 65_536;
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    // Answers are built here from typed values, so they are serialized as they are: the response
    // schemas document them (specs/jose.openapi.yaml) without a zod pass on every answer of the
    // hot path (2% of a verify's CPU).
    const scoped = (scope: string) => ({
      bodyLimit,
      config: { scopes: [scope] },
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    });
    typed.post(
      '/sign',
      { ...scoped('jose:sign'), schema: { body: signBody, response: { 200: signResult } } },
      // Not async: the operation's own promise is the answer (Fastify answers a synchronous
      // throw as it answers a rejection), one promise and turn fewer per request.
      (request) => {
        const body = request.body;
        const signers = targetsOf(
          body.jwks,
          body.signers,
          'signers',
          (setId) => ({ setId, protectedHeader: body.protectedHeader, header: body.header }),
          (s) => ({ setId: s.jwks, protectedHeader: s.protectedHeader, header: s.header }),
        );
        if (
          body.signers !== undefined &&
          (body.protectedHeader !== undefined || body.header !== undefined)
        ) {
          throw new JoseError('invalid-request', 'with signers, give headers per signer');
        }
        const payload = checkSize(bytesOf(body, 'payload', true) as Uint8Array);
        return ops.sign(callerOf(request), {
          signers,
          payload,
          serialization: body.serialization,
          detached: body.detached,
          b64: body.b64,
        });
      },
    );
    typed.post(
      '/verify',
      { ...scoped('jose:verify'), schema: { body: verifyBody, response: { 200: verifyResult } } },
      (request) => {
        const body = request.body;
        const payload = bytesOf(body, 'payload', false);
        return ops
          .verify(callerOf(request), {
            jws: body.jws,
            payload,
            algorithms: body.algorithms,
            setId: body.jwks,
          })
          .then(verifyAnswer);
      },
    );
    typed.post(
      '/encrypt',
      {
        ...scoped('jose:encrypt'),
        schema: { body: encryptBody, response: { 200: encryptResult } },
      },
      (request) => {
        const body = request.body;
        const recipients = targetsOf(
          body.jwks,
          body.recipients,
          'recipients',
          (setId): { setId: string; header?: Record<string, unknown> | undefined } => ({ setId }),
          (r) => ({ setId: r.jwks, header: r.header }),
        );
        const plaintext = checkSize(bytesOf(body, 'plaintext', true) as Uint8Array);
        // jose's JWE interfaces are plain JSON objects without an index signature.
        return ops.encrypt(callerOf(request), {
          recipients,
          plaintext,
          serialization: body.serialization,
          enc: body.enc,
          zip: body.zip === 'DEF',
          aad:
            body.aad === undefined ? undefined : new Uint8Array(Buffer.from(body.aad, 'base64url')),
          protectedHeader: body.protectedHeader,
        }) as Promise<{ jwe: string | Record<string, unknown>; kids: string[] }>;
      },
    );
    typed.post(
      '/decrypt',
      {
        ...scoped('jose:decrypt'),
        schema: { body: decryptBody, response: { 200: decryptResult } },
      },
      async (request) => {
        const result = await ops.decrypt(callerOf(request), request.body.jwe);
        const { plaintextBase64url, plaintext } = bytesOut('plaintext', result.plaintext);
        return {
          plaintextBase64url: plaintextBase64url as string,
          ...(plaintext === undefined ? {} : { plaintext }),
          ...(result.protectedHeader === undefined
            ? {}
            : { protectedHeader: { ...result.protectedHeader } }),
          kid: result.kid,
          ...(result.aad === undefined
            ? {}
            : { aad: Buffer.from(result.aad).toString('base64url') }),
        };
      },
    );
    typed.post(
      '/jwt/issue',
      { ...scoped('jose:sign'), schema: { body: issueBody, response: { 200: issueResult } } },
      (request) => {
        const body = request.body;
        const { encryptTo } = body;
        return ops
          .issueJwt(callerOf(request), {
            setId: body.jwks,
            claims: body.claims,
            iss: body.iss,
            sub: body.sub,
            aud: body.aud,
            lifetimeSeconds: body.lifetimeSeconds,
            jti: body.jti,
            nbf: body.nbf,
            typ: body.typ,
            encryptTo:
              encryptTo === undefined ? undefined : { setId: encryptTo.jwks, enc: encryptTo.enc },
          })
          .then((result) => ({ jwt: result.jwt, kid: result.kid, claims: { ...result.claims } }));
      },
    );
    typed.post(
      '/jwt/verify',
      {
        ...scoped('jose:verify'),
        schema: { body: jwtVerifyBody, response: { 200: jwtVerifyResult } },
      },
      async (request) => {
        const result = await ops.verifyJwt(callerOf(request), request.body);
        return result.valid
          ? {
              valid: true,
              claims: { ...result.claims },
              protectedHeader: { ...result.protectedHeader },
              ...(result.kid === undefined ? {} : { kid: result.kid }),
            }
          : result;
      },
    );
    done();
  };
}
