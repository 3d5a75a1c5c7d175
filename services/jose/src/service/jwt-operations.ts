// JWT issue and verify (RFC 7519) on the operations' keys: issue signs the claims the service
// completes (iat, exp, jti) with a set's current version, and nests the JWT in a JWE on request
// (`cty: JWT`); verify opens a nested JWT first, finds the signature's key as verify does, and
// answers the first failed check by name instead of throwing.
import type { JoseKey, SigningAlgorithm } from '@cryptoutil/jwa';
import type { AuditEntry } from '../domain/audit.js';
import { JoseError } from '../domain/jose-error.js';
import { parseJwe, parseJws, type ParsedJwe, type ParsedSignature } from '../crypto/jose-input.js';
import { checkJwt, JwtCheckFailure, jwtClaims, signJwt, type JwtCheck } from '../crypto/jwt.js';
import type { Jwe } from '../crypto/jwe.js';
import type { JweOpener } from './jwe-opener.js';
import type { CurrentKey } from './key-ring.js';
import type { OperationLog } from './operation-log.js';
import type {
  Caller,
  EncryptRequest,
  IssueRequest,
  JwtVerifyRequest,
  JwtVerifyResult,
  OperationsOptions,
} from './operation-types.js';
import { critProblem, type SignatureKeys } from './signature-keys.js';

