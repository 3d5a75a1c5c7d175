// The JOSE operations: sign, verify, encrypt, decrypt, jwt/issue and jwt/verify. Keys come from
// the key ring: the set's current version to sign and encrypt, the version a kid names to
// verify and decrypt (or, for a signature with x5c, the certificate chain's leaf). Verify
// answers which check failed rather than throwing; every operation leaves an audit record.
import {
  CONTENT_ENCRYPTIONS,
  SIGNING_ALGORITHMS,
  type ContentEncryption,
  type JoseKey,
  type KeyManagementAlgorithm,
  type SigningAlgorithm,
} from '@cryptoutil/jwa';
import type { CryptoOperationCounter } from '@cryptoutil/telemetry';
import type { X509Certificate } from 'node:crypto';
import { importJWK, type JWK, type JWTPayload } from 'jose';
import type { AuditActor, AuditEntry, AuditOperation } from '../domain/audit.js';
import { JoseError } from '../domain/jose-error.js';
import { DEFAULT_ENC } from '../domain/key-set.js';
import { decryptFor, encryptJwe, type Jwe } from '../crypto/jwe.js';
import {
  parseJwe,
  parseJws,
  stringMember,
  type Header,
  type ParsedJwe,
  type ParsedJws,
  type ParsedSignature,
  type Serialization,
} from '../crypto/jose-input.js';
import { checkSignature, signJws, signedPayload, type Jws } from '../crypto/jws.js';
import { checkJwt, JwtCheckFailure, jwtClaims, signJwt, type JwtCheck } from '../crypto/jwt.js';
import { ChainError, validateChain } from '../crypto/x5c.js';
import type { AuditLog } from './audit-log.js';
import type { KeyRing } from './key-ring.js';

export interface OperationsOptions {
  readonly ring: KeyRing;
  readonly audit: AuditLog;
  readonly trustAnchors: readonly X509Certificate[];
  readonly maxDecompressedBytes: number;
  readonly jwt: {
    readonly defaultLifetimeSeconds: number;
    readonly maxLifetimeSeconds: number;
    readonly maxClockToleranceSeconds: number;
  };
  readonly now?: () => number;
  readonly newId: () => string;
  /** Counts operations by algorithm and outcome (absent: telemetry is off). */
  readonly metrics?: CryptoOperationCounter;
}

export interface Caller {
  readonly tenantId: string;
  readonly actor: AuditActor;
}

export interface SignRequest {
  readonly signers: readonly { setId: string; protectedHeader?: Header; header?: Header }[];
  readonly payload: Uint8Array;
  readonly serialization: Serialization;
  readonly detached: boolean;
  readonly b64: boolean;
}

export interface SignatureResult {
  readonly valid: boolean;
  readonly check?: string;
  readonly detail?: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly setId?: string;
  readonly version?: number;
}

export interface VerifyRequest {
  readonly jws: unknown;
  readonly payload?: Uint8Array;
  readonly algorithms?: readonly string[];
  readonly setId?: string;
}

export interface VerifyResult {
  readonly valid: boolean;
  readonly check?: string;
  readonly detail?: string;
  readonly payload?: Uint8Array;
  readonly protectedHeader?: Header;
  readonly signatures: readonly SignatureResult[];
}

export interface EncryptRequest {
  readonly recipients: readonly { setId: string; header?: Header }[];
  readonly plaintext: Uint8Array;
  readonly serialization: 'compact' | 'json';
  readonly enc?: ContentEncryption;
  readonly zip: boolean;
  readonly aad?: Uint8Array;
  readonly protectedHeader?: Header;
}

export interface IssueRequest {
  readonly setId: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly iss?: string | undefined;
  readonly sub?: string | undefined;
  readonly aud?: string | readonly string[] | undefined;
  readonly lifetimeSeconds?: number | undefined;
  readonly jti?: string | undefined;
  readonly nbf?: number | undefined;
  readonly typ: string;
  readonly encryptTo?:
    { readonly setId: string; readonly enc?: ContentEncryption | undefined } | undefined;
}

export interface JwtVerifyRequest {
  readonly jwt: string;
  readonly algorithms?: readonly string[] | undefined;
  readonly issuer?: string | readonly string[] | undefined;
  readonly audience?: string | readonly string[] | undefined;
  readonly subject?: string | undefined;
  readonly typ?: string | undefined;
  readonly requiredClaims?: readonly string[] | undefined;
  readonly clockToleranceSeconds?: number | undefined;
  readonly maxTokenAgeSeconds?: number | undefined;
}

export type JwtVerifyResult =
  | {
      readonly valid: true;
      readonly claims: JWTPayload;
      readonly protectedHeader: Header;
      readonly kid?: string;
    }
  | { readonly valid: false; readonly check: JwtCheck; readonly detail: string };

