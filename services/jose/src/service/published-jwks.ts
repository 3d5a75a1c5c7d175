// The published JWKS documents: every published set's current and previous public keys (all
// tenants) at /.well-known/jwks.json, and one set's at /.well-known/jwks/{id}.json. A document
// is built once per `ttlMs` (and at once after a write through this instance), with a strong
// ETag and a max-age that never reaches past the next scheduled rotation of a key it lists.
import { createHash } from 'node:crypto';
import type { JoseStore } from '../store/jose-store.js';

export interface JwksDocument {
  readonly body: string;
  readonly etag: string;
  /** Seconds a cache may keep it. */
  readonly maxAge: number;
  /** Number of keys listed. */
  readonly count: number;
}

export interface PublishedJwks {
  /** All published sets, or one (undefined when it is not published or has no public key). */
  document(setId?: string): Promise<JwksDocument | undefined>;
  invalidate(): void;
}

export interface PublishedJwksOptions {
  readonly store: JoseStore;
  readonly maxAgeSeconds: number;
  readonly ttlMs: number;
  readonly now?: () => number;
}

const ALL = '';

export function createPublishedJwks(options: PublishedJwksOptions): PublishedJwks {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; doc: Promise<JwksDocument | undefined> }>();
  const MAX_CACHED = 1000;

  async function build(setId: string | undefined): Promise<JwksDocument | undefined> {
    const keys = await options.store.versions.published(setId);
    if (setId !== undefined && keys.length === 0) return undefined;
    const at = now();
    let maxAge = options.maxAgeSeconds;
    for (const key of keys) {
      if (key.nextRotationAt !== undefined) {
        maxAge = Math.min(maxAge, Math.max(0, Math.floor((key.nextRotationAt - at) / 1000)));
      }
    }
    const body = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { body, etag, maxAge, count: keys.length };
  }

  return {
    document(setId) {
      const name = setId ?? ALL;
      const hit = cache.get(name);
      if (hit && now() - hit.at < options.ttlMs) return hit.doc;
      const doc = build(setId);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(name, { at: now(), doc });
      doc.catch(() => cache.delete(name));
      return doc;
    },
    invalidate() {
      cache.clear();
    },
  };
}
