// RFC 7520 ("Examples of Protecting Content Using JOSE") as fixtures, through the running
// service: each example's keys are imported (BYOK, keeping the RFC's kid: `kidFormat: "jwk"`)
// into a tenant of its own, then every JWS example verifies (§4.1-4.8, each serialization) and
// every JWE example whose algorithms we offer decrypts (§5.2, 5.4-5.13). RSA1_5 (§5.1) and
// PBES2 (§5.3) are refused with a 4xx. RSASSA-PKCS1-v1_5 and HMAC are deterministic, so the
// service re-signing §4.1, §4.4 and §4.5 with the RFC's key and header yields the RFC's exact
// JWS. jwcrypto checks the fixtures first, so a typing error shows as one, not as a service bug.
import { judge, jwcryptoVersion, type JoseJson, type JudgeCase } from '@cryptoutil/judges';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOSE_SCOPES } from '../src/index.js';
import {
  b64,
  DECRYPTION_FAILED,
  joseCalls,
  publicOf,
  tamperCompact,
  tamperJson,
  useOf,
  type JoseCalls,
  type JoseSet,
} from './interop/jose-calls.js';
import {
  JWE_EXAMPLES,
  jweForms,
  JWS_EXAMPLES,
  jwsForms,
  protectedOf,
  RFC_KEYS,
  type JweExample,
  type JwsExample,
} from './interop/rfc7520-examples.js';
import { startJose, type JoseHarness } from './support/jose-harness.js';

const version = jwcryptoVersion();
// The service tests need no judge; the fixture check does (locally skipped without it).
const skip = version === undefined && process.env.CI !== 'true';

/** One API key, and so one tenant, per example: the RFC reuses kids across its examples. */
const grantOf = (section: string) => `rfc7520-${section.replace('.', '-')}`;
/** §5.13 once more, in a tenant that holds another of its recipients' keys. */
const SECOND_5_13 = '5.13b';
const GRANTS = Object.fromEntries(
  [...JWS_EXAMPLES, ...JWE_EXAMPLES, { section: SECOND_5_13 }].map(({ section }) => [
    grantOf(section),
    { tenant: grantOf(section), scopes: JOSE_SCOPES },
  ]),
);
const key = (name: string) => RFC_KEYS[name] as JWK;
const SUPPORTED_JWE = JWE_EXAMPLES.filter((e) => e.supported !== false);

