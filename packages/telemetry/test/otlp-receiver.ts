// An in-process OTLP gRPC receiver for tests: implements the collector Export RPCs of traces,
// metrics and logs on 127.0.0.1, decodes them with the minimal protos in fixtures/otlp and
// flattens them into plain records keyed by the resource's service.name.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

type Decoded = Record<string, unknown>;
type Attrs = Record<string, unknown>;

export interface ReceivedSpan {
  service: string;
  resource: Attrs;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  statusCode: number;
  attributes: Attrs;
}

export interface ReceivedPoint {
  service: string;
  metric: string;
  unit: string;
  attributes: Attrs;
  count?: number;
  value?: number;
  bounds?: number[];
}

export interface ReceivedLog {
  service: string;
  severityText: string;
  body: unknown;
  traceId: string;
  spanId: string;
  attributes: Attrs;
}

export interface OtlpReceiver {
  endpoint: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  logs: ReceivedLog[];
  close(): Promise<void>;
}

const PROTO_DIR = join(import.meta.dirname, 'fixtures', 'otlp');

function toValue(any: Decoded | undefined): unknown {
  if (any === undefined || any === null) return undefined;
  const kind = any.value as string | undefined;
  if (kind === undefined) return undefined;
  const v = any[kind] as Decoded;
  if (kind === 'kvlistValue') return toAttrs(v.values as Decoded[] | undefined);
  if (kind === 'arrayValue') return ((v.values ?? []) as Decoded[]).map(toValue);
  if (kind === 'intValue') return Number(v);
  return v;
}

function toAttrs(kvs: Decoded[] | undefined): Attrs {
  const entries = (kvs ?? []).map((kv): [string, unknown] => [
    String(kv.key),
    toValue(kv.value as Decoded),
  ]);
  return Object.fromEntries(entries);
}

function hex(b: unknown): string {
  return Buffer.isBuffer(b) ? b.toString('hex') : '';
}

function each(
  list: unknown,
  fn: (item: Decoded, service: string, resource: Attrs) => void,
  key: string,
): void {
  for (const res of (list ?? []) as Decoded[]) {
    const resource = toAttrs((res.resource as Decoded).attributes as Decoded[]);
    const service = String(resource['service.name']);
    for (const scope of (res[key] ?? []) as Decoded[]) fn(scope, service, resource);
  }
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const def = protoLoader.loadSync(
    ['trace_service.proto', 'metrics_service.proto', 'logs_service.proto'],
    { includeDirs: [PROTO_DIR], longs: Number, enums: Number, oneofs: true, defaults: false },
  );
  const root = grpc.loadPackageDefinition(def) as unknown as {
    opentelemetry: {
      proto: {
        collector: Record<string, { v1: Record<string, { service: grpc.ServiceDefinition }> }>;
      };
    };
  };
  const collector = root.opentelemetry.proto.collector;
  const receiver: Omit<OtlpReceiver, 'endpoint' | 'close'> = { spans: [], points: [], logs: [] };
  const server = new grpc.Server();

  const handler =
    (consume: (req: Decoded) => void): grpc.handleUnaryCall<Decoded, Decoded> =>
    (call, callback) => {
      consume(call.request);
      callback(null, {});
    };

  server.addService(collector.trace!.v1.TraceService!.service, {
    Export: handler((req) =>
      each(
        req.resourceSpans,
        (scope, service, resource) => {
          for (const s of (scope.spans ?? []) as Decoded[]) {
            receiver.spans.push({
              service,
              resource,
              name: s.name as string,
              kind: (s.kind as number | undefined) ?? 0,
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: hex(s.parentSpanId),
              statusCode: ((s.status as Decoded | undefined)?.code as number | undefined) ?? 0,
              attributes: toAttrs(s.attributes as Decoded[]),
            });
          }
        },
        'scopeSpans',
      ),
    ),
  });
  server.addService(collector.metrics!.v1.MetricsService!.service, {
    Export: handler((req) =>
      each(
        req.resourceMetrics,
        (scope, service) => {
          for (const m of (scope.metrics ?? []) as Decoded[]) {
            const data = (m.histogram ?? m.sum ?? m.gauge) as Decoded | undefined;
            for (const p of (data?.dataPoints ?? []) as Decoded[]) {
              receiver.points.push({
                service,
                metric: m.name as string,
                unit: (m.unit as string | undefined) ?? '',
                attributes: toAttrs(p.attributes as Decoded[]),
                ...(p.count !== undefined ? { count: Number(p.count) } : {}),
                ...(p.asDouble !== undefined || p.asInt !== undefined
                  ? { value: Number(p.asDouble ?? p.asInt) }
                  : {}),
                ...(p.explicitBounds !== undefined ? { bounds: p.explicitBounds as number[] } : {}),
              });
            }
          }
        },
        'scopeMetrics',
      ),
    ),
  });
  server.addService(collector.logs!.v1.LogsService!.service, {
    Export: handler((req) =>
      each(
        req.resourceLogs,
        (scope, service) => {
          for (const r of (scope.logRecords ?? []) as Decoded[]) {
            receiver.logs.push({
              service,
              severityText: (r.severityText as string | undefined) ?? '',
              body: toValue(r.body as Decoded),
              traceId: hex(r.traceId),
              spanId: hex(r.spanId),
              attributes: toAttrs(r.attributes as Decoded[]),
            });
          }
        },
        'scopeLogs',
      ),
    ),
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return {
    ...receiver,
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
