// The JOSE operations: sign, verify, encrypt and decrypt, and the JWT operations built on them.
// Keys come from the key ring: the set's current version to sign and encrypt, the version a kid
// names to verify and decrypt (signature-keys, jwe-opener). Verify answers which check failed
// rather than throwing; every operation leaves an audit record (operation-log).
import type { JoseKey, KeyManagementAlgorithm, SigningAlgorithm } from '@cryptoutil/jwa';
import { JoseError } from '../domain/jose-error.js';
import { DEFAULT_ENC } from '../domain/key-set.js';
import { encryptJwe, type Jwe } from '../crypto/jwe.js';
import { parseJwe, parseJws, type ParsedJws, type ParsedSignature } from '../crypto/jose-input.js';
import { checkSignature, isUnencoded, signJws, signedPayload, type Jws } from '../crypto/jws.js';
import { createJweOpener } from './jwe-opener.js';
import { createJwtOperations } from './jwt-operations.js';
import { createOperationLog } from './operation-log.js';
import type {
  Caller,
  EncryptRequest,
  OperationsOptions,
  SignRequest,
  SignatureResult,
  VerifyRequest,
  VerifyResult,
} from './operation-types.js';
import type { CurrentKey } from './key-ring.js';
import { createSignatureKeys, critProblem } from './signature-keys.js';

export type * from './operation-types.js';

