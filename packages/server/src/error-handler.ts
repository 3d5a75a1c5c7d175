// The one error handler of every kit app: each error leaves as `application/problem+json`
// (RFC 9457). Fastify and plugin errors map to the catalog by code; anything unknown becomes a
// generic 500 whose cause is logged with the request id and never sent (STYLE.md "Errors").
import { isBarrierError } from '@cryptoutil/barrier';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, problems, type ProblemDefinition } from './problems/index.js';
import { barrierProblems } from './service/barrier-problems.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

interface FieldError {
  path: string;
  message: string;
}

// Fastify core and plugin errors whose code we know, each mapped once.
const BY_CODE: Readonly<Record<string, ProblemDefinition>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: problems.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: problems.malformedJson,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: problems.unsupportedMediaType,
  FST_ERR_CTP_BODY_TOO_LARGE: problems.payloadTooLarge,
  FST_CSRF_MISSING_SECRET: problems.csrf,
  FST_CSRF_INVALID_TOKEN: problems.csrf,
};

const BY_STATUS: Readonly<Record<number, ProblemDefinition>> = {
  401: problems.unauthenticated,
  403: problems.forbidden,
  404: problems.notFound,
  405: problems.methodNotAllowed,
  406: problems.notAcceptable,
  409: problems.conflict,
  413: problems.payloadTooLarge,
  415: problems.unsupportedMediaType,
  429: problems.rateLimited,
};

function fieldErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => ({
    // `/items/0/name` in the body becomes `body.items.0.name`.
    path: [context, ...issue.instancePath.split('/').filter((s) => s !== '')].join('.'),
    message: issue.message ?? 'invalid',
  }));
}

/** The problem an error becomes on the wire. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  // ARCHITECTURE §4: sealed means 503 barrier-sealed on every operation, whichever route hit it.
  if (isBarrierError(error, 'sealed'))
    return new ProblemError(barrierProblems.sealed, { cause: error });
  const fastifyError = error as Partial<FastifyError> | null;
  if (Array.isArray(fastifyError?.validation)) {
    const errors = fieldErrors(fastifyError as FastifyError);
    return new ProblemError(problems.validation, {
      detail: `${errors.length} field(s) failed validation`,
      extensions: { errors },
      cause: error,
    });
  }
  const code = typeof fastifyError?.code === 'string' ? fastifyError.code : '';
  const known = BY_CODE[code];
  if (known) return new ProblemError(known, { cause: error });
  // Other Fastify errors below 500 carry fixed, safe messages; everything else is internal.
  const status = fastifyError?.statusCode ?? 500;
  if (code.startsWith('FST_') && status >= 400 && status < 500) {
    const definition = BY_STATUS[status] ?? problems.badRequest;
    return new ProblemError(definition, { detail: String(fastifyError?.message), cause: error });
  }
  return new ProblemError(problems.internal, { cause: error });
}

/** Sends `problem` as RFC 9457 JSON, bypassing any route response schema. */
export function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  // Errors are never cached, whichever chain (or none, for an unknown route) answered.
  return reply
    .code(problem.status)
    .header('cache-control', 'no-store')
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.toBody()));
}

function logProblem(request: FastifyRequest, error: unknown, problem: ProblemError): void {
  if (problem.status >= 500 && !problem.expose) {
    request.log.error({ err: error, problem: problem.definition.type }, 'request failed');
  } else {
    request.log.info(
      { problem: problem.definition.type, status: problem.status },
      'request refused',
    );
  }
}

/** Installs the error and not-found handlers on `app` (and so on every child context). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    logProblem(request, error, problem);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((_request, reply) =>
    sendProblem(reply, new ProblemError(problems.notFound)),
  );
}
