// Renders specs/ca.openapi.yaml from the CA route plugins (the kit's renderOpenApi), so the
// published contract cannot drift from the code: `pnpm docs:gen` writes it and a test fails
// when the committed file differs.
import { NEVER_CALLED, renderOpenApi } from '@cryptoutil/server';
import { caRoutes } from './routes/ca-routes.js';
import { caSchemaRegistry } from './routes/schemas.js';

export function renderCaOpenApi(version: string): Promise<string> {
  return renderOpenApi({
    title: 'cryptoutil Certificate Authority',
    description:
      'CA hierarchy, profiles, enrollment from PKCS#10 CSRs, certificates and revocation. Revocation data without authentication, on the HTTPS listener and the plain-HTTP one (default 127.0.0.1:8051): GET /.well-known/pki-ca/certs/{ca}.crt, /.well-known/pki-ca/crl/{ca}.crl, /.well-known/pki-ca/crl/{ca}/{partition}.crl (`.pem` for PEM), and OCSP (RFC 6960) by POST /.well-known/pki-ca/ocsp or GET /.well-known/pki-ca/ocsp/{base64 request}. Errors are RFC 9457 problems (docs/problems.md).',
    version,
    port: 8050,
    schemaRegistry: caSchemaRegistry,
    routes: caRoutes({
      hierarchy: NEVER_CALLED,
      profiles: new Map(),
      certificates: NEVER_CALLED,
      urls: NEVER_CALLED,
    }),
  });
}
