// JWT issue and check (RFC 7519, RFC 8725 §3): the claims the service owns, the header it
// sets, and the one named check each way a token can fail, at a fixed clock.
import type { JoseKey } from '@cryptoutil/jwa';
import { decodeProtectedHeader, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isJoseError } from '../domain/jose-error.js';
import {
  checkJwt,
  JwtCheckFailure,
  jwtClaims,
  signJwt,
  type IssueOptions,
  type JwtCheck,
  type JwtRules,
} from './jwt.js';

const NOW = 1_700_000_000_000;
const IAT = 1_700_000_000;

let keys: { privateKey: JoseKey; publicKey: JoseKey };
let signer: { kid: string; alg: 'ES256'; key: JoseKey };

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  signer = { kid: 'k1', alg: 'ES256', key: keys.privateKey };
});

const base: IssueOptions = {
  claims: {},
  jti: 'jti-1',
  now: NOW + 999,
  lifetimeSeconds: 300,
  typ: 'JWT',
};

describe('jwtClaims', () => {
  it('sets iat from now (whole seconds), exp as iat + lifetime, and jti', () => {
    expect(jwtClaims({ ...base, claims: { scope: 'read', n: [1] } })).toEqual({
      scope: 'read',
      n: [1],
      iat: IAT,
      exp: IAT + 300,
      jti: 'jti-1',
    });
  });

  it('adds iss, sub, aud and nbf when given', () => {
    expect(
      jwtClaims({ ...base, iss: 'https://issuer', sub: 'alice', aud: ['a', 'b'], nbf: IAT + 5 }),
    ).toEqual({
      iss: 'https://issuer',
      sub: 'alice',
      aud: ['a', 'b'],
      nbf: IAT + 5,
      iat: IAT,
      exp: IAT + 300,
      jti: 'jti-1',
    });
  });

  it.each([
    ['iss', 'iss'],
    ['sub', 'sub'],
    ['aud', 'aud'],
    ['nbf', 'nbf'],
    ['jti', 'jti'],
    ['iat', 'lifetimeSeconds'],
    ['exp', 'lifetimeSeconds'],
  ])('refuses %s among the claims, pointing at the %s member', (name, member) => {
    try {
      jwtClaims({ ...base, claims: { [name]: undefined } });
    } catch (err) {
      expect(isJoseError(err, 'invalid-request')).toBe(true);
      expect((err as Error).message).toBe(`claims may not hold ${name}: use the ${member} member`);
      return;
    }
    throw new Error('accepted');
  });
});

