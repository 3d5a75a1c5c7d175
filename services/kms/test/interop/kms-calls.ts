// The KMS calls and small byte tools the interop test repeats: create a key, import a BYOK
// version, read a version's kid and public JWK, run an operation, and corrupt one byte of a
// signature or tag the way an attacker or a broken link would.
import type { JWK } from 'jose';
import { expect } from 'vitest';
import type { TestResponse } from '@cryptoutil/server/testing';
import type { KmsHarness } from '../support/kms-harness.js';

export const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

export interface KmsVersion {
  readonly id: string;
  readonly kid: string;
  /** The exported public JWK; undefined for oct keys. */
  readonly publicJwk?: JWK;
}

export interface KmsCalls {
  /** A new key with a generated first version. */
  generated(algorithm: string): Promise<KmsVersion>;
  /** A new BYOK key whose first version is `jwk`; the kid is the KMS's, not the JWK's. */
  imported(algorithm: string, jwk: JWK): Promise<KmsVersion>;
  readonly op: (
    id: string,
    name: string,
    body: { text?: string; json?: unknown },
  ) => Promise<TestResponse>;
}

export function kmsCalls(kms: () => KmsHarness, prefix: string): KmsCalls {
  let counter = 0;
  const create = async (algorithm: string, importAllowed: boolean) => {
    const res = await kms().call('POST', '/elastic-keys', {
      json: { name: `${prefix}-${(counter += 1)}`, algorithm, importAllowed },
    });
    expect(res.status, res.text).toBe(201);
    return res.json<{ id: string }>().id;
  };
  return {
    async generated(algorithm) {
      const id = await create(algorithm, false);
      const res = await kms().call('GET', `/elastic-keys/${id}/material-keys`);
      const [version] = res.json<{ items: { kid: string; publicJwk?: JWK }[] }>().items;
      expect(version, algorithm).toBeDefined();
      const { kid, publicJwk } = version as { kid: string; publicJwk?: JWK };
      return publicJwk === undefined ? { id, kid } : { id, kid, publicJwk };
    },
    async imported(algorithm, jwk) {
      const id = await create(algorithm, true);
      const res = await kms().call('POST', `/elastic-keys/${id}/material-keys/import`, {
        json: { jwk },
      });
      expect(res.status, `${algorithm}: ${res.text}`).toBe(201);
      return { id, kid: res.json<{ kid: string }>().kid };
    },
    op: (id, name, body) => kms().call('POST', `/elastic-keys/${id}/${name}`, body),
  };
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

export const DECRYPTION_FAILED = {
  type: 'urn:cryptoutil:problem:decryption-failed',
  title: 'Decryption failed',
  status: 400,
  detail: 'decryption failed',
};

/** The public half of a private JWK, as a relying party would be handed it. */
export function publicOf(jwk: JWK): JWK {
  // RFC 7518 §6.2.2 (EC, with RFC 8037 §2 OKP) and §6.3.2 (RSA) private members.
  const secret = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !secret.has(name)));
}

export const SIGNATURE_INVALID = {
  type: 'urn:cryptoutil:problem:signature-invalid',
  title: 'Signature verification failed',
  status: 400,
  detail: 'signature verification failed',
};
