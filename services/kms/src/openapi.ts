// Renders specs/kms.openapi.yaml from the KMS route plugins (the kit's renderOpenApi), so the
// published contract cannot drift from the code: `pnpm docs:gen` writes it and a test fails
// when the committed file differs.
import { NEVER_CALLED, renderOpenApi } from '@cryptoutil/server';
import { kmsRoutes } from './routes/kms-routes.js';

export function renderKmsOpenApi(version: string): Promise<string> {
  return renderOpenApi({
    title: 'cryptoutil KMS',
    description:
      'Key management service: elastic keys, their material key versions, and JWE/JWS operations. Errors are RFC 9457 problems (docs/problems.md).',
    version,
    port: 8080,
    routes: kmsRoutes({
      keys: NEVER_CALLED,
      operations: NEVER_CALLED,
      maxPayloadBytes: 256 * 1024,
    }),
  });
}