describe('signJwt', () => {
  it('signs a compact JWT with alg, kid and typ in the header', async () => {
    const jwt = await signJwt(jwtClaims(base), signer, 'at+jwt');
    expect(jwt.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' });
  });

  it('refuses a typ that is not a string', async () => {
    await expect(signJwt({}, signer, 5 as unknown as string)).rejects.toSatisfy((err) =>
      isJoseError(err, 'invalid-header'),
    );
  });
});

const rules: JwtRules = { clockToleranceSeconds: 0, now: NOW };

/** The failed check of a token, asserting the error type. */
async function failure(jwt: string, overrides: Partial<JwtRules> = {}, key?: JoseKey) {
  try {
    await checkJwt(jwt, key ?? keys.publicKey, 'ES256', { ...rules, ...overrides });
  } catch (err) {
    expect(err).toBeInstanceOf(JwtCheckFailure);
    const { check, message, name } = err as JwtCheckFailure;
    expect(name).toBe('JwtCheckFailure');
    return { check, message };
  }
  throw new Error('the token passed');
}

const issue = (claims: JWTPayload, typ = 'JWT') => signJwt(claims, signer, typ);

describe('checkJwt', () => {
  it('answers the claims and protected header of a good token', async () => {
    const claims = jwtClaims({ ...base, iss: 'i', sub: 's', aud: 'a', claims: { scope: 'x' } });
    const result = await checkJwt(await issue(claims, 'at+jwt'), keys.publicKey, 'ES256', {
      ...rules,
      issuer: ['other', 'i'],
      audience: 'a',
      subject: 's',
      typ: 'at+jwt',
      requiredClaims: ['scope'],
      maxTokenAgeSeconds: 60,
    });
    expect(result).toEqual({
      claims,
      protectedHeader: { alg: 'ES256', kid: 'k1', typ: 'at+jwt' },
    });
  });

  it.each<[string, Record<string, unknown>, Partial<JwtRules>, JwtCheck, string]>([
    ['expired', { exp: IAT }, {}, 'exp', 'the token has expired'],
    ['exp not a number', { exp: 'soon' }, {}, 'exp', 'the exp check failed'],
    ['not yet valid', { nbf: IAT + 1 }, {}, 'nbf', 'the nbf check failed'],
    ['iat not a number', { iat: 'now' }, {}, 'iat', 'the iat check failed'],
    [
      'issued in the future',
      { iat: IAT + 61 },
      { clockToleranceSeconds: 60 },
      'iat',
      'the token was issued in the future',
    ],
    ['iss missing', {}, { issuer: 'i' }, 'iss', 'the iss claim is missing'],
    ['iss wrong', { iss: 'j' }, { issuer: ['i', 'k'] }, 'iss', 'the iss check failed'],
    ['aud missing', {}, { audience: 'a' }, 'aud', 'the aud claim is missing'],
    ['aud wrong', { aud: ['b', 'c'] }, { audience: ['a'] }, 'aud', 'the aud check failed'],
    ['sub missing', {}, { subject: 's' }, 'sub', 'the sub claim is missing'],
    ['sub wrong', { sub: 't' }, { subject: 's' }, 'sub', 'the sub check failed'],
    ['typ wrong', {}, { typ: 'at+jwt' }, 'typ', 'the typ check failed'],
    [
      'a required claim missing',
      { scope: 'x' },
      { requiredClaims: ['scope', 'tenant'] },
      'required-claim',
      'the required claim tenant is missing',
    ],
    [
      'a required time claim missing',
      {},
      { requiredClaims: ['exp'] },
      'exp',
      'the exp claim is missing',
    ],
    [
      'iat missing with a max age',
      {},
      { maxTokenAgeSeconds: 60 },
      'iat',
      'the iat claim is missing',
    ],
  ])('fails %s', async (_what, claims, overrides, check, message) => {
    expect(await failure(await issue(claims as JWTPayload), overrides)).toEqual({ check, message });
  });

  it('honours the clock tolerance for exp and nbf', async () => {
    const jwt = await issue({ exp: IAT, nbf: IAT + 5 });
    await expect(
      checkJwt(jwt, keys.publicKey, 'ES256', { ...rules, clockToleranceSeconds: 5 }),
    ).resolves.toBeDefined();
    expect(await failure(jwt, { clockToleranceSeconds: 4 })).toEqual({
      check: 'nbf',
      message: 'the nbf check failed',
    });
  });

  it('passes a token exactly maxTokenAgeSeconds old', async () => {
    const jwt = await issue({ iat: IAT - 60 });
    await expect(
      checkJwt(jwt, keys.publicKey, 'ES256', { ...rules, maxTokenAgeSeconds: 60 }),
    ).resolves.toBeDefined();
  });

  // jose reports a token older than maxTokenAge as JWTExpired with claim iat, not exp.
  it('fails a token older than maxTokenAgeSeconds as max-age', async () => {
    expect(await failure(await issue({ iat: IAT - 61 }), { maxTokenAgeSeconds: 60 })).toEqual({
      check: 'max-age',
      message: 'the token is older than maxTokenAgeSeconds',
    });
  });

  // An iat in the future is checked only with maxTokenAge, and is not "too old".
  it('fails an iat in the future as iat, not as too old', async () => {
    expect(await failure(await issue({ iat: IAT + 1 }), { maxTokenAgeSeconds: 60 })).toEqual({
      check: 'iat',
      message: 'the iat check failed',
    });
  });

  it('fails a signature made with another key', async () => {
    const other = await generateKeyPair('ES256');
    const jwt = await signJwt({}, { ...signer, key: other.privateKey }, 'JWT');
    expect(await failure(jwt)).toEqual({
      check: 'signature',
      message: 'the signature does not verify',
    });
  });

  it('fails an algorithm other than the key’s', async () => {
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    expect(await failure(jwt)).toEqual({ check: 'alg', message: 'the algorithm is not allowed' });
  });

  it('fails a critical extension it does not know', async () => {
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', crit: ['urn:ext'], 'urn:ext': 1 })
      .sign(keys.privateKey, { crit: { 'urn:ext': true } });
    expect(await failure(jwt)).toEqual({
      check: 'crit',
      message: 'the token uses an extension this service does not know',
    });
  });

  it.each([
    ['not a JWS', 'not-a-jwt'],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.e30'],
    ['a JWE', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn'],
  ])('fails %s as malformed', async (_what, jwt) => {
    expect(await failure(jwt)).toEqual({
      check: 'malformed',
      message: 'the token is not a well-formed JWT',
    });
  });

  it('fails a payload that is not a JSON object as malformed', async () => {
    const { CompactSign } = await import('jose');
    const jws = await new CompactSign(new TextEncoder().encode('[1]'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(keys.privateKey);
    expect((await failure(jws)).check).toBe('malformed');
  });

  it('rethrows what is not a JOSE failure', async () => {
    const jwt = await issue({});
    await expect(
      checkJwt(jwt, keys.publicKey, 'ES256', { ...rules, clockToleranceSeconds: -1 }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
