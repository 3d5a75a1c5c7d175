// The JOSE Authority calls the interop and RFC 7520 tests repeat: create a JWK set (generated, or
// BYOK with a JWK the judge made), read the published JWKS a relying party would fetch, run an
// operation; and the byte tools that corrupt a signature or tag the way an attacker would.
import type { JWK } from 'jose';
import { expect } from 'vitest';
import type { TestResponse } from '@cryptoutil/server/testing';
import type { JoseHarness } from '../support/jose-harness.js';

export const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
export const fromB64 = (value: string) => Buffer.from(value, 'base64url').toString('utf8');

export interface SetSpec {
  readonly alg: string;
  readonly enc?: string;
  /** A private JWK to import as version 1 (BYOK). */
  readonly jwk?: JWK;
  readonly kidFormat?: string;
  readonly size?: number;
  readonly crv?: string;
  readonly publish?: boolean;
}

/** A set as the tests use it: its id, alg and the kid of its current version. */
export interface JoseSet {
  readonly id: string;
  readonly alg: string;
  readonly kid: string;
  readonly enc?: string;
}

const SIGNING = /^(?:[RPEH]S(?:256|384|512)|EdDSA)$/;
export const useOf = (alg: string): 'sig' | 'enc' => (SIGNING.test(alg) ? 'sig' : 'enc');

export interface JoseCalls {
  /** A new set; generated unless `spec.jwk` brings the key. */
  set(spec: SetSpec): Promise<JoseSet>;
  /** GET /.well-known/jwks.json without credentials, as any relying party. */
  published(): Promise<JWK[]>;
  /** POST an operation; the caller checks status and body. */
  post(path: string, json: unknown): Promise<TestResponse>;
  /** POST an operation that must answer 200; its JSON body. */
  ok<T = Record<string, unknown>>(path: string, json: unknown): Promise<T>;
}

export function joseCalls(jose: () => JoseHarness, prefix: string, as = 'alice'): JoseCalls {
  let counter = 0;
  const post = (path: string, json: unknown) => jose().call('POST', path, { as, json });
  return {
    async set(spec) {
      counter += 1;
      const res = await post('/jwks', {
        name: `${prefix}-${counter}`,
        use: useOf(spec.alg),
        ...spec,
      });
      expect(res.status, `${spec.alg}: ${res.text}`).toBe(201);
      const set = res.json<{ id: string; alg: string; enc?: string; currentKid: string }>();
      const base = { id: set.id, alg: set.alg, kid: set.currentKid };
      return set.enc === undefined ? base : { ...base, enc: set.enc };
    },
    async published() {
      const res = await jose().call('GET', '/.well-known/jwks.json', { as: 'nobody', prefix: '' });
      expect(res.status, res.text).toBe(200);
      return res.json<{ keys: JWK[] }>().keys;
    },
    post,
    async ok(path, json) {
      const res = await post(path, json);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      return res.json();
    },
  };
}

/** The published public JWK of `kid`; the test fails when it is missing or holds a secret. */
export function publishedKey(keys: readonly JWK[], kid: string): JWK {
  const found = keys.filter((key) => key.kid === kid);
  expect(found, `published ${kid}`).toHaveLength(1);
  const key = found[0] as JWK;
  for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
    expect(key, `published ${kid}`).not.toHaveProperty(secret);
  }
  return key;
}

/** The public half of a private JWK, as a relying party would be handed it. */
export function publicOf(jwk: JWK): JWK {
  // RFC 7518 §6.2.2 (EC, with RFC 8037 §2 OKP) and §6.3.2 (RSA) private members.
  const secret = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !secret.has(name)));
}

/** Flips the lowest bit of the last byte of a base64url value (signature, tag). */
export function flipLastByte(value: string): string {
  const bytes = Buffer.from(value, 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  return b64(bytes);
}

/** A compact JWS or JWE with one part's last byte flipped (JWS part 2 is the signature,
 * RFC 7515 §7.1; JWE part 4 is the authentication tag, RFC 7516 §7.1). */
export function tamperCompact(compact: string, part: number): string {
  const parts = compact.split('.');
  parts[part] = flipLastByte(parts[part] ?? '');
  return parts.join('.');
}

/** A JSON JWS or JWE with one member's last byte flipped (`signature` of the first signature,
 * or the JWE `tag`). */
export function tamperJson(jose: Record<string, unknown>): Record<string, unknown> {
  if (typeof jose.tag === 'string') return { ...jose, tag: flipLastByte(jose.tag) };
  if (typeof jose.signature === 'string') {
    return { ...jose, signature: flipLastByte(jose.signature) };
  }
  const [first, ...rest] = jose.signatures as Record<string, string>[];
  return {
    ...jose,
    signatures: [{ ...first, signature: flipLastByte(first?.signature ?? '') }, ...rest],
  };
}

export const DECRYPTION_FAILED = {
  type: 'urn:cryptoutil:problem:decryption-failed',
  title: 'Decryption failed',
  status: 400,
  detail: 'decryption failed',
};
