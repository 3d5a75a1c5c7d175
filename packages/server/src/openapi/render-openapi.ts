// Renders a product's OpenAPI document (specs/<product>.openapi.yaml) from its route plugins
// themselves: @fastify/swagger over the zod schemas, so the published contract cannot drift from
// the code. Each operation lists the scopes its route requires as its bearer security
// requirement. @fastify/swagger is loaded here, on demand: only `cryptoutil docs` needs it.
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';

export interface RenderOpenApiOptions {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** The product's default public port, for the server URLs. */
  readonly port: number;
  /** Registers every API route (as under /service/api/v1). */
  readonly routes: (app: FastifyInstance) => Promise<void>;
  /** Where the product's named schemas live; default: zod's global registry. */
  readonly schemaRegistry?: z.core.$ZodRegistry<{ id?: string | undefined }>;
}

/** A stand-in for the services a route plugin closes over: rendering never serves requests. */
export const NEVER_CALLED: never = new Proxy(
  {},
  {
    get() {
      throw new TypeError('the OpenAPI renderer never serves requests');
    },
  },
) as never;

export async function renderOpenApi(options: RenderOpenApiOptions): Promise<string> {
  const { default: swagger } = await import('@fastify/swagger');
  const registry = options.schemaRegistry ? { schemaRegistry: options.schemaRegistry } : {};
  const transform = createJsonSchemaTransform(registry);
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, version: options.version, description: options.description },
      servers: [
        {
          url: `https://127.0.0.1:${options.port}/service/api/v1`,
          description: 'headless clients',
        },
        {
          url: `https://127.0.0.1:${options.port}/browser/api/v1`,
          description: 'browser sessions',
        },
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
      const out = transform(input);
      const scopes = (input.route.config as { scopes?: string[] } | undefined)?.scopes ?? [];
      return { ...out, schema: { ...out.schema, security: [{ bearer: scopes }] } };
    },
    transformObject: createJsonSchemaTransformObject(registry),
  });
  await app.register(options.routes);
  await app.ready();
  const yaml = app.swagger({ yaml: true });
  await app.close();
  return yaml;
}
