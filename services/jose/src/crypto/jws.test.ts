// JWS signing to each serialization (RFC 7515 §7), several signers, detached payloads
// (Appendix F) and unencoded payloads (RFC 7797), read back through parseJws and checked with
// checkSignature, so each output is shown to verify and not merely to have the right shape.
import { randomBytes } from 'node:crypto';
import type { JoseKey } from '@cryptoutil/jwa';
import { base64url, decodeProtectedHeader, FlattenedSign, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isJoseError, type JoseErrorCode } from '../domain/jose-error.js';
import { parseJws, type ParsedJws } from './jose-input.js';
import { checkSignature, isUnencoded, signedPayload, signJws, type Signer } from './jws.js';

const text = (value: string) => new TextEncoder().encode(value);
const PAYLOAD = text('{"hello":"world"}');

let es: { privateKey: JoseKey; publicKey: JoseKey };
let ed: { privateKey: JoseKey; publicKey: JoseKey };
const hmac = new Uint8Array(randomBytes(32));
let esSigner: Signer;
let edSigner: Signer;
const hsSigner: Signer = { kid: 'hs-1', alg: 'HS256', key: hmac };

beforeAll(async () => {
  es = await generateKeyPair('ES256');
  ed = await generateKeyPair('EdDSA');
  esSigner = { kid: 'es-1', alg: 'ES256', key: es.privateKey };
  edSigner = { kid: 'ed-1', alg: 'EdDSA', key: ed.privateKey };
});

async function refusal(run: () => Promise<unknown>, code: JoseErrorCode): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(isJoseError(err, code)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the request was accepted');
}

/** Verifies signature `i` of a parsed JWS and answers its payload text, or false. */
async function verified(
  jws: ParsedJws,
  i: number,
  key: JoseKey,
  alg: Signer['alg'],
  detached?: Uint8Array,
): Promise<string | false> {
  const signature = jws.signatures[i]!;
  const payload = signedPayload(jws, signature, detached);
  if (payload === undefined) throw new Error('no payload');
  const result = await checkSignature(signature, payload, key, alg);
  return result === false ? false : new TextDecoder().decode(result);
}

describe('signJws compact', () => {
  it('signs with alg and kid in the protected header, and the caller’s typ', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'compact',
      detached: false,
      b64: true,
      signers: [{ ...esSigner, protectedHeader: { typ: 'JOSE', 'urn:x': 1 } }],
    });
    expect(typeof jws).toBe('string');
    const [, payload] = (jws as string).split('.');
    expect(payload).toBe(base64url.encode(PAYLOAD));
    expect(decodeProtectedHeader(jws as string)).toEqual({
      typ: 'JOSE',
      'urn:x': 1,
      alg: 'ES256',
      kid: 'es-1',
    });
    expect(await verified(parseJws(jws), 0, es.publicKey, 'ES256')).toBe('{"hello":"world"}');
  });

  it('detached: an empty payload part, verified with the payload supplied', async () => {
    const jws = (await signJws({
      payload: PAYLOAD,
      serialization: 'compact',
      detached: true,
      b64: true,
      signers: [hsSigner],
    })) as string;
    expect(jws.split('.')[1]).toBe('');
    const parsed = parseJws(jws);
    expect(signedPayload(parsed, parsed.signatures[0]!, undefined)).toBeUndefined();
    expect(await verified(parsed, 0, hmac, 'HS256', PAYLOAD)).toBe('{"hello":"world"}');
    expect(await verified(parsed, 0, hmac, 'HS256', text('other'))).toBe(false);
  });

  it('refuses an unprotected header', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'compact',
          detached: false,
          b64: true,
          signers: [{ ...esSigner, header: { typ: 'x' } }],
        }),
      'invalid-request',
    );
    expect(message).toBe('the compact serialization has no unprotected header');
  });
});