/** A key that can check a signature, or the check that failed finding one. */
type Verifier =
  | {
      readonly ok: true;
      readonly key: JoseKey;
      readonly alg: SigningAlgorithm;
      readonly kid?: string;
      readonly setId?: string;
      readonly version?: number;
    }
  | {
      readonly ok: false;
      readonly check: JwtCheck;
      readonly detail: string;
      readonly kid?: string;
    };

const ASYMMETRIC_SIGNING = new Set<string>(SIGNING_ALGORITHMS.filter((a) => !a.startsWith('HS')));
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(check: JwtCheck, detail: string, kid?: string): Verifier {
  return { ok: false, check, detail, ...(kid === undefined ? {} : { kid }) };
}

/** `crit` we understand: only RFC 7797 `b64`, only in the protected header (RFC 7515 §4.1.11). */
function critProblem(signature: ParsedSignature, allowB64: boolean): string | undefined {
  if (signature.header !== undefined && ('crit' in signature.header || 'b64' in signature.header)) {
    return 'crit and b64 must be in the protected header';
  }
  const { crit, b64 } = signature.protectedHeader;
  if (b64 !== undefined && typeof b64 !== 'boolean') return 'b64 must be a boolean';
  if (crit === undefined) return b64 === false ? 'b64: false must be listed in crit' : undefined;
  if (!Array.isArray(crit) || crit.length === 0) return 'crit must be a non-empty array';
  for (const name of crit) {
    if (name !== 'b64' || !allowB64)
      return `the critical extension ${String(name)} is not understood`;
  }
  return undefined;
}

