// Closing one listener gracefully: `app.close()` stops accepting connections and closes idle
// ones; in-flight requests finish (each answer asks its client to close), and whatever is still
// open after `timeoutMs` is destroyed so shutdown is bounded.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

export interface DrainOptions {
  readonly app: FastifyInstance;
  readonly name: string;
  readonly timeoutMs: number;
  readonly logger: FastifyBaseLogger;
}

export async function drainApp({ app, name, timeoutMs, logger }: DrainOptions): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn(
      { listener: name, timeoutMs },
      'drain timeout reached, closing remaining connections',
    );
    app.server.closeAllConnections();
  }, timeoutMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