describe('signJws flattened', () => {
  it('carries the unprotected header beside the protected one', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'flattened',
      detached: false,
      b64: true,
      signers: [{ ...edSigner, header: { cty: 'json' } }],
    });
    expect(Object.keys(jws).sort()).toEqual(['header', 'payload', 'protected', 'signature']);
    const flat = jws as { header: unknown; payload: string; protected: string };
    expect(flat.header).toEqual({ cty: 'json' });
    expect(flat.payload).toBe(base64url.encode(PAYLOAD));
    expect(decodeProtectedHeader(flat)).toEqual({ alg: 'EdDSA', kid: 'ed-1' });
    expect(await verified(parseJws(jws), 0, ed.publicKey, 'EdDSA')).toBe('{"hello":"world"}');
  });

  it('has no header member when the signer gives none', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'flattened',
      detached: false,
      b64: true,
      signers: [hsSigner],
    });
    expect('header' in (jws as object)).toBe(false);
  });

  it('detached: no payload member', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'flattened',
      detached: true,
      b64: true,
      signers: [esSigner],
    });
    expect(Object.keys(jws).sort()).toEqual(['protected', 'signature']);
    expect(await verified(parseJws(jws), 0, es.publicKey, 'ES256', PAYLOAD)).toBe(
      '{"hello":"world"}',
    );
  });

  it('refuses a name in both headers', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'flattened',
          detached: false,
          b64: true,
          signers: [{ ...esSigner, protectedHeader: { typ: 'a' }, header: { typ: 'b' } }],
        }),
      'invalid-header',
    );
    expect(message).toBe('the signature sets typ in more than one header');
  });
});

describe('signJws general', () => {
  it('signs once per signer, each signature verifying with its own key only', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'general',
      detached: false,
      b64: true,
      signers: [esSigner, { ...edSigner, header: { 'urn:n': 2 } }, hsSigner],
    });
    const general = jws as { payload: string; signatures: Record<string, unknown>[] };
    expect(general.payload).toBe(base64url.encode(PAYLOAD));
    expect(general.signatures).toHaveLength(3);
    expect(
      general.signatures.map((s) => decodeProtectedHeader(s as { protected: string })),
    ).toEqual([
      { alg: 'ES256', kid: 'es-1' },
      { alg: 'EdDSA', kid: 'ed-1' },
      { alg: 'HS256', kid: 'hs-1' },
    ]);
    expect(general.signatures.map((s) => s.header)).toEqual([undefined, { 'urn:n': 2 }, undefined]);
    const parsed = parseJws(jws);
    expect(await verified(parsed, 0, es.publicKey, 'ES256')).toBe('{"hello":"world"}');
    expect(await verified(parsed, 1, ed.publicKey, 'EdDSA')).toBe('{"hello":"world"}');
    expect(await verified(parsed, 2, hmac, 'HS256')).toBe('{"hello":"world"}');
    expect(await verified(parsed, 2, new Uint8Array(32), 'HS256')).toBe(false);
  });

  it('detached: no payload member', async () => {
    const jws = await signJws({
      payload: PAYLOAD,
      serialization: 'general',
      detached: true,
      b64: true,
      signers: [esSigner, hsSigner],
    });
    expect(Object.keys(jws)).toEqual(['signatures']);
    expect(await verified(parseJws(jws), 1, hmac, 'HS256', PAYLOAD)).toBe('{"hello":"world"}');
  });

  it('refuses a reserved header of any signer', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'general',
          detached: false,
          b64: true,
          signers: [esSigner, { ...hsSigner, header: { x5c: ['MIIB'] } }],
        }),
      'invalid-header',
    );
    expect(message).toBe('header may not set x5c: the service sets it');
  });
});

describe('signJws signer count', () => {
  it('refuses no signer', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'general',
          detached: false,
          b64: true,
          signers: [],
        }),
      'invalid-request',
    );
    expect(message).toBe('at least one signer');
  });

  it.each(['compact', 'flattened'] as const)(
    'refuses several signers for %s',
    async (serialization) => {
      const message = await refusal(
        () =>
          signJws({
            payload: PAYLOAD,
            serialization,
            detached: false,
            b64: true,
            signers: [esSigner, hsSigner],
          }),
        'invalid-request',
      );
      expect(message).toBe('several signatures need the general serialization');
    },
  );
});

