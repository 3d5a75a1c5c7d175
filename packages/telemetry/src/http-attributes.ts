// Semantic-convention attributes of an HTTP server request (OTel HTTP semconv, stable): the
// normalized method, path, scheme, route and port, shared by the span and the duration metric.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';

// RFC 9110 §9 methods plus PATCH (RFC 5789); anything else is `_OTHER` to bound cardinality.
const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

export interface HttpRequestInfo {
  method: string;
  route: string | undefined;
  spanAttributes: Attributes;
  metricAttributes: Attributes;
}

export function describeRequest(request: FastifyRequest): HttpRequestInfo {
  const known = KNOWN_METHODS.has(request.method);
  const method = known ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
  const route = request.routeOptions.url;
  const scheme = request.protocol;
  const metricAttributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    ...(route !== undefined ? { [ATTR_HTTP_ROUTE]: route } : {}),
  };
  const port = request.port ?? request.socket.localPort;
  const spanAttributes: Attributes = {
    ...metricAttributes,
    [ATTR_URL_PATH]: request.url.split('?', 1)[0],
    ...(known ? {} : { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: request.method }),
    ...(port !== undefined ? { [ATTR_SERVER_PORT]: port } : {}),
  };
  return { method, route, spanAttributes, metricAttributes };
}
