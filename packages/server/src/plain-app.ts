// The one plain-HTTP exception (ARCHITECTURE §2): a read-only listener for signed data that
// relying parties fetch without TLS, such as the CA's CRLs, OCSP responses and CA certificates
// (RFC 5280 §4.2.1.13 and §4.2.2.1, RFC 6960 Appendix A): checking the revocation of the
// certificate that secures the fetch would be circular. It has no authentication and no
// `/service` or `/browser` chains; it answers GET and HEAD, and POST only where a protocol reads
// with it (OCSP). Request ids, one log line per request, problem+json errors and load shedding
// while closing are the kit's.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyPluginCallback,
} from 'fastify';
import { clientErrorHandler, frameworkErrors } from './client-errors.js';
import { installErrorHandler } from './error-handler.js';
import { OneLinePerRequest, admitRequests, type AppPlugin } from './kit-app.js';
import { lazyChildLogger } from './lazy-logger.js';
import { ProblemError, problems } from './problems/index.js';
import { requestIdFor } from './request-id.js';

export type PlainApp = FastifyInstance;
export type PlainRoutes = FastifyPluginCallback | FastifyPluginAsync;

/** What a product serves in plain HTTP, and where (`ServiceParts.plainHttp`). */
export interface PlainHttpListener {
  readonly address: string;
  readonly port: number;
  readonly routes: PlainRoutes;
  /** Largest request body, in bytes (an OCSP request is a few hundred). Default 64 KiB. */
  readonly bodyLimit?: number;
}

export interface PlainAppOptions {
  readonly logger?: FastifyBaseLogger | undefined;
  /** Registered first, as on the HTTPS listeners (e.g. the telemetry plugin). */
  readonly plugins?: readonly AppPlugin[] | undefined;
  readonly routes: PlainRoutes;
  readonly bodyLimit?: number | undefined;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'POST']);

export function buildPlainApp(options: PlainAppOptions): PlainApp {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: options.bodyLimit ?? 65_536,
    return503OnClosing: false,
    logController: new OneLinePerRequest(),
    frameworkErrors,
    clientErrorHandler,
  });
  if (options.logger) {
    app.setChildLoggerFactory((logger, bindings, childOptions) =>
      lazyChildLogger(logger, bindings, childOptions),
    );
  }
  app.removeContentTypeParser(['text/plain', 'application/json']);
  admitRequests(app);
  installErrorHandler(app);
  for (const [plugin, pluginOptions] of options.plugins ?? []) {
    void app.register(plugin as FastifyPluginCallback<object>, pluginOptions ?? {});
  }
  // Nothing here writes: only the reading methods reach a route, whatever a product registers.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const writing = methods.filter((method) => !READ_METHODS.has(method));
    if (writing.length > 0) {
      throw new TypeError(
        `the plain-HTTP listener is read-only: ${writing.join(', ')} ${route.url}`,
      );
    }
  });
  app.addHook('onRequest', (request, _reply, done) => {
    if (READ_METHODS.has(request.method)) return done();
    done(new ProblemError(problems.methodNotAllowed));
  });
  void app.register(options.routes);
  return app;
}
