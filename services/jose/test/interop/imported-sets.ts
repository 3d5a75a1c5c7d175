// BYOK for the interop tests: jwcrypto makes each key, the service imports it as version 1 of a
// new set, and the test keeps the private (or secret) JWK under the kid the service gave it, so
// the judge can open and verify what the service makes, and make what the service must open.
import { judgeOk } from '@cryptoutil/judges';
import type { JWK } from 'jose';
import { shapeOf } from './interop-cases.js';
import { publicOf, type JoseCalls, type JoseSet } from './jose-calls.js';

export interface ImportedSet extends JoseSet {
  /** The key jwcrypto made, with the service's kid. */
  readonly held: JWK;
  /** What a relying party holds: the public half, or the secret itself for oct keys. */
  readonly shared: JWK;
}

export async function importJudged(
  calls: JoseCalls,
  specs: readonly { readonly alg: string; readonly enc?: string }[],
): Promise<ImportedSet[]> {
  const made = await judgeOk(specs.map(({ alg, enc }) => shapeOf(alg, enc)));
  return Promise.all(
    specs.map(async (spec, i) => {
      const jwk = made[i]?.jwk as JWK;
      const set = await calls.set({ ...spec, jwk });
      const held = { ...jwk, kid: set.kid };
      return { ...set, held, shared: jwk.kty === 'oct' ? held : publicOf(held) };
    }),
  );
}
