// Fastify type augmentation for the kit: routes declare what the chain enforces through
// `config: { scopes: [...] }` or `config: { public: true }`, and the chains put the caller on
// `request.principal`.
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scopes the caller must hold, all of them (RFC 6749 §3.3 scope tokens). */
    scopes?: readonly string[];
    /** Serve the route without a principal; credentials that are sent are still checked. */
    public?: boolean;
  }

  interface FastifyRequest {
    /** The authenticated caller, set by the service or browser chain. */
    principal: Principal | undefined;
  }
}

export type { Principal };