describe('RFC 7520 examples', () => {
  let jose: JoseHarness | undefined;
  beforeAll(async () => {
    jose = await startJose({ grants: GRANTS });
  });
  afterAll(() => jose?.service.shutdown('test done'));
  const callsBySection = new Map<string, JoseCalls>();
  /** The calls of one example's tenant (one per section, so that set names stay unique). */
  function callsFor(section: string): JoseCalls {
    const made =
      callsBySection.get(section) ?? joseCalls(() => jose as JoseHarness, 'rfc', grantOf(section));
    callsBySection.set(section, made);
    return made;
  }

  /** Imports key `name` for `alg`, under the RFC's kid (`kidFormat: "jwk"`) unless told not to. */
  async function importKey(
    calls: JoseCalls,
    name: string,
    alg: string,
    options: { readonly keepKid?: boolean; readonly enc?: string } = {},
  ) {
    const { keepKid = true, enc } = options;
    const set = await calls.set({
      alg,
      jwk: key(name),
      ...(keepKid ? { kidFormat: 'jwk' } : {}),
      ...(enc === undefined ? {} : { enc }),
    });
    if (keepKid) expect(set.kid).toBe(key(name).kid);
    return set;
  }

  it.skipIf(skip)(
    "the fixtures are the RFC's: jwcrypto verifies and decrypts every one",
    async () => {
      const checks = [
        ...JWS_EXAMPLES.flatMap((example) =>
          jwsForms(example).flatMap(({ jws }) =>
            example.keys.map((name) => ({
              judged: {
                op: 'verify',
                jwk: publicOf(key(name)),
                jws,
                ...(example.detached ? { payload: b64(example.payload) } : {}),
              } satisfies JudgeCase,
              expected: { payload: b64(example.payload) },
            })),
          ),
        ),
        ...SUPPORTED_JWE.flatMap((example) =>
          jweForms(example).flatMap(({ jwe }) =>
            example.keys
              .filter((_, i) => example.algs[i] !== 'RSA1_5')
              .map((name) => ({
                judged: { op: 'decrypt', jwk: key(name), jwe } satisfies JudgeCase,
                expected: { plaintext: b64(example.plaintext) },
              })),
          ),
        ),
      ];
      const answers = await judge(checks.map((check) => check.judged));
      expect(answers).toEqual(
        checks.map(({ expected }): unknown => expect.objectContaining({ ok: true, ...expected })),
      );
    },
  );

  const jwsImports = new Map<string, Promise<{ sets: JoseSet[]; jws: JwsExample }>>();
  /** A JWS example's keys, imported once (the tests share them). */
  function jwsSets(example: JwsExample) {
    const made = jwsImports.get(example.section) ?? importJwsKeys(example);
    jwsImports.set(example.section, made);
    return made;
  }

  /** The sets of a JWS example, and the example with our kids where its kid is unprotected. */
  async function importJwsKeys(example: JwsExample): Promise<{ sets: JoseSet[]; jws: JwsExample }> {
    const calls = callsFor(example.section);
    if (example.section !== '4.8') {
      const sets = [await importKey(calls, example.keys[0] as string, example.algs[0] as string)];
      return { sets, jws: example };
    }
    // §4.8 gives its RSA and EC keys one kid, which cannot name two keys of one tenant; both
    // signatures carry it unprotected, so they name our kids instead. The HMAC kid is protected.
    const sets = [
      await importKey(calls, 'bilbo-rsa', 'RS256', { keepKid: false }),
      await importKey(calls, 'bilbo-ec', 'ES512', { keepKid: false }),
      await importKey(calls, 'hmac', 'HS256'),
    ];
    const signatures = example.general.signatures.map((signature, i) =>
      signature.header === undefined
        ? signature
        : { ...signature, header: { ...signature.header, kid: sets[i]?.kid } },
    );
    return { sets, jws: { ...example, general: { ...example.general, signatures } } };
  }

  it('verifies every JWS example in every serialization; a flipped byte fails (§4)', async () => {
    const imported = await Promise.all(JWS_EXAMPLES.map(jwsSets));
    const outcomes = await Promise.all(
      JWS_EXAMPLES.map(async (example, i) => {
        const calls = callsFor(example.section);
        const detached = example.detached ? { payload: example.payload } : {};
        const verify = async (jws: string | JoseJson) => {
          const res = await calls.post('/verify', { jws, ...detached });
          return [res.status, res.json()];
        };
        const forms = jwsForms((imported[i] as { jws: JwsExample }).jws);
        return {
          section: example.section,
          results: await Promise.all(
            forms.map(async ({ form, jws }) => ({
              form,
              valid: await verify(jws),
              tampered: await verify(
                typeof jws === 'string' ? tamperCompact(jws, 2) : tamperJson(jws),
              ),
            })),
          ),
        };
      }),
    );
    expect(outcomes).toEqual(
      JWS_EXAMPLES.map((example, i) => {
        const { sets, jws } = imported[i] as { sets: JoseSet[]; jws: JwsExample };
        const signatures = sets.map(({ id, alg, kid }) => ({
          valid: true,
          kid,
          alg,
          jwks: id,
          version: 1,
        }));
        const first = protectedOf(example.general.signatures[0]?.protected);
        const valid = {
          valid: true,
          payload: example.payload,
          payloadBase64url: b64(example.payload),
          ...(first === undefined ? {} : { protectedHeader: first }),
          signatures,
        };
        return {
          section: example.section,
          results: jwsForms(jws).map(({ form }) => ({
            form,
            valid: [200, valid],
            tampered: [200, expect.objectContaining({ valid: false, check: 'signature' })],
          })),
        };
      }),
    );
  });

  it("re-signs §4.1 (RS256), §4.4 (HS256) and §4.5 (detached) to the RFC's exact JWS", async () => {
    const sections = ['4.1', '4.4', '4.5'];
    const examples = sections.map((s) => JWS_EXAMPLES.find((e) => e.section === s) as JwsExample);
    const resigned = await Promise.all(
      examples.map(async (example) => {
        const [set] = (await jwsSets(example)).sets as [JoseSet];
        const { jws } = await callsFor(example.section).ok<{ jws: string }>('/sign', {
          jwks: set.id,
          payload: example.payload,
          ...(example.detached ? { detached: true } : {}),
        });
        return [example.section, jws];
      }),
    );
    expect(resigned).toEqual(examples.map((example) => [example.section, example.compact]));
  });

  /** Imports every supported key of a JWE example into its tenant. */
  async function jweSets(example: JweExample): Promise<JoseSet[]> {
    const calls = callsFor(example.section);
    const sets: JoseSet[] = [];
    for (const [i, name] of example.keys.entries()) {
      const alg = example.algs[i] as string;
      if (alg === 'RSA1_5') continue;
      sets.push(await importKey(calls, name, alg, alg === 'dir' ? { enc: example.enc } : {}));
    }
    return sets;
  }

  it('decrypts every JWE example we support in every serialization; a flipped tag fails (§5)', async () => {
    const outcomes = await Promise.all(
      SUPPORTED_JWE.map(async (example) => {
        const sets = await jweSets(example);
        const calls = callsFor(example.section);
        const results = await Promise.all(
          jweForms(example).map(async ({ form, jwe }) => {
            const opened = await calls.post('/decrypt', { jwe });
            const tampered = await calls.post('/decrypt', {
              jwe: typeof jwe === 'string' ? tamperCompact(jwe, 4) : tamperJson(jwe),
            });
            return {
              form,
              opened: [opened.status, opened.json()],
              tampered: [tampered.status, tampered.json()],
            };
          }),
        );
        return { section: example.section, kid: sets[0]?.kid, results };
      }),
    );
    expect(outcomes).toEqual(
      SUPPORTED_JWE.map((example) => {
        // The first recipient whose kid names one of the tenant's keys (§5.13: peregrin's).
        const kid = key(example.keys.find((_, i) => example.algs[i] !== 'RSA1_5') as string).kid;
        const general = example.general as { protected?: string; aad?: string } | undefined;
        const header = protectedOf(example.compact?.split('.')[0] ?? general?.protected);
        return {
          section: example.section,
          kid,
          results: jweForms(example).map(({ form }) => ({
            form,
            opened: [
              200,
              {
                plaintext: example.plaintext,
                plaintextBase64url: b64(example.plaintext),
                ...(header === undefined ? {} : { protectedHeader: header }),
                kid,
                ...(general?.aad === undefined ? {} : { aad: general.aad }),
              },
            ],
            tampered: [400, DECRYPTION_FAILED],
          })),
        };
      }),
    );
  });

  it('opens §5.13 with any one of its recipients the tenant holds (A256GCMKW here)', async () => {
    const example = JWE_EXAMPLES.find((e) => e.section === '5.13') as JweExample;
    const calls = callsFor(SECOND_5_13);
    await importKey(calls, 'gcmkw-a256', 'A256GCMKW');
    const res = await calls.post('/decrypt', { jwe: example.general });
    expect([res.status, res.json()]).toEqual([
      200,
      {
        plaintext: example.plaintext,
        plaintextBase64url: b64(example.plaintext),
        protectedHeader: { enc: 'A128CBC-HS256' },
        kid: key('gcmkw-a256').kid,
      },
    ]);
  });

  it('refuses RSA1_5 (§5.1) and PBES2 (§5.3) keys and JWEs with a 4xx', async () => {
    const rsa15 = JWE_EXAMPLES.find((e) => e.section === '5.1') as JweExample;
    const pbes2 = JWE_EXAMPLES.find((e) => e.section === '5.3') as JweExample;
    const calls = callsFor('5.1');
    const create = (body: Record<string, unknown>) =>
      calls.post('/jwks', { name: 'refused', use: useOf(String(body.alg)), ...body });
    const refusedSets = await Promise.all([
      create({ alg: 'RSA1_5', jwk: key('frodo-rsa') }),
      create({ alg: 'PBES2-HS512+A256KW' }),
    ]);
    expect(refusedSets.map((res) => [res.status, res.json<{ type: string }>().type])).toEqual([
      [400, 'urn:cryptoutil:problem:validation'],
      [400, 'urn:cryptoutil:problem:validation'],
    ]);
    // Frodo's key imported for RSA-OAEP: the kid matches, the RSA1_5 JWE still does not open.
    await importKey(calls, 'frodo-rsa', 'RSA-OAEP');
    const rsaJwe = await calls.post('/decrypt', { jwe: rsa15.compact });
    const pbesJwe = await calls.post('/decrypt', { jwe: pbes2.compact });
    expect([
      [rsaJwe.status, rsaJwe.json()],
      [pbesJwe.status, pbesJwe.json<{ type: string }>().type],
    ]).toEqual([
      [400, DECRYPTION_FAILED],
      [400, 'urn:cryptoutil:problem:unknown-kid'],
    ]);
  });
});