describe('signJws reserved protected headers', () => {
  it.each(['alg', 'kid', 'b64', 'crit', 'jku', 'jwk', 'x5u', 'x5t'])('refuses %s', async (name) => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'compact',
          detached: false,
          b64: true,
          signers: [{ ...esSigner, protectedHeader: { [name]: 'x' } }],
        }),
      'invalid-header',
    );
    expect(message).toBe(`protectedHeader may not set ${name}: the service sets it`);
  });

  it('refuses a typ that is not a string', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: PAYLOAD,
          serialization: 'compact',
          detached: false,
          b64: true,
          signers: [{ ...esSigner, protectedHeader: { typ: 7 } }],
        }),
      'invalid-header',
    );
    expect(message).toBe('protectedHeader typ must be a string');
  });
});

describe('signJws unencoded payloads (RFC 7797)', () => {
  const RAW = text('$.02 is "two cents"');

  it('compact: b64 false and crit in the protected header, the payload as raw text', async () => {
    const raw = text('$02 is two cents');
    const jws = (await signJws({
      payload: raw,
      serialization: 'compact',
      detached: false,
      b64: false,
      signers: [hsSigner],
    })) as string;
    expect(jws.split('.')[1]).toBe('$02 is two cents');
    expect(decodeProtectedHeader(jws)).toEqual({
      alg: 'HS256',
      kid: 'hs-1',
      b64: false,
      crit: ['b64'],
    });
    const parsed = parseJws(jws);
    expect(isUnencoded(parsed.signatures[0]!)).toBe(true);
    expect(signedPayload(parsed, parsed.signatures[0]!, undefined)).toEqual(raw);
    expect(await verified(parsed, 0, hmac, 'HS256')).toBe('$02 is two cents');
  });

  it('compact: refuses a payload with "." unless detached', async () => {
    const message = await refusal(
      () =>
        signJws({
          payload: RAW,
          serialization: 'compact',
          detached: false,
          b64: false,
          signers: [hsSigner],
        }),
      'invalid-request',
    );
    expect(message).toBe(
      'a compact unencoded payload may not contain "." unless detached (RFC 7797 §5.2)',
    );
  });

  it('compact detached: a payload with "." is fine, verified with the raw bytes', async () => {
    const jws = await signJws({
      payload: RAW,
      serialization: 'compact',
      detached: true,
      b64: false,
      signers: [esSigner],
    });
    expect((jws as string).split('.')[1]).toBe('');
    const parsed = parseJws(jws);
    expect(signedPayload(parsed, parsed.signatures[0]!, RAW)).toBe(RAW);
    expect(await verified(parsed, 0, es.publicKey, 'ES256', RAW)).toBe('$.02 is "two cents"');
  });

  it.each(['compact', 'flattened', 'general'] as const)(
    '%s: refuses a payload that is not UTF-8 unless detached',
    async (serialization) => {
      const bytes = new Uint8Array([0x61, 0xff, 0x62]);
      const message = await refusal(
        () =>
          signJws({
            payload: bytes,
            serialization,
            detached: false,
            b64: false,
            signers: [hsSigner],
          }),
        'invalid-request',
      );
      expect(message).toBe('an unencoded (b64: false) payload must be UTF-8 text unless detached');
      await expect(
        signJws({ payload: bytes, serialization, detached: true, b64: false, signers: [hsSigner] }),
      ).resolves.toBeDefined();
    },
  );

  it('flattened: the payload member is the raw text, "." included', async () => {
    const jws = await signJws({
      payload: RAW,
      serialization: 'flattened',
      detached: false,
      b64: false,
      signers: [esSigner],
    });
    expect((jws as { payload: string }).payload).toBe('$.02 is "two cents"');
    expect(await verified(parseJws(jws), 0, es.publicKey, 'ES256')).toBe('$.02 is "two cents"');
  });

  it('general: the payload member is the raw text, every signature unencoded', async () => {
    const jws = await signJws({
      payload: RAW,
      serialization: 'general',
      detached: false,
      b64: false,
      signers: [esSigner, hsSigner],
    });
    expect((jws as { payload: string }).payload).toBe('$.02 is "two cents"');
    const parsed = parseJws(jws);
    expect(parsed.signatures.map(isUnencoded)).toEqual([true, true]);
    expect(await verified(parsed, 0, es.publicKey, 'ES256')).toBe('$.02 is "two cents"');
    expect(await verified(parsed, 1, hmac, 'HS256')).toBe('$.02 is "two cents"');
  });

  it('general detached: no payload member', async () => {
    const jws = await signJws({
      payload: RAW,
      serialization: 'general',
      detached: true,
      b64: false,
      signers: [hsSigner],
    });
    expect('payload' in (jws as object)).toBe(false);
    expect(await verified(parseJws(jws), 0, hmac, 'HS256', RAW)).toBe('$.02 is "two cents"');
  });
});

