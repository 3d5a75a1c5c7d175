// The problem kinds of the service kit, shared by every product. Products declare their own
// with `defineProblem` in their own catalog; docs/problems.md lists them all.
import { defineProblem } from './problem.js';

export const problems = {
  badRequest: defineProblem('bad-request', 'Bad request', 400),
  validation: defineProblem('validation', 'Request validation failed', 400),
  malformedJson: defineProblem('malformed-json', 'Malformed JSON body', 400),
  unauthenticated: defineProblem('unauthenticated', 'Authentication required', 401),
  invalidToken: defineProblem('invalid-token', 'Invalid credentials', 401),
  forbidden: defineProblem('forbidden', 'Forbidden', 403),
  adminBrowser: defineProblem('admin-browser', 'The admin API does not serve browsers', 403),
  insufficientScope: defineProblem('insufficient-scope', 'Insufficient scope', 403),
  csrf: defineProblem('csrf', 'CSRF token missing or invalid', 403),
  corsOrigin: defineProblem('cors-origin', 'Origin not allowed', 403),
  notFound: defineProblem('not-found', 'Not found', 404),
  methodNotAllowed: defineProblem('method-not-allowed', 'Method not allowed', 405),
  notAcceptable: defineProblem('not-acceptable', 'Not acceptable', 406),
  requestTimeout: defineProblem('request-timeout', 'Request timeout', 408),
  conflict: defineProblem('conflict', 'Conflict', 409),
  payloadTooLarge: defineProblem('payload-too-large', 'Request body too large', 413),
  unsupportedMediaType: defineProblem('unsupported-media-type', 'Unsupported media type', 415),
  rateLimited: defineProblem('rate-limited', 'Too many requests', 429),
  internal: defineProblem('internal', 'Internal server error', 500),
  notReady: defineProblem('not-ready', 'Service not ready', 503),
  shuttingDown: defineProblem('shutting-down', 'Service shutting down', 503),
} as const;
