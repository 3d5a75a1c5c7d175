// The contracts the kit's chains call: who the caller is (`Principal`) and how the service
// chain finds it from credentials (`Authenticator`), both owned by the auth module, and how the
// browser chain finds it from the session cookie (`SessionResolver`, implemented by the
// session package).
import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth/index.js';

export type { Authenticator, Principal } from './auth/index.js';

export interface SessionResolver {
  /** The principal of the request's session cookie, or `undefined` when there is none. */
  resolve(request: FastifyRequest): Promise<Principal | undefined>;
}
