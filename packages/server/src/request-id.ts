// Request ids: a client's `x-request-id` is kept when it is a safe token (so it can be logged
// and echoed without header or log injection), otherwise the server generates a UUID. The
// kit's first hook echoes it on every response (`admitRequests` in kit-app.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify `genReqId`: the client's id when safe, else a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
}