describe('signedPayload', () => {
  it('is the travelling base64url payload, or the detached bytes encoded', () => {
    const attached = parseJws(`${base64url.encode('{"alg":"HS256"}')}.cA.AA`);
    expect(isUnencoded(attached.signatures[0]!)).toBe(false);
    expect(signedPayload(attached, attached.signatures[0]!, text('ignored'))).toBe('cA');
    const detached = parseJws(`${base64url.encode('{"alg":"HS256"}')}..AA`);
    expect(signedPayload(detached, detached.signatures[0]!, text('p'))).toBe('cA');
  });
});

describe('checkSignature', () => {
  async function compactEs() {
    return parseJws(
      await signJws({
        payload: PAYLOAD,
        serialization: 'compact',
        detached: false,
        b64: true,
        signers: [esSigner],
      }),
    );
  }

  it('answers the payload bytes for a good signature', async () => {
    const parsed = await compactEs();
    const result = await checkSignature(
      parsed.signatures[0]!,
      parsed.payload!,
      es.publicKey,
      'ES256',
    );
    expect(result).toEqual(PAYLOAD);
  });

  it('is false for another key, another payload, or an algorithm the header does not name', async () => {
    const parsed = await compactEs();
    const signature = parsed.signatures[0]!;
    const other = await generateKeyPair('ES256');
    expect(await checkSignature(signature, parsed.payload!, other.publicKey, 'ES256')).toBe(false);
    expect(await checkSignature(signature, 'cA', es.publicKey, 'ES256')).toBe(false);
    expect(await checkSignature(signature, parsed.payload!, hmac, 'HS256')).toBe(false);
  });

  it('checks a signature whose header is all unprotected', async () => {
    const flat = await new FlattenedSign(PAYLOAD)
      .setUnprotectedHeader({ alg: 'ES256', kid: 'es-1' })
      .sign(es.privateKey);
    const parsed = parseJws(flat);
    const signature = parsed.signatures[0]!;
    expect(signature.protected).toBeUndefined();
    expect(await checkSignature(signature, parsed.payload!, es.publicKey, 'ES256')).toEqual(
      PAYLOAD,
    );
    expect(await checkSignature(signature, 'cA', es.publicKey, 'ES256')).toBe(false);
  });

  it('is false for a corrupted signature', async () => {
    const parsed = await compactEs();
    const signature = parsed.signatures[0]!;
    const bytes = base64url.decode(signature.signature);
    bytes[0] = bytes[0]! ^ 1;
    const tampered = { ...signature, signature: base64url.encode(bytes) };
    expect(await checkSignature(tampered, parsed.payload!, es.publicKey, 'ES256')).toBe(false);
  });

  it('throws what is not a JOSE failure (a key of no usable type)', async () => {
    const parsed = await compactEs();
    await expect(
      checkSignature(
        parsed.signatures[0]!,
        parsed.payload!,
        'secret' as unknown as JoseKey,
        'ES256',
      ),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
