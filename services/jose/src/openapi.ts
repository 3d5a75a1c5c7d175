// Renders specs/jose.openapi.yaml from the route plugins themselves (@fastify/swagger over the
// zod schemas), so the published contract cannot drift from the code: `pnpm docs:gen` writes
// it and a test fails when the committed file differs. Each operation lists the scopes its
// route requires as its bearer/API-key security requirement.
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { joseRoutes, type JoseRouteDeps } from './routes/jose-routes.js';
import { joseSchemaRegistry } from './routes/schemas.js';

const schemaRegistry = joseSchemaRegistry;
const jsonSchemaTransform = createJsonSchemaTransform({ schemaRegistry });

const unused = new Proxy(
  {},
  {
    get() {
      throw new TypeError('the OpenAPI renderer never serves requests');
    },
  },
);

export async function renderJoseOpenApi(version: string): Promise<string> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cryptoutil JOSE Authority',
        version,
        description:
          'JWK sets with rotation, a published JWKS, and JWS/JWE/JWT operations. Public JWKS documents: GET /.well-known/jwks.json and /.well-known/jwks/{id}.json (no authentication). Errors are RFC 9457 problems (docs/problems.md).',
      },
      servers: [
        { url: 'https://127.0.0.1:8060/service/api/v1', description: 'headless clients' },
        { url: 'https://127.0.0.1:8060/browser/api/v1', description: 'browser sessions' },
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
    transformObject: createJsonSchemaTransformObject({ schemaRegistry }),
  });
  await app.register(
    joseRoutes({
      sets: unused as JoseRouteDeps['sets'],
      operations: unused as JoseRouteDeps['operations'],
      published: unused as JoseRouteDeps['published'],
      audit: unused as JoseRouteDeps['audit'],
      maxPayloadBytes: 256 * 1024,
    }),
  );
  await app.ready();
  const yaml = app.swagger({ yaml: true });
  await app.close();
  return yaml;
}
