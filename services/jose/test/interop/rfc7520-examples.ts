// The RFC 7520 fixtures (test/fixtures/rfc7520) as typed examples, and the serializations the
// RFC implies without printing them all: a flattened JWS from a one-signature general JWS
// (RFC 7515 §7.2.2), and flattened and general JWE JSON from a compact JWE (RFC 7516 §7.2).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JoseJson } from '@cryptoutil/judges';
import type { JWK } from 'jose';
import { fromB64 } from './jose-calls.js';

interface Example {
  readonly section: string;
  readonly title: string;
  /** Names in keys.json, one per signature or recipient. */
  readonly keys: readonly string[];
  readonly algs: readonly string[];
}

export interface JwsSignature {
  readonly protected?: string;
  readonly header?: JoseJson;
  readonly signature: string;
}

export interface JwsExample extends Example {
  readonly payload: string;
  readonly detached?: boolean;
  readonly compact?: string;
  readonly general: { readonly payload?: string; readonly signatures: readonly JwsSignature[] };
}

export interface JweExample extends Example {
  readonly enc: string;
  readonly zip?: 'DEF';
  /** false for the algorithms the service refuses (RSA1_5, PBES2). */
  readonly supported?: boolean;
  readonly plaintext: string;
  readonly compact?: string;
  readonly general?: JoseJson;
}

const DIR = join(import.meta.dirname, '..', 'fixtures', 'rfc7520');
const read = <T>(name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as T;

/** RFC 7520's keys by short name (README.md in the fixture folder). */
export const RFC_KEYS = read<Record<string, JWK>>('keys.json');

const order = (section: string) => section.split('.').map(Number) as [number, number];
const examples = readdirSync(DIR)
  .filter((name) => /^\d+\.\d+-.+\.json$/.test(name))
  .map((name) => read<Example>(name))
  .sort(
    (a, b) =>
      order(a.section)[0] - order(b.section)[0] || order(a.section)[1] - order(b.section)[1],
  );

export const JWS_EXAMPLES = examples.filter((e) => e.section.startsWith('4.')) as JwsExample[];
export const JWE_EXAMPLES = examples.filter((e) => e.section.startsWith('5.')) as JweExample[];

/** Every serialization of a JWS example: the RFC's compact and general, and flattened. */
export function jwsForms(example: JwsExample): { form: string; jws: string | JoseJson }[] {
  const { general } = example;
  const forms: { form: string; jws: string | JoseJson }[] = [];
  if (example.compact !== undefined) forms.push({ form: 'compact', jws: example.compact });
  forms.push({ form: 'general', jws: general });
  const [only, ...more] = general.signatures;
  if (only !== undefined && more.length === 0) {
    const payload = general.payload === undefined ? {} : { payload: general.payload };
    forms.push({ form: 'flattened', jws: { ...payload, ...only } });
  }
  return forms;
}

/** Every serialization of a JWE example: the RFC's own, and the JSON ones of a compact JWE. */
export function jweForms(example: JweExample): { form: string; jwe: string | JoseJson }[] {
  if (example.compact === undefined) return [{ form: 'general', jwe: example.general as JoseJson }];
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = example.compact.split('.');
  const key = encryptedKey === '' ? {} : { encrypted_key: encryptedKey };
  const shared = { protected: protectedHeader, iv, ciphertext, tag };
  return [
    { form: 'compact', jwe: example.compact },
    { form: 'flattened', jwe: { ...shared, ...key } },
    { form: 'general', jwe: { ...shared, recipients: [key] } },
  ];
}

/** The decoded protected header of a JWS signature or JWE, or undefined when there is none. */
export function protectedOf(encoded: string | undefined): JoseJson | undefined {
  return encoded === undefined ? undefined : (JSON.parse(fromB64(encoded)) as JoseJson);
}