export function createOperations(options: OperationsOptions) {
  const { ring, audit } = options;
  const now = options.now ?? Date.now;

  const { metrics } = options;
  /** The audit record of an operation, and its count by algorithm when metrics are on. */
  const log = (
    caller: Caller,
    operation: AuditOperation,
    entry: Omit<AuditEntry, 'operation'>,
    algorithm = 'unknown',
  ) => {
    audit.record(caller.tenantId, caller.actor, { operation, ...entry });
    metrics?.add({ product: 'jose', operation, algorithm, outcome: entry.outcome });
  };

  async function currentFor(caller: Caller, setId: string, use: 'sig' | 'enc') {
    const current = await ring.current(caller.tenantId, setId);
    if (current.set.spec.use !== use) {
      throw new JoseError(
        'wrong-key-use',
        `the set ${setId} is for ${current.set.spec.use === 'sig' ? 'signing' : 'encryption'}`,
      );
    }
    return current;
  }

  async function x5cVerifier(header: Header, allowed: readonly string[] | undefined) {
    const alg = stringMember(header, 'alg');
    if (alg === undefined || !ASYMMETRIC_SIGNING.has(alg)) {
      return fail('alg', 'an x5c signature needs an asymmetric signing algorithm');
    }
    if (allowed !== undefined && !allowed.includes(alg))
      return fail('alg', `${alg} is not allowed`);
    try {
      const leaf = validateChain(header.x5c, options.trustAnchors, new Date(now()));
      const key = await importJWK(leaf.publicKey.export({ format: 'jwk' }) as JWK, alg);
      return { ok: true as const, key: key, alg: alg as SigningAlgorithm };
    } catch (err) {
      if (err instanceof ChainError) return fail('x5c', err.message);
      return fail('x5c', 'the leaf certificate key does not fit the algorithm');
    }
  }

  /** The key for a signature's headers: by x5c, or by the kid among the tenant's versions. */
  async function verifierFor(
    caller: Caller,
    header: Header,
    allowed: readonly string[] | undefined,
    setId: string | undefined,
  ): Promise<Verifier> {
    const kid = stringMember(header, 'kid');
    if (kid === undefined && header.x5c !== undefined) return x5cVerifier(header, allowed);
    if (kid === undefined) return fail('kid', 'the signature names no kid');
    const found = await ring.byKid(caller.tenantId, kid);
    if (!found || (setId !== undefined && found.set.id !== setId)) {
      return fail('kid', 'no key of this tenant has that kid', kid);
    }
    if (found.set.spec.use !== 'sig') return fail('kid', 'the kid names an encryption key', kid);
    if (found.version.status === 'retired')
      return fail('retired', 'the key version is retired', kid);
    const alg = found.set.spec.alg as SigningAlgorithm;
    // RFC 8725 §3.1: the key decides the algorithm, so an HS256 "signed" with an RSA public key
    // (or any other alg) never reaches a verify call.
    if (header.alg !== alg)
      return fail('alg', `the key is for ${alg}, not ${String(header.alg)}`, kid);
    if (allowed !== undefined && !allowed.includes(alg))
      return fail('alg', `${alg} is not allowed`, kid);
    const loaded = await ring.load(found);
    return {
      ok: true,
      key: loaded.keys.verifyKey as JoseKey,
      alg,
      kid,
      setId: found.set.id,
      version: found.version.version,
    };
  }

  async function verifyOne(
    caller: Caller,
    jws: ParsedJws,
    signature: ParsedSignature,
    request: VerifyRequest,
  ): Promise<SignatureResult & { payload?: Uint8Array }> {
    const header = { ...signature.header, ...signature.protectedHeader };
    const crit = critProblem(signature, true);
    if (crit !== undefined) return { valid: false, check: 'crit', detail: crit };
    const verifier = await verifierFor(caller, header, request.algorithms, request.setId);
    if (!verifier.ok) {
      const { check, detail, kid } = verifier;
      return { valid: false, check, detail, ...(kid === undefined ? {} : { kid }) };
    }
    const payload = signedPayload(jws, signature, request.payload);
    if (payload === undefined) {
      throw new JoseError(
        'invalid-request',
        'the JWS is detached: give payload or payloadBase64url',
      );
    }
    const where = {
      alg: verifier.alg,
      ...(verifier.kid === undefined ? {} : { kid: verifier.kid }),
      ...(verifier.setId === undefined ? {} : { setId: verifier.setId }),
      ...(verifier.version === undefined ? {} : { version: verifier.version }),
    };
    const bytes = await checkSignature(signature, payload, verifier.key, verifier.alg);
    if (bytes === false) {
      return {
        valid: false,
        check: 'signature',
        detail: 'the signature does not verify',
        ...where,
      };
    }
    return { valid: true, ...where, payload: bytes };
  }

  async function openJwe(caller: Caller, jwe: ParsedJwe) {
    let retired: string | undefined;
    for (const recipient of jwe.recipients) {
      const kid = stringMember(recipient.joseHeader, 'kid');
      if (kid === undefined) continue;
      const found = await ring.byKid(caller.tenantId, kid);
      if (!found || found.set.spec.use !== 'enc') continue;
      if (found.version.status === 'retired') {
        retired = kid;
        continue;
      }
      const { spec } = found.set;
      const where = { setId: found.set.id, version: found.version.version, kid };
      if (recipient.joseHeader.alg !== spec.alg) {
        log(
          caller,
          'decrypt',
          { outcome: 'failure', failure: 'decryption-failed', ...where },
          spec.alg,
        );
        throw new JoseError('decryption-failed', 'decryption failed');
      }
      const loaded = await ring.load(found);
      const encs = spec.alg === 'dir' ? [spec.enc as ContentEncryption] : CONTENT_ENCRYPTIONS;
      try {
        const result = await decryptFor(
          jwe,
          recipient,
          loaded.keys.decryptKey as JoseKey,
          spec.alg as KeyManagementAlgorithm,
          encs,
          options.maxDecompressedBytes,
        );
        log(caller, 'decrypt', { outcome: 'success', ...where }, spec.alg);
        return { ...result, kid };
      } catch (err) {
        log(
          caller,
          'decrypt',
          { outcome: 'failure', failure: 'decryption-failed', ...where },
          spec.alg,
        );
        throw err;
      }
    }
    if (retired !== undefined) {
      log(caller, 'decrypt', { outcome: 'failure', failure: 'key-retired', kid: retired });
      throw new JoseError('key-retired', 'the key version this JWE was made for is retired');
    }
    log(caller, 'decrypt', { outcome: 'failure', failure: 'unknown-kid' });
    throw new JoseError('unknown-kid', 'no recipient of this JWE names a key of this tenant');
  }

  async function encrypt(
    caller: Caller,
    request: EncryptRequest,
  ): Promise<{ jwe: Jwe; kids: string[] }> {
    const keys = await Promise.all(
      request.recipients.map((r) => currentFor(caller, r.setId, 'enc')),
    );
    const first = keys[0];
    if (first === undefined) throw new JoseError('invalid-request', 'at least one recipient');
    const enc = request.enc ?? first.set.spec.enc ?? DEFAULT_ENC;
    for (const { set } of keys) {
      if (set.spec.alg === 'dir' && set.spec.enc !== enc) {
        throw new JoseError(
          'invalid-request',
          `the dir set ${set.id} encrypts with ${String(set.spec.enc)} only`,
        );
      }
    }
    const jwe = await encryptJwe({
      plaintext: request.plaintext,
      enc,
      zip: request.zip,
      ...(request.aad === undefined ? {} : { aad: request.aad }),
      ...(request.protectedHeader === undefined
        ? {}
        : { protectedHeader: request.protectedHeader }),
      serialization: request.serialization,
      recipients: keys.map(({ set, loaded }, i) => {
        const header = request.recipients[i]?.header;
        return {
          kid: loaded.kid,
          alg: set.spec.alg as KeyManagementAlgorithm,
          key: loaded.keys.encryptKey as JoseKey,
          ...(header === undefined ? {} : { header }),
        };
      }),
    });
    for (const { set, loaded } of keys) {
      log(
        caller,
        'encrypt',
        { outcome: 'success', setId: set.id, version: loaded.version, kid: loaded.kid },
        set.spec.alg,
      );
    }
    return { jwe, kids: keys.map((k) => k.loaded.kid) };
  }

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
    const verifier = await verifierFor(
      caller,
      signature.protectedHeader,
      request.algorithms,
      undefined,
    );
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
    if (tolerance > options.jwt.maxClockToleranceSeconds) {
      throw new JoseError(
        'invalid-request',
        `clockToleranceSeconds is at most ${options.jwt.maxClockToleranceSeconds}`,
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

  return {
    async sign(caller: Caller, request: SignRequest): Promise<{ jws: Jws; kids: string[] }> {
      const keys = await Promise.all(
        request.signers.map((s) => currentFor(caller, s.setId, 'sig')),
      );
      const jws = await signJws({
        payload: request.payload,
        serialization: request.serialization,
        detached: request.detached,
        b64: request.b64,
        signers: keys.map(({ set, loaded }, i) => {
          const signer = request.signers[i];
          return {
            kid: loaded.kid,
            alg: set.spec.alg as SigningAlgorithm,
            key: loaded.keys.signKey as JoseKey,
            ...(signer?.protectedHeader === undefined
              ? {}
              : { protectedHeader: signer.protectedHeader }),
            ...(signer?.header === undefined ? {} : { header: signer.header }),
          };
        }),
      });
      for (const { set, loaded } of keys) {
        log(
          caller,
          'sign',
          { outcome: 'success', setId: set.id, version: loaded.version, kid: loaded.kid },
          set.spec.alg,
        );
      }
      return { jws, kids: keys.map((k) => k.loaded.kid) };
    },

    async verify(caller: Caller, request: VerifyRequest): Promise<VerifyResult> {
      const jws = parseJws(request.jws);
      const results = [];
      for (const signature of jws.signatures) {
        results.push(await verifyOne(caller, jws, signature, request));
      }
      for (const r of results) {
        log(
          caller,
          'verify',
          {
            outcome: r.valid ? 'success' : 'failure',
            ...(r.check === undefined ? {} : { failure: r.check }),
            ...(r.setId === undefined ? {} : { setId: r.setId }),
            ...(r.version === undefined ? {} : { version: r.version }),
            ...(r.kid === undefined ? {} : { kid: r.kid }),
          },
          r.alg,
        );
      }
      const signatures = results.map((r) => {
        const summary: Partial<typeof r> = { ...r };
        delete summary.payload;
        return summary as SignatureResult;
      });
      const failed = results.find((r) => !r.valid);
      if (failed) {
        return {
          valid: false,
          check: failed.check as string,
          detail: failed.detail as string,
          signatures,
        };
      }
      const first = jws.signatures[0] as ParsedSignature;
      return {
        valid: true,
        payload: results[0]?.payload as Uint8Array,
        ...(first.protected === undefined ? {} : { protectedHeader: first.protectedHeader }),
        signatures,
      };
    },

    encrypt,

    async decrypt(caller: Caller, input: unknown) {
      return openJwe(caller, parseJwe(input));
    },

    async issueJwt(caller: Caller, request: IssueRequest) {
      const lifetime = request.lifetimeSeconds ?? options.jwt.defaultLifetimeSeconds;
      if (lifetime > options.jwt.maxLifetimeSeconds) {
        throw new JoseError(
          'invalid-request',
          `lifetimeSeconds is at most ${options.jwt.maxLifetimeSeconds}`,
        );
      }
      const { set, loaded } = await currentFor(caller, request.setId, 'sig');
      const claims = jwtClaims({
        claims: request.claims,
        ...(request.iss === undefined ? {} : { iss: request.iss }),
        ...(request.sub === undefined ? {} : { sub: request.sub }),
        ...(request.aud === undefined ? {} : { aud: request.aud }),
        ...(request.nbf === undefined ? {} : { nbf: request.nbf }),
        jti: request.jti ?? options.newId(),
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
    },

    async verifyJwt(caller: Caller, request: JwtVerifyRequest): Promise<JwtVerifyResult> {
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
    },
  };
}

export type Operations = ReturnType<typeof createOperations>;
