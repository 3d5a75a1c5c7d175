// The OCSP responder (RFC 6960) of every CA with a key: a request's CertIDs name the issuer by
// hashes of its name and key (§4.1.1), which pick the CA and its delegated responder (§4.2.2.2);
// each serial is good, revoked (with time and reason) or unknown (never issued here). Answers to
// requests without a nonce are pre-signed and reused, keyed by the request's bytes, until the
// CA's revocations change or half their validity has passed; a request with a nonce (RFC 8954)
// is signed afresh to carry it. Errors are the protocol's own statuses, never a problem body.
import { createKeyCache, isBarrierError } from '@cryptoutil/barrier';
import { matchesIssuer, ocspIssuerIdsOf, type OcspIssuerIds } from '../crypto/ocsp-issuer.js';
import { OcspRequestError, parseOcspRequest, type OcspCertId } from '../crypto/ocsp-request.js';
import {
  createOcspSigner,
  ocspErrorResponse,
  type OcspCertStatus,
} from '../crypto/ocsp-response.js';
import type { SigningCa } from '../crypto/signing-ca.js';
import type { CaStore } from '../store/ca-store.js';
import type { Authority, Hierarchy } from './hierarchy.js';
import type { Revisions } from './revisions.js';

export interface OcspResponder {
  /** The DER OCSPResponse for a DER OCSPRequest; never throws for bad input. */
  respond(request: Uint8Array): Promise<Uint8Array>;
}

export interface OcspResponderOptions {
  readonly store: CaStore;
  readonly hierarchy: Hierarchy;
  readonly revisions: Revisions;
  readonly validityHours: number;
  /** Pre-signed responses kept (an LRU). */
  readonly cacheSize?: number;
  readonly now?: () => number;
  /** Told of failures answered as internalError (the cause never reaches the client). */
  readonly onError?: (err: unknown) => void;
}

interface Cached {
  readonly caId: string;
  readonly revision: number;
  readonly reuseUntil: number;
  readonly response: Uint8Array;
}

const HOUR_MS = 3_600_000;

export function createOcspResponder(options: OcspResponderOptions): OcspResponder {
  const { store, hierarchy, revisions } = options;
  const now = options.now ?? Date.now;
  const cache = createKeyCache<Cached>(options.cacheSize ?? 10_000);
  const issuerIds = new WeakMap<Authority, OcspIssuerIds>();
  const signers = new WeakMap<SigningCa, ReturnType<typeof createOcspSigner>>();

  function issuerOf(certId: OcspCertId): Authority | undefined {
    for (const authority of hierarchy.list()) {
      let ids = issuerIds.get(authority);
      if (ids === undefined) {
        ids = ocspIssuerIdsOf(authority.certificate);
        issuerIds.set(authority, ids);
      }
      if (matchesIssuer(certId, ids)) return authority;
    }
    return undefined;
  }

  async function statusOf(caId: string, serial: string): Promise<OcspCertStatus> {
    return (await store.certificates.statusOf(caId, serial)) ?? { status: 'unknown' };
  }

  async function answer(request: Uint8Array, cacheKey: string | undefined): Promise<Uint8Array> {
    const parsed = parseOcspRequest(request);
    // Until the hierarchy is read (a start with the barrier sealed) no CA is known: tryLater,
    // not unauthorized, through the sealed error `ready` throws.
    await hierarchy.ready();
    const authorities = parsed.certIds.map(issuerOf);
    const authority = authorities[0];
    // §2.3: a responder that is not authoritative for the issuer answers `unauthorized`; one
    // response is signed by one responder, so every CertID must name the same CA.
    if (authority === undefined || authorities.some((a) => a !== authority)) {
      return ocspErrorResponse('unauthorized');
    }
    const responder = await authority.ocspResponder();
    if (responder === undefined) return ocspErrorResponse('unauthorized');
    const revision = revisions.current(authority.id);
    const at = Math.floor(now() / 1000) * 1000;
    const thisUpdate = new Date(at);
    const nextUpdate = new Date(at + options.validityHours * HOUR_MS);
    const entries = await Promise.all(
      parsed.certIds.map(async (certId) => ({
        certId,
        status: await statusOf(authority.id, certId.serial),
        thisUpdate,
        nextUpdate,
      })),
    );
    let signer = signers.get(responder);
    if (signer === undefined) {
      signer = createOcspSigner(responder);
      signers.set(responder, signer);
    }
    const response = await signer.sign(entries, thisUpdate, parsed.nonce);
    if (cacheKey !== undefined && parsed.nonce === undefined) {
      const reuseUntil = at + (options.validityHours * HOUR_MS) / 2;
      cache.set(cacheKey, { caId: authority.id, revision, reuseUntil, response });
    }
    return response;
  }

  return {
    async respond(request) {
      const key = Buffer.from(request.buffer, request.byteOffset, request.byteLength).toString(
        'base64',
      );
      const hit = cache.get(key);
      if (
        hit !== undefined &&
        hit.revision === revisions.current(hit.caId) &&
        now() < hit.reuseUntil
      ) {
        return hit.response;
      }
      try {
        return await answer(request, key);
      } catch (err) {
        if (err instanceof OcspRequestError) return ocspErrorResponse(err.status);
        // Sealed: the keys are out of reach for now (RFC 6960 §2.3 tryLater).
        if (isBarrierError(err, 'sealed')) return ocspErrorResponse('tryLater');
        options.onError?.(err);
        return ocspErrorResponse('internalError');
      }
    },
  };
}
