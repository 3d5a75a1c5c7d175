// API keys (ARCHITECTURE §6): `cu_<id>_<secret>` with 256 random bits of secret. The service
// stores only a versioned HKDF-SHA-256 hash keyed by a secret pepper, finds the entry by the id
// embedded in the key and compares derived bytes in constant time.
import { hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createKeyCache } from '@cryptoutil/barrier';
import { invalidCredentials } from './bearer-challenge.js';
import { createPrincipal, type Principal } from './principal.js';

export const API_KEY_PREFIX = 'cu_';
export const API_KEY_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const API_KEY_HASH_PATTERN = /^hkdf-sha256\$1\$[A-Za-z0-9_-]{43}$/;

// The id has no "_", so the key splits unambiguously; the secret is 32 bytes in base64url.
const KEY_PATTERN = /^cu_([A-Za-z0-9-]{1,64})_([A-Za-z0-9_-]{43})$/;
const HASH_PREFIX = 'hkdf-sha256$1$';
// RFC 5869 §3.2: `info` binds the output to this use and version.
const HKDF_INFO = 'cryptoutil api-key v1';
const HASH_BYTES = 32;
const VERIFIED_CACHE_SIZE = 1024;
const UNKNOWN_KEY = 'unknown or invalid API key';

export interface GeneratedApiKey {
  readonly id: string;
  /** The full key, shown to its owner once and never stored. */
  readonly key: string;
}

/** Creates a new API key; `id` defaults to 16 random hex digits. */
export function generateApiKey(options: { id?: string } = {}): GeneratedApiKey {
  const id = options.id ?? randomBytes(8).toString('hex');
  if (!API_KEY_ID_PATTERN.test(id))
    throw new TypeError('API key id: letters, digits and "-" only, at most 64');
  return { id, key: `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}` };
}

function derive(key: string, pepper: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, pepper, HKDF_INFO, HASH_BYTES));
}

/** The stored form of `key`: `hkdf-sha256$1$<base64url(HKDF-SHA-256(key, salt=pepper))>`. */
export function hashApiKey(key: string, pepper: string): string {
  return HASH_PREFIX + derive(key, pepper).toString('base64url');
}

/** The id embedded in a well-formed key, or undefined. */
export function parseApiKeyId(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export interface ApiKeyEntry {
  readonly id: string;
  readonly hash: string;
  readonly tenant: string;
  readonly scopes: readonly string[];
}

export interface ApiKeyVerifier {
  /** The principal of `key`; throws the 401 problem for a malformed, unknown or wrong key. */
  verify(key: string): Principal;
}

interface StoredKey {
  readonly derived: Buffer;
  readonly principal: Principal;
}

function toStoredKey(entry: ApiKeyEntry): StoredKey {
  if (!API_KEY_HASH_PATTERN.test(entry.hash)) {
    throw new TypeError(`API key ${entry.id}: unsupported hash format`);
  }
  return {
    derived: Buffer.from(entry.hash.slice(HASH_PREFIX.length), 'base64url'),
    principal: createPrincipal({
      subject: entry.id,
      tenant: entry.tenant,
      scopes: entry.scopes,
      method: 'api-key',
    }),
  };
}

/**
 * Builds the lookup table once. An unknown id still pays one derivation and one comparison, so
 * response time does not reveal which ids exist; for the same reason an unknown id and a wrong
 * secret get the same detail.
 */
export function createApiKeyVerifier(
  entries: readonly ApiKeyEntry[],
  pepper: string | undefined,
): ApiKeyVerifier {
  if (entries.length > 0 && pepper === undefined) throw new TypeError('API keys need a pepper');
  const stored = new Map(entries.map((entry) => [entry.id, toStoredKey(entry)]));
  const dummy = Buffer.alloc(HASH_BYTES);
  const effectivePepper = pepper ?? 'cryptoutil-no-api-keys-configured';
  // The HKDF check costs ~17 µs per request on the main thread, a fifth of a KMS operation. Keys
  // that verified once are remembered by their SHA-256: a digest of a 256-bit random secret
  // reveals nothing usable, only successes are cached (so guesses cannot fill it), and the
  // configured keys cannot change while the process runs.
  const verified = createKeyCache<Principal>(VERIFIED_CACHE_SIZE);
  return {
    verify(key) {
      const digest = hash('sha256', key, 'base64url');
      const known = verified.get(digest);
      if (known) return known;
      const id = parseApiKeyId(key);
      if (id === undefined) throw invalidCredentials('malformed API key');
      const entry = stored.get(id);
      const derived = derive(key, effectivePepper);
      const matches = timingSafeEqual(derived, entry?.derived ?? dummy);
      if (entry === undefined || !matches) throw invalidCredentials(UNKNOWN_KEY);
      verified.set(digest, entry.principal);
      return entry.principal;
    },
  };
}
