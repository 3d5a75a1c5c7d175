// Forwards pino log lines to an OTel logger (OTLP logs). It receives the serialized line after
// redaction, so exported records carry no more than the JSON log does. Trace correlation comes
// from the line's trace_id/span_id (bound per request) or else from the active span.
import {
  context,
  ROOT_CONTEXT,
  SeverityNumber,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Logger as OtelLogger,
} from '@opentelemetry/api';

const SEVERITY: Readonly<Record<number, [SeverityNumber, string]>> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};

// Fields that become the record's own members rather than attributes.
const RESERVED = new Set(['level', 'time', 'msg', 'trace_id', 'span_id', 'pid', 'hostname']);

function correlationContext(traceId: unknown, spanId: unknown): Context {
  if (typeof traceId === 'string' && typeof spanId === 'string') {
    const spanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
    return trace.setSpanContext(ROOT_CONTEXT, spanContext);
  }
  return context.active();
}

/** Returns a pino `hooks.streamWrite` function that also emits each line to `emitter`. */
export function createOtelLogBridge(emitter: OtelLogger): (line: string) => string {
  return (line) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return line;
    }
    const [severityNumber, severityText] = SEVERITY[Number(record.level)] ?? [
      SeverityNumber.UNSPECIFIED,
      String(record.level),
    ];
    const attributes: Attributes = {};
    for (const [name, value] of Object.entries(record)) {
      if (!RESERVED.has(name)) attributes[name] = value;
    }
    emitter.emit({
      severityNumber,
      severityText,
      body: record.msg ?? '',
      timestamp: typeof record.time === 'number' ? record.time : Date.now(),
      attributes,
      context: correlationContext(record.trace_id, record.span_id),
    });
    return line;
  };
}
