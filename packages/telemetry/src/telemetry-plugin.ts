// Fastify plugin: one SERVER span per request, named `${method} ${route}` and parented on an
// incoming W3C `traceparent` (W3C Trace Context §3), the http.server.request.duration
// histogram, and trace_id/span_id bound into the request logger so every request line,
// "incoming request" included, carries them.
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import { describeRequest, type HttpRequestInfo } from './http-attributes.js';
import { createHttpServerDurationHistogram } from './http-metrics.js';
import type { Telemetry } from './telemetry.js';

export interface TelemetryPluginOptions {
  telemetry: Telemetry;
}

interface StartedSpan {
  span: Span;
  parent: Context;
}

interface RequestState {
  span: Span;
  info: HttpRequestInfo;
  error?: Error;
}

// A plugin-local propagator: extraction never depends on what a host registered globally.
const propagator = new W3CTraceContextPropagator();

const plugin: FastifyPluginCallback<TelemetryPluginOptions> = (app, opts, done) => {
  const { telemetry } = opts;
  // Without a collector nothing would be exported: no hooks, so no per-request cost (bench:kms).
  if (!telemetry.enabled) {
    done();
    return;
  }
  const histogram = createHttpServerDurationHistogram(telemetry.meter);
  const started = new WeakMap<IncomingMessage, StartedSpan>();
  const states = new WeakMap<FastifyRequest, RequestState>();

  function startSpan(raw: IncomingMessage): StartedSpan {
    const parent = propagator.extract(ROOT_CONTEXT, raw.headers, defaultTextMapGetter);
    // Named by method only until routing is known (onRequest renames it).
    const span = telemetry.tracer.startSpan(
      raw.method ?? 'HTTP',
      { kind: SpanKind.SERVER },
      parent,
    );
    return { span, parent };
  }

  function traceBindings(span: Span): Record<string, string> {
    const { traceId, spanId } = span.spanContext();
    return { trace_id: traceId, span_id: spanId };
  }

  // Fastify builds the request logger before the first hook runs, so the span starts here.
  // The factory in place (Fastify's or a product's) still builds the child logger.
  const previousFactory = app.childLoggerFactory;
  app.setChildLoggerFactory(function (logger, bindings, childOpts, raw) {
    const s = startSpan(raw);
    started.set(raw, s);
    const withIds = { ...bindings, ...traceBindings(s.span) };
    return previousFactory.call(this, logger, withIds, childOpts, raw);
  });

  app.addHook('onRequest', (request, reply, next) => {
    let s = started.get(request.raw);
    if (s === undefined) {
      // Routes registered before this plugin keep Fastify's own logger factory.
      s = startSpan(request.raw);
      request.log = request.log.child(traceBindings(s.span));
      reply.log = request.log;
    }
    started.delete(request.raw);
    const info = describeRequest(request);
    s.span.updateName(info.route !== undefined ? `${info.method} ${info.route}` : info.method);
    s.span.setAttributes(info.spanAttributes);
    states.set(request, { span: s.span, info });
    // Run the rest of the lifecycle inside the span so handlers' spans and logs nest under it.
    context.with(trace.setSpan(s.parent, s.span), next);
  });

  app.addHook('onError', (request, _reply, error, next) => {
    const state = states.get(request);
    if (state !== undefined) state.error = error;
    next();
  });

  // A client that goes away before the answer leaves no onResponse: end its span here, so no
  // span stays open (and in memory) forever. No duration is recorded: nothing was answered.
  app.addHook('onRequestAbort', (request, next) => {
    const state = states.get(request);
    if (state !== undefined) {
      states.delete(request);
      state.span.setAttributes({ ...state.info.metricAttributes, [ATTR_ERROR_TYPE]: 'aborted' });
      state.span.end();
    }
    next();
  });

  app.addHook('onResponse', (request, reply, next) => {
    const state = states.get(request);
    if (state !== undefined) {
      states.delete(request);
      finish(state, reply.statusCode, reply.elapsedTime);
    }
    next();
  });

  function finish(state: RequestState, status: number, elapsedMs: number): void {
    const attributes: Attributes = {
      ...state.info.metricAttributes,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
    };
    // Semconv: only 5xx marks a server span as failed; 4xx is the client's error.
    if (status >= 500) {
      attributes[ATTR_ERROR_TYPE] = state.error?.name ?? String(status);
      state.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    state.span.setAttributes(attributes);
    state.span.end();
    histogram.record(elapsedMs / 1000, attributes);
  }

  done();
};

export const telemetryPlugin = fp(plugin, { fastify: '5.x', name: '@cryptoutil/telemetry' });
