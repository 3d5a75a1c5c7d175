// The barrier's admin API (ARCHITECTURE §2, §4), under /admin/v1/barrier on the loopback admin
// listener: status, seal, unseal with Shamir shares, init of shares mode, and rotation at each
// level with a reason. Barrier errors become problems; none carries key material.
import { KEY_LEVELS, isBarrierError, type Barrier, type KeyLevel } from '@cryptoutil/barrier';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemError, problems } from '../problems/index.js';
import { barrierProblems } from './barrier-problems.js';

function toProblem(error: unknown): unknown {
  if (!isBarrierError(error)) return error;
  switch (error.code) {
    case 'sealed':
      return new ProblemError(barrierProblems.sealed, { cause: error });
    case 'invalid-share':
    case 'duplicate-share':
      return new ProblemError(barrierProblems.invalidShare, {
        detail: error.message,
        cause: error,
      });
    case 'decrypt-failed':
      return new ProblemError(problems.internal, { cause: error });
    case 'already-initialized':
    case 'not-initialized':
    case 'unseal-failed':
    case 'unseal-keys-incomplete':
    case 'wrong-mode':
      return new ProblemError(barrierProblems.conflict, { detail: error.message, cause: error });
  }
}

async function problemOnError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toProblem(error);
  }
}

export function barrierAdminRoutes(barrier: Barrier) {
  return (app: FastifyInstance, _options: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.get('/barrier/status', () => barrier.status());
    typed.post('/barrier/seal', async () => {
      barrier.seal();
      return barrier.status();
    });
    typed.post(
      '/barrier/unseal',
      { schema: { body: z.object({ share: z.string().min(1).max(4096) }) } },
      (request) => problemOnError(() => barrier.unsealWithShares(request.body.share)),
    );
    typed.post(
      '/barrier/init',
      {
        schema: {
          body: z.object({
            shares: z.number().int().min(1).max(255),
            threshold: z.number().int().min(1).max(255),
          }),
        },
      },
      async (request, reply) => {
        const result = await problemOnError(() => barrier.initShares(request.body));
        // The shares leave the process once, here; they are never stored or logged.
        return reply.code(201).header('cache-control', 'no-store').send(result);
      },
    );
    typed.post(
      '/barrier/rotate/:level',
      {
        schema: {
          params: z.object({ level: z.enum(KEY_LEVELS as unknown as [KeyLevel, ...KeyLevel[]]) }),
          body: z.object({ reason: z.string().trim().min(1).max(500) }),
        },
      },
      async (request) => {
        const kid = await problemOnError(() =>
          barrier.rotate(request.params.level, request.body.reason),
        );
        return { level: request.params.level, kid };
      },
    );
    done();
  };
}