export function createOperations(options: OperationsOptions) {
  const { ring } = options;
  const now = options.now ?? Date.now;
  const log = createOperationLog(options.audit, options.metrics);
  const keys = createSignatureKeys({ ring, trustAnchors: options.trustAnchors, now });
  const openJwe = createJweOpener({
    ring,
    log,
    maxDecompressedBytes: options.maxDecompressedBytes,
  });

  /** The current key of `setId`, refused unless the set is for `use`. */
  function checkUse(current: CurrentKey, setId: string, use: 'sig' | 'enc'): CurrentKey {
    if (current.set.spec.use !== use) {
      throw new JoseError(
        'wrong-key-use',
        `the set ${setId} is for ${current.set.spec.use === 'sig' ? 'signing' : 'encryption'}`,
      );
    }
    return current;
  }

  async function currentFor(caller: Caller, setId: string, use: 'sig' | 'enc') {
    return checkUse(await ring.current(caller.tenantId, setId), setId, use);
  }

  /** `currentFor` when the key ring has it at once (the hot case: no promise), else undefined. */
  function currentNow(caller: Caller, setId: string, use: 'sig' | 'enc') {
    const current = ring.currentCached(caller.tenantId, setId);
    return current === undefined ? undefined : checkUse(current, setId, use);
  }

  /**
   * The current keys of several sets, in order. One set, the common case, is read without
   * `Promise.all` (its array, element closures and extra turn).
   */
  async function currentKeys(
    caller: Caller,
    targets: readonly { readonly setId: string }[],
    use: 'sig' | 'enc',
  ): Promise<CurrentKey[]> {
    if (targets.length === 1) {
      const { setId } = targets[0] as { readonly setId: string };
      return [await currentFor(caller, setId, use)];
    }
    return Promise.all(targets.map((t) => currentFor(caller, t.setId, use)));
  }

  /** `currentKeys` of one set the key ring has at once, else undefined. */
  function currentKeysNow(
    caller: Caller,
    targets: readonly { readonly setId: string }[],
    use: 'sig' | 'enc',
  ): CurrentKey[] | undefined {
    if (targets.length !== 1) return undefined;
    const current = currentNow(caller, (targets[0] as { readonly setId: string }).setId, use);
    return current === undefined ? undefined : [current];
  }

  async function verifyOne(
    caller: Caller,
    jws: ParsedJws,
    signature: ParsedSignature,
    request: VerifyRequest,
  ): Promise<{ result: SignatureResult; payload?: Uint8Array }> {
    // Objects of one shape throughout: members that do not apply are undefined.
    const header =
      signature.header === undefined
        ? signature.protectedHeader
        : { ...signature.header, ...signature.protectedHeader };
    const crit = critProblem(signature, true);
    if (crit !== undefined) return { result: { valid: false, check: 'crit', detail: crit } };
    const verifier =
      keys.verifierNow(caller.tenantId, header, request.algorithms, request.setId) ??
      (await keys.verifierFor(caller.tenantId, header, request.algorithms, request.setId));
    if (!verifier.ok) {
      const { check, detail, kid } = verifier;
      return { result: { valid: false, check, detail, kid } };
    }
    const payload = signedPayload(jws, signature, request.payload);
    if (payload === undefined) {
      throw new JoseError(
        'invalid-request',
        'the JWS is detached: give payload or payloadBase64url',
      );
    }
    const bytes = await checkSignature(signature, payload, verifier.key, verifier.alg);
    const valid = bytes !== false;
    const result = {
      valid,
      check: valid ? undefined : 'signature',
      detail: valid ? undefined : 'the signature does not verify',
      alg: verifier.alg,
      kid: verifier.kid,
      setId: verifier.setId,
      version: verifier.version,
    };
    return valid ? { result, payload: bytes } : { result };
  }

  async function encrypt(
    caller: Caller,
    request: EncryptRequest,
  ): Promise<{ jwe: Jwe; kids: string[] }> {
    const keys =
      currentKeysNow(caller, request.recipients, 'enc') ??
      (await currentKeys(caller, request.recipients, 'enc'));
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
      aad: request.aad,
      protectedHeader: request.protectedHeader,
      serialization: request.serialization,
      recipients: keys.map(({ set, loaded }, i) => ({
        kid: loaded.kid,
        alg: set.spec.alg as KeyManagementAlgorithm,
        key: loaded.keys.encryptKey as JoseKey,
        header: request.recipients[i]?.header,
      })),
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

  const jwts = createJwtOperations({
    jwt: options.jwt,
    now,
    newId: options.newId,
    log,
    keys,
    openJwe,
    currentFor,
    currentNow,
    encrypt,
  });

  return {
    async sign(caller: Caller, request: SignRequest): Promise<{ jws: Jws; kids: string[] }> {
      const keys =
        currentKeysNow(caller, request.signers, 'sig') ??
        (await currentKeys(caller, request.signers, 'sig'));
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
            protectedHeader: signer?.protectedHeader,
            header: signer?.header,
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
      const results: SignatureResult[] = [];
      let payload: Uint8Array | undefined;
      for (const signature of jws.signatures) {
        const one = await verifyOne(caller, jws, signature, request);
        results.push(one.result);
        payload ??= one.payload;
      }
      for (const r of results) {
        log(
          caller,
          'verify',
          {
            outcome: r.valid ? 'success' : 'failure',
            failure: r.check,
            setId: r.setId,
            version: r.version,
            kid: r.kid,
          },
          r.alg,
        );
      }
      const signatures = results;
      const failed = results.find((r) => !r.valid);
      if (failed) {
        return {
          valid: false,
          check: failed.check as string,
          detail: failed.detail as string,
          payload: undefined,
          payloadBase64url: undefined,
          protectedHeader: undefined,
          signatures,
        };
      }
      const first = jws.signatures[0] as ParsedSignature;
      const encoded = jws.payload !== undefined && !isUnencoded(first);
      return {
        valid: true,
        check: undefined,
        detail: undefined,
        payload: payload as Uint8Array,
        payloadBase64url: encoded ? jws.payload : undefined,
        protectedHeader: first.protected === undefined ? undefined : first.protectedHeader,
        signatures,
      };
    },

    encrypt,

    async decrypt(caller: Caller, input: unknown) {
      return openJwe(caller, parseJwe(input));
    },

    issueJwt: jwts.issueJwt,
    verifyJwt: jwts.verifyJwt,
  };
}

export type Operations = ReturnType<typeof createOperations>;
