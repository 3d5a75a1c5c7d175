// @cryptoutil/server: the dual-listener kit every product builds on (ARCHITECTURE §2): the
// public app with its /service and /browser chains, the admin app, problem+json errors and the
// runtime that listens and shuts down in order.
export * from './problems/index.js';
export { PROBLEMS_DOC_REGENERATE, renderProblemsDoc } from './problems/docs.js';
export {
  adminListenerSchema,
  isLoopbackAddress,
  publicListenerSchema,
  rateLimitSchema,
  shutdownSchema,
  DEFAULT_BODY_LIMIT,
  type AdminListenerConfig,
  type PublicListenerConfig,
  type RateLimitConfig,
  type ShutdownConfig,
} from './config.js';
export * from './auth/index.js';
export type { SessionResolver } from './principal.js';
export { callerOf, type Caller, type CallerActor } from './caller.js';
export type { ApiRoutes } from './chains/routes.js';
export { CSRF_COOKIE, CSRF_HEADER } from './chains/browser.js';
export { PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './error-handler.js';
export { REQUEST_ID_HEADER } from './request-id.js';
export type { AppPlugin, KitApp } from './kit-app.js';
export {
  buildPlainApp,
  type PlainApp,
  type PlainAppOptions,
  type PlainHttpListener,
  type PlainRoutes,
} from './plain-app.js';
export {
  BROWSER_PREFIX,
  SERVICE_PREFIX,
  WELL_KNOWN_PREFIX,
  buildPublicApp,
  type PublicAppOptions,
  type WellKnownRoutes,
} from './public-app.js';
export {
  ADMIN_PREFIX,
  DEFAULT_CHECK_TIMEOUT_MS,
  ReadinessCheckError,
  buildAdminApp,
  type AdminAppOptions,
  type AdminRoutes,
  type ReadinessCheck,
} from './admin-app.js';
export {
  createServerRuntime,
  type BoundAddresses,
  type ListenAddress,
  type ServerRuntime,
  type ServerRuntimeOptions,
  type SignalSource,
} from './runtime.js';
export * from './service/index.js';
export {
  NEVER_CALLED,
  renderOpenApi,
  type RenderOpenApiOptions,
} from './openapi/render-openapi.js';
