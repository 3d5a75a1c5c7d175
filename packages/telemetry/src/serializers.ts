// pino serializers for requests and responses: method, URL, route and status only. Bodies and
// headers never reach the log (headers may carry credentials; bodies carry keys and tokens).
// They accept a Fastify request/reply or a raw node:http message alike.

export interface SerializedRequest {
  method?: string;
  url?: string;
  route?: string;
  remoteAddress?: string;
  remotePort?: number;
}

export interface SerializedResponse {
  statusCode?: number;
}

interface RequestLike {
  method?: unknown;
  url?: unknown;
  ip?: unknown;
  routeOptions?: { url?: unknown };
  socket?: { remoteAddress?: unknown; remotePort?: unknown } | null;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function serializeRequest(req: unknown): SerializedRequest {
  if (typeof req !== 'object' || req === null) return {};
  const r = req as RequestLike;
  const fields: Record<string, unknown> = {
    method: stringOf(r.method),
    // The query string may carry credentials (`?access_token=`), so only the path is logged.
    url: stringOf(r.url)?.split('?')[0],
    route: stringOf(r.routeOptions?.url),
    remoteAddress: stringOf(r.ip) ?? stringOf(r.socket?.remoteAddress),
    remotePort: typeof r.socket?.remotePort === 'number' ? r.socket.remotePort : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export function serializeResponse(res: unknown): SerializedResponse {
  if (typeof res !== 'object' || res === null) return {};
  const code = (res as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? { statusCode: code } : {};
}
