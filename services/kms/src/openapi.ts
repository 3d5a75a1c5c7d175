// Renders specs/kms.openapi.yaml from the route plugins themselves (@fastify/swagger over the
// zod schemas), so the published contract cannot drift from the code: `pnpm docs:gen` writes
// it and a test fails when the committed file differs. Each operation lists the scopes its
// route requires as its bearer/API-key security requirement.
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { KeyManagement } from './service/key-management.js';
import type { KeyOperations } from './service/key-operations.js';
import { kmsRoutes } from './routes/kms-routes.js';

const unused = new Proxy(
  {},
  {
    get() {
      throw new TypeError('the OpenAPI renderer never serves requests');
    },
  },
);

export async function renderKmsOpenApi(version: string): Promise<string> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cryptoutil KMS',
        version,
        description:
          'Key management service: elastic keys, their material key versions, and JWE/JWS operations. Errors are RFC 9457 problems (docs/problems.md).',
      },
      servers: [
        { url: 'https://127.0.0.1:8080/service/api/v1', description: 'headless clients' },
        { url: 'https://127.0.0.1:8080/browser/api/v1', description: 'browser sessions' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A JWT from the configured issuer, or an API key `cu_<id>_<secret>`.',
          },
        },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const scopes = (input.route.config as { scopes?: string[] } | undefined)?.scopes ?? [];
      return { ...out, schema: { ...out.schema, security: [{ bearer: scopes }] } };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(
    kmsRoutes({
      keys: unused as KeyManagement,
      operations: unused as KeyOperations,
      maxPayloadBytes: 256 * 1024,
    }),
  );
  await app.ready();
  const yaml = app.swagger({ yaml: true });
  await app.close();
  return yaml;
}
