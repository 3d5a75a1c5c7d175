// The CA chain as openssl wants it on disk: `issuing.pem` (untrusted intermediate), `root.pem`
// (the trust anchor) and `chain.pem` (both), fetched from `GET cas/{id}/chain?format=pem`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CaHarness } from './ca-harness.js';

export interface ChainFiles {
  readonly issuingPem: string;
  readonly rootPem: string;
}

/** Splits PEM text into its certificates, each ending with its END line and a newline. */
export function splitPem(text: string): string[] {
  return text.split(/(?<=-----END CERTIFICATE-----\n)/).filter((part) => part.trim() !== '');
}

export async function writeChainFiles(ca: CaHarness, issuer = 'issuing'): Promise<ChainFiles> {
  const res = await ca.call('GET', `/cas/${issuer}/chain?format=pem`);
  expect(res.status).toBe(200);
  const [issuingPem, rootPem, ...rest] = splitPem(res.text);
  expect(rest).toEqual([]);
  if (issuingPem === undefined || rootPem === undefined) throw new Error('short chain');
  writeFileSync(join(ca.dir, 'issuing.pem'), issuingPem);
  writeFileSync(join(ca.dir, 'root.pem'), rootPem);
  writeFileSync(join(ca.dir, 'chain.pem'), issuingPem + rootPem);
  return { issuingPem, rootPem };
}
