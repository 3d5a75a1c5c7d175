// The shape of a product's route plugins: encapsulated Fastify plugins with zod schemas. The
// kit registers API routes under both `/service/api/v1` and `/browser/api/v1`.
import type { FastifyPluginAsync, FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Server } from 'node:https';

export type RoutePlugin =
  | FastifyPluginAsync<Record<never, never>, Server, ZodTypeProvider>
  | FastifyPluginCallback<Record<never, never>, Server, ZodTypeProvider>;

export type ApiRoutes = RoutePlugin;
