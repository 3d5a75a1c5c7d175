// Every CA API route plugin in one encapsulated context, with the one place CaError becomes a
// problem: this context's error handler maps it and rethrows, so the kit's handler (the parent)
// still renders every problem the same way. The revocation routes map errors the same way.
import type { FastifyInstance } from 'fastify';
import { isCaError } from '../domain/ca-error.js';
import type { Profile } from '../domain/profile.js';
import type { CaUrls } from '../service/ca-urls.js';
import type { Certificates } from '../service/certificates.js';
import type { Hierarchy } from '../service/hierarchy.js';
import { authorityRoutes } from './authorities.js';
import { caProblem } from './ca-problems.js';
import { certificateRoutes } from './certificates.js';
import { revocationRoutes, type RevocationDeps } from './revocation.js';

export interface CaRouteDeps {
  readonly hierarchy: Hierarchy;
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly certificates: Certificates;
  readonly urls: CaUrls;
}

function mapCaErrors(app: FastifyInstance): void {
  app.setErrorHandler((error) => {
    throw isCaError(error) ? caProblem(error) : error;
  });
}

export function caRoutes(deps: CaRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    mapCaErrors(app);
    await app.register(authorityRoutes(deps.hierarchy, deps.profiles, deps.urls));
    await app.register(certificateRoutes(deps.certificates, deps.hierarchy, deps.urls));
  };
}

/** The revocation data under `prefix` (`/pki-ca` below /.well-known, or the full path). */
export function caRevocationRoutes(deps: RevocationDeps, prefix: string) {
  return async (app: FastifyInstance): Promise<void> => {
    mapCaErrors(app);
    await app.register(revocationRoutes(deps), { prefix });
  };
}
