// Renders specs/jose.openapi.yaml from the JOSE route plugins (the kit's renderOpenApi), so the
// published contract cannot drift from the code: `pnpm docs:gen` writes it and a test fails
// when the committed file differs. JOSE's named schemas live in their own registry, so no other
// product's schemas reach its document.
import { NEVER_CALLED, renderOpenApi } from '@cryptoutil/server';
import { joseRoutes } from './routes/jose-routes.js';
import { joseSchemaRegistry } from './routes/schemas.js';

export function renderJoseOpenApi(version: string): Promise<string> {
  return renderOpenApi({
    title: 'cryptoutil JOSE Authority',
    description:
      'JWK sets with rotation, a published JWKS, and JWS/JWE/JWT operations. Public JWKS documents: GET /.well-known/jwks.json and /.well-known/jwks/{id}.json (no authentication). Errors are RFC 9457 problems (docs/problems.md).',
    version,
    port: 8060,
    schemaRegistry: joseSchemaRegistry,
    routes: joseRoutes({
      sets: NEVER_CALLED,
      operations: NEVER_CALLED,
      published: NEVER_CALLED,
      audit: NEVER_CALLED,
      maxPayloadBytes: 256 * 1024,
    }),
  });
}
