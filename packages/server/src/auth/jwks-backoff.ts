// Resilience around the JWKS download (jose's customFetch). Without it, an issuer outage makes
// every request whose keys need refreshing wait out its own fetch timeout, one after another,
// and a cached key set stops working the moment its max age passes. Here a failed download
// (network error, timeout, non-2xx) opens an exponential backoff (1 s doubling to 60 s) during
// which no download is attempted: requests get the last good key set if there is one (keys
// stay usable through an outage, as Vault and Envoy do with their JWKS caches), or fail at once.
import type { FetchImplementation } from 'jose';

export const JWKS_BACKOFF_MIN_MS = 1_000;
export const JWKS_BACKOFF_MAX_MS = 60_000;

export interface JwksBackoffOptions {
  /** Clock in epoch milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Called once per failed download (logging); never with key material. */
  readonly onFailure?: (failure: { readonly reason: string; readonly retryInMs: number }) => void;
}

interface LastGood {
  readonly body: ArrayBuffer;
  readonly headers: Headers;
}

export function withJwksBackoff(
  inner: FetchImplementation,
  options: JwksBackoffOptions = {},
): FetchImplementation {
  const now = options.now ?? Date.now;
  let lastGood: LastGood | undefined;
  let failures = 0;
  let retryAt = 0;

  const stale = (): Response | undefined =>
    lastGood && new Response(lastGood.body.slice(0), { status: 200, headers: lastGood.headers });

  const recordFailure = (reason: string): void => {
    failures += 1;
    const retryInMs = Math.min(JWKS_BACKOFF_MAX_MS, JWKS_BACKOFF_MIN_MS * 2 ** (failures - 1));
    retryAt = now() + retryInMs;
    options.onFailure?.({ reason, retryInMs });
  };

  return async (url, init) => {
    if (now() < retryAt) {
      const cached = stale();
      if (cached) return cached;
      throw new Error('JWKS unavailable: backing off after a failed download');
    }
    let response: Response;
    try {
      response = await inner(url, init);
    } catch (error) {
      recordFailure(error instanceof Error ? error.name : 'error');
      const cached = stale();
      if (cached) return cached;
      throw error;
    }
    // jose accepts only 200 (RFC 7517 §5: a JSON object with a `keys` array).
    if (response.status !== 200) {
      recordFailure(`HTTP ${response.status}`);
      return stale() ?? response;
    }
    const body = await response.arrayBuffer();
    if (!isKeySet(body)) {
      recordFailure('not a JWK set');
      return stale() ?? new Response(body, { status: 200, headers: response.headers });
    }
    lastGood = { body, headers: response.headers };
    failures = 0;
    retryAt = 0;
    return new Response(body.slice(0), { status: 200, headers: response.headers });
  };
}

function isKeySet(body: ArrayBuffer): boolean {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { keys?: unknown } | null;
    return Array.isArray(parsed?.keys);
  } catch {
    return false;
  }
}