export interface JwtOperationsDeps {
  readonly jwt: OperationsOptions['jwt'];
  readonly now: () => number;
  readonly newId: () => string;
  readonly log: OperationLog;
  readonly keys: SignatureKeys;
  readonly openJwe: JweOpener;
  readonly currentFor: (caller: Caller, setId: string, use: 'sig' | 'enc') => Promise<CurrentKey>;
  readonly currentNow: (
    caller: Caller,
    setId: string,
    use: 'sig' | 'enc',
  ) => CurrentKey | undefined;
  readonly encrypt: (caller: Caller, request: EncryptRequest) => Promise<{ jwe: Jwe }>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function createJwtOperations(deps: JwtOperationsDeps) {
  const { jwt: limits, now, newId, log, keys, openJwe, currentFor, currentNow, encrypt } = deps;

  async function verifyJwtInner(
    caller: Caller,
    request: JwtVerifyRequest,
  ): Promise<JwtVerifyResult & { audit: Omit<AuditEntry, 'operation' | 'outcome'>; alg?: string }> {
    let token = request.jwt;
    const parts = token.split('.');
    if (parts.length === 5) {
      let jwe: ParsedJwe;
      try {
        jwe = parseJwe(token);
      } catch {
        return {
          valid: false,
          check: 'malformed',
          detail: 'the token is not a well-formed JWE',
          audit: {},
        };
      }
      try {
        token = utf8.decode((await openJwe(caller, jwe)).plaintext);
      } catch (err) {
        const check: JwtCheck =
          err instanceof JoseError && err.code === 'unknown-kid'
            ? 'kid'
            : err instanceof JoseError && err.code === 'key-retired'
              ? 'retired'
              : 'decryption';
        if (err instanceof JoseError)
          return { valid: false, check, detail: err.message, audit: {} };
        throw err;
      }
    }
    if (token.split('.').length !== 3) {
      return {
        valid: false,
        check: 'malformed',
        detail: 'a JWT is a compact JWS or a JWE holding one',
        audit: {},
      };
    }
    let signature: ParsedSignature;
    try {
      signature = parseJws(token).signatures[0] as ParsedSignature;
    } catch {
      return {
        valid: false,
        check: 'malformed',
        detail: 'the token is not a well-formed JWT',
        audit: {},
      };
    }
    // RFC 7797 §7: JWTs do not use unencoded payloads, so no crit at all is understood here.
    const crit = critProblem(signature, false);
    if (crit !== undefined) return { valid: false, check: 'crit', detail: crit, audit: {} };
    const header = signature.protectedHeader;
    const verifier =
      keys.verifierNow(caller.tenantId, header, request.algorithms, undefined) ??
      (await keys.verifierFor(caller.tenantId, header, request.algorithms, undefined));
    if (!verifier.ok) {
      return {
        valid: false,
        check: verifier.check,
        detail: verifier.detail,
        audit: verifier.kid === undefined ? {} : { kid: verifier.kid },
      };
    }
    const where = {
      ...(verifier.kid === undefined ? {} : { kid: verifier.kid }),
      ...(verifier.setId === undefined ? {} : { setId: verifier.setId }),
      ...(verifier.version === undefined ? {} : { version: verifier.version }),
    };
    const tolerance = request.clockToleranceSeconds ?? 0;
    if (tolerance > limits.maxClockToleranceSeconds) {
      throw new JoseError(
        'invalid-request',
        `clockToleranceSeconds is at most ${limits.maxClockToleranceSeconds}`,
      );
    }
    try {
      const { claims, protectedHeader } = await checkJwt(token, verifier.key, verifier.alg, {
        ...(request.issuer === undefined ? {} : { issuer: request.issuer }),
        ...(request.audience === undefined ? {} : { audience: request.audience }),
        ...(request.subject === undefined ? {} : { subject: request.subject }),
        ...(request.typ === undefined ? {} : { typ: request.typ }),
        ...(request.requiredClaims === undefined ? {} : { requiredClaims: request.requiredClaims }),
        ...(request.maxTokenAgeSeconds === undefined
          ? {}
          : { maxTokenAgeSeconds: request.maxTokenAgeSeconds }),
        clockToleranceSeconds: tolerance,
        now: now(),
      });
      return {
        valid: true,
        claims,
        protectedHeader,
        ...(verifier.kid === undefined ? {} : { kid: verifier.kid }),
        audit: where,
        alg: verifier.alg,
      };
    } catch (err) {
      if (err instanceof JwtCheckFailure)
        return {
          valid: false,
          check: err.check,
          detail: err.message,
          audit: where,
          alg: verifier.alg,
        };
      throw err;
    }
  }

  async function issueJwt(caller: Caller, request: IssueRequest) {
    const lifetime = request.lifetimeSeconds ?? limits.defaultLifetimeSeconds;
    if (lifetime > limits.maxLifetimeSeconds) {
      throw new JoseError(
        'invalid-request',
        `lifetimeSeconds is at most ${limits.maxLifetimeSeconds}`,
      );
    }
    const { set, loaded } =
      currentNow(caller, request.setId, 'sig') ?? (await currentFor(caller, request.setId, 'sig'));
    const claims = jwtClaims({
      claims: request.claims,
      iss: request.iss,
      sub: request.sub,
      aud: request.aud,
      nbf: request.nbf,
      jti: request.jti ?? newId(),
      now: now(),
      lifetimeSeconds: lifetime,
      typ: request.typ,
    });
    let jwt = await signJwt(
      claims,
      {
        kid: loaded.kid,
        alg: set.spec.alg as SigningAlgorithm,
        key: loaded.keys.signKey as JoseKey,
      },
      request.typ,
    );
    if (request.encryptTo !== undefined) {
      const nested = await encrypt(caller, {
        recipients: [{ setId: request.encryptTo.setId }],
        plaintext: new TextEncoder().encode(jwt),
        serialization: 'compact',
        ...(request.encryptTo.enc === undefined ? {} : { enc: request.encryptTo.enc }),
        zip: false,
        protectedHeader: { cty: 'JWT' },
      });
      jwt = nested.jwe as string;
    }
    log(
      caller,
      'jwt-issue',
      { outcome: 'success', setId: set.id, version: loaded.version, kid: loaded.kid },
      set.spec.alg,
    );
    return { jwt, kid: loaded.kid, claims };
  }

  async function verifyJwt(caller: Caller, request: JwtVerifyRequest): Promise<JwtVerifyResult> {
    const { audit: where, alg, ...result } = await verifyJwtInner(caller, request);
    log(
      caller,
      'jwt-verify',
      {
        outcome: result.valid ? 'success' : 'failure',
        ...(result.valid ? {} : { failure: result.check }),
        ...where,
      },
      alg,
    );
    return result;
  }

  return { issueJwt, verifyJwt };
}
