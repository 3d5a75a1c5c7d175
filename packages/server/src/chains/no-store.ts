// API responses carry credentials-derived data: no cache may keep them (RFC 9111 §5.2.2.5).
import type { FastifyInstance } from 'fastify';

export function noStore(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
