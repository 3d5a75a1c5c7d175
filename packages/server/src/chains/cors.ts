// CORS of the browser API (@fastify/cors): allowed origins get the CORS headers and their
// preflights answered; any other origin gets no CORS header at all, and the origin guard refuses
// its unsafe methods.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import '../route-config.js';
import { createOriginGuard } from './origin-guard.js';

export async function registerCors(
  app: FastifyInstance,
  allowedOrigins: readonly string[],
  allowedHeaders: readonly string[],
): Promise<void> {
  const allowed = new Set(allowedOrigins);
  // The catch-all OPTIONS route of @fastify/cors only answers preflights it did not handle
  // (other origins): 404 for everyone, never a 401. Only that route, registered while the
  // plugin loads, is made public: a product's own OPTIONS routes keep their scopes.
  let loadingCors = true;
  app.addHook('onRoute', (route) => {
    if (loadingCors && route.method === 'OPTIONS' && route.url.endsWith('*')) {
      route.config = { ...route.config, public: true };
    }
  });
  await app.register(cors, {
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false);
    },
    strictPreflight: false,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [...allowedHeaders],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  loadingCors = false;
  app.addHook('onRequest', createOriginGuard(allowedOrigins));
}
