// The base both listeners share: an HTTPS Fastify instance pinned to TLS 1.3, with request ids,
// zod validation and serialization, the problem+json error handler and load shedding while it
// closes. `buildPublicApp` and `buildAdminApp` add their routes and chains on top.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, ServerOptions } from 'node:https';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyPluginAsync,
  type FastifyPluginCallback,
} from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { clientErrorHandler, frameworkErrors } from './client-errors.js';
import { installErrorHandler } from './error-handler.js';
import { ProblemError, problems } from './problems/index.js';
import { lazyChildLogger } from './lazy-logger.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { requireTls13 } from './tls-guard.js';
import './route-config.js';

export type KitApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * A plugin registered at the root before any route, with its options: instrumentation such as
 * @cryptoutil/telemetry's `telemetryPlugin` (wrap it with fastify-plugin to see every request).
 */
export type AppPlugin = readonly [
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each plugin has its own options type
  plugin: FastifyPluginCallback<any> | FastifyPluginAsync<any>,
  options?: object,
];

export interface KitAppOptions {
  /** Node TLS server options (certificate, key, CA...); TLS 1.3 is enforced. */
  readonly https: ServerOptions;
  /** A pino logger; without it the app does not log. */
  readonly logger?: FastifyBaseLogger | undefined;
  readonly bodyLimit?: number | undefined;
  readonly plugins?: readonly AppPlugin[] | undefined;
  /** Names the listener in errors and logs. */
  readonly name: 'public' | 'admin';
}

// Every request's first hook, on both listeners (one hook, as each costs a request a turn of
// Fastify's hook runner): its id is echoed on the response, errors included (request-id.ts).
// While the app closes (graceful shutdown), requests that still arrive on open connections get
// a 503 problem, and every response asks the client to close its connection so the drain ends.
export function admitRequests(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (!closing) return done();
    void reply.header('connection', 'close');
    done(new ProblemError(problems.shuttingDown));
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}

// At level info, request lines are the largest per-request cost of the kit (docs/performance.md),
// so each request gets one line, written when the response is done, with the request, its
// status and time, instead of Fastify's two.
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

export function createKitApp(options: KitAppOptions): KitApp {
  const https = requireTls13(options.https, options.name);
  const app = Fastify({
    https,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    return503OnClosing: false,
    logController: new OneLinePerRequest(),
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (options.logger) {
    app.setChildLoggerFactory((logger, bindings, childOptions) =>
      lazyChildLogger(logger, bindings, childOptions),
    );
  }
  // The APIs speak JSON; a product adds parsers for the media types its protocols need.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', undefined);
  admitRequests(app);
  installErrorHandler(app);
  for (const [plugin, pluginOptions] of options.plugins ?? []) {
    void app.register(plugin as FastifyPluginCallback<object>, pluginOptions ?? {});
  }
  return app;
}
