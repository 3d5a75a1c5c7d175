// Errors Fastify raises before a route runs (an undecodable URL, a malformed HTTP request) are
// problem+json too (ARCHITECTURE §2), with a fixed detail: the raw error text would echo the
// client's URL back to it.
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, sendProblem } from './error-handler.js';
import { ProblemError, problems } from './problems/index.js';

/** Fastify's `frameworkErrors` option: errors raised while routing a request. */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: (error as { code?: unknown }).code }, 'request could not be routed');
  void sendProblem(
    reply,
    new ProblemError(problems.badRequest, {
      detail: 'the request URL or headers could not be parsed',
      cause: error,
    }),
  );
}

/** Node's `clientError`: the bytes were not HTTP; answer with a minimal problem and close. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const definition = timeout ? problems.requestTimeout : problems.badRequest;
  const body = JSON.stringify(new ProblemError(definition).toBody());
  const reason = timeout ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${definition.status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
