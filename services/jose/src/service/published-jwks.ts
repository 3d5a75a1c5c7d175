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
  const MAX_CACHED = 1000;

  /** A document and the earliest scheduled rotation of a key it lists (epoch ms). */
  interface Built {
    readonly body: string;
    readonly etag: string;
    readonly count: number;
    readonly nextRotationAt: number;
  }
  const cache = new Map<string, { at: number; doc: Promise<Built | undefined> }>();

  async function build(setId: string | undefined): Promise<Built | undefined> {
    const keys = await options.store.versions.published(setId);
    if (setId !== undefined && keys.length === 0) return undefined;
    let nextRotationAt = Infinity;
    for (const key of keys) {
      if (key.nextRotationAt !== undefined) {
        nextRotationAt = Math.min(nextRotationAt, key.nextRotationAt);
      }
    }
    const body = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { body, etag, count: keys.length, nextRotationAt };
  }

  function cached(setId: string | undefined): Promise<Built | undefined> {
    const name = setId ?? ALL;
    const hit = cache.get(name);
    if (hit && now() - hit.at < options.ttlMs) return hit.doc;
    const doc = build(setId);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(name, { at: now(), doc });
    doc.catch(() => cache.delete(name));
    return doc;
  }

  return {
    async document(setId) {
      const built = await cached(setId);
      if (built === undefined) return undefined;
      // Computed per answer, so a cached document never lets a client cache past a rotation.
      const untilRotation = Math.max(0, Math.floor((built.nextRotationAt - now()) / 1000));
      const maxAge = Math.min(options.maxAgeSeconds, untilRotation);
      return { body: built.body, etag: built.etag, count: built.count, maxAge };
    },
    invalidate() {
      cache.clear();
    },
  };
}
