// The authenticated caller and the contract every credential check implements. A principal
// carries the tenant (ARCHITECTURE §3: the tenant comes from the principal, never from an
// unauthenticated header) and the scopes the route checks.
import type { FastifyRequest } from 'fastify';

export type AuthMethod = 'jwt' | 'api-key' | 'mtls';

export interface Principal {
  readonly subject: string;
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly method: AuthMethod;
}

export interface Authenticator {
  /**
   * Resolves the caller. `undefined` means no credentials were presented; credentials that are
   * present but invalid throw (or reject with) a 401 problem carrying `WWW-Authenticate`
   * (RFC 6750 §3). A caller known at once may be returned as it is, without a promise: the
   * service chain then admits the request in the same turn.
   */
  authenticate(request: FastifyRequest): Principal | undefined | PromiseLike<Principal | undefined>;
}

/** The scopes of `required` that `principal` lacks, in the order given. */
export function missingScopes(principal: Principal, required: readonly string[]): string[] {
  const granted = new Set(principal.scopes);
  return required.filter((scope) => !granted.has(scope));
}

/** Whether `principal` holds every scope of `required` (an empty list always holds). */
export function hasScopes(principal: Principal, required: readonly string[]): boolean {
  return missingScopes(principal, required).length === 0;
}

/** A frozen principal, so no later hook can widen its tenant or scopes. */
export function createPrincipal(principal: Principal): Principal {
  return Object.freeze({ ...principal, scopes: Object.freeze([...principal.scopes]) });
}
