// API responses carry credentials-derived data: no cache may keep them (RFC 9111 §5.2.2.5).
// Set when the request arrives, so every answer has it (the error handler sets it on problems
// too) without a hook on the way out; a route that must be cacheable sets its own.
import type { FastifyInstance } from 'fastify';

export function noStore(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('cache-control', 'no-store');
    done();
  });
}
