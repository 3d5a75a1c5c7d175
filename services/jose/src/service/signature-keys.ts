// Which key checks a signature: the version of the tenant its `kid` names (the key, not the
// header, decides the algorithm: RFC 8725 §3.1), or the leaf of an `x5c` chain that leads to a
// configured trust anchor. A signature no key may check answers the failed check by name.
import { SIGNING_ALGORITHMS, type JoseKey, type SigningAlgorithm } from '@cryptoutil/jwa';
import type { X509Certificate } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { stringMember, type Header, type ParsedSignature } from '../crypto/jose-input.js';
import type { JwtCheck } from '../crypto/jwt.js';
import { ChainError, validateChain } from '../crypto/x5c.js';
import type { KeyRing, KidKey } from './key-ring.js';
import type { LoadedVersion } from './key-vault.js';

/** A key that can check a signature, or the check that failed finding one. */
export type Verifier =
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

/** The same answer whether the kid is unknown or names another set than the one asked for. */
const UNKNOWN_KID = 'no key of this tenant has that kid';

const ASYMMETRIC_SIGNING = new Set<string>(SIGNING_ALGORITHMS.filter((a) => !a.startsWith('HS')));

function fail(check: JwtCheck, detail: string, kid?: string): Verifier {
  return { ok: false, check, detail, ...(kid === undefined ? {} : { kid }) };
}

/** `crit` we understand: only RFC 7797 `b64`, only in the protected header (RFC 7515 §4.1.11). */
export function critProblem(signature: ParsedSignature, allowB64: boolean): string | undefined {
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

export interface SignatureKeysOptions {
  readonly ring: KeyRing;
  readonly trustAnchors: readonly X509Certificate[];
  readonly now: () => number;
}

export function createSignatureKeys({ ring, trustAnchors, now }: SignatureKeysOptions) {
  async function x5cVerifier(header: Header, allowed: readonly string[] | undefined) {
    const alg = stringMember(header, 'alg');
    if (alg === undefined || !ASYMMETRIC_SIGNING.has(alg)) {
      return fail('alg', 'an x5c signature needs an asymmetric signing algorithm');
    }
    if (allowed !== undefined && !allowed.includes(alg))
      return fail('alg', `${alg} is not allowed`);
    try {
      const leaf = validateChain(header.x5c, trustAnchors, new Date(now()));
      const key = await importJWK(leaf.publicKey.export({ format: 'jwk' }) as JWK, alg);
      return { ok: true as const, key: key, alg: alg as SigningAlgorithm };
    } catch (err) {
      if (err instanceof ChainError) return fail('x5c', err.message);
      return fail('x5c', 'the leaf certificate key does not fit the algorithm');
    }
  }

  /** Why the version `kid` names may not check this signature, or undefined when it may. */
  function kidProblem(
    found: KidKey,
    kid: string,
    header: Header,
    allowed: readonly string[] | undefined,
    setId: string | undefined,
  ): Verifier | undefined {
    if (setId !== undefined && found.set.id !== setId) {
      return fail('kid', UNKNOWN_KID, kid);
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
    return undefined;
  }

  function kidVerifier(found: KidKey, loaded: LoadedVersion, kid: string): Verifier {
    return {
      ok: true,
      key: loaded.keys.verifyKey as JoseKey,
      alg: found.set.spec.alg as SigningAlgorithm,
      kid,
      setId: found.set.id,
      version: found.version.version,
    };
  }

  /** The key for a signature's headers: by x5c, or by the kid among the tenant's versions. */
  async function verifierFor(
    tenantId: string,
    header: Header,
    allowed: readonly string[] | undefined,
    setId: string | undefined,
  ): Promise<Verifier> {
    const kid = stringMember(header, 'kid');
    if (kid === undefined && header.x5c !== undefined) return x5cVerifier(header, allowed);
    if (kid === undefined) return fail('kid', 'the signature names no kid');
    const found = await ring.byKid(tenantId, kid);
    if (found === undefined) return fail('kid', UNKNOWN_KID, kid);
    const problem = kidProblem(found, kid, header, allowed, setId);
    if (problem !== undefined) return problem;
    return kidVerifier(found, await ring.load(found), kid);
  }

  /**
   * `verifierFor` when the key ring has the kid's version and its key at once (the hot case: no
   * promise), else undefined.
   */
  function verifierNow(
    tenantId: string,
    header: Header,
    allowed: readonly string[] | undefined,
    setId: string | undefined,
  ): Verifier | undefined {
    const kid = stringMember(header, 'kid');
    if (kid === undefined) return undefined;
    const found = ring.byKidCached(tenantId, kid);
    if (found === undefined) return undefined;
    const problem = kidProblem(found, kid, header, allowed, setId);
    if (problem !== undefined) return problem;
    const loaded = ring.loadedNow(found);
    return loaded === undefined ? undefined : kidVerifier(found, loaded, kid);
  }

  return { verifierFor, verifierNow };
}

export type SignatureKeys = ReturnType<typeof createSignatureKeys>;
