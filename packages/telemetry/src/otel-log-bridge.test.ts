// Unit tests of the pino-to-OTel log bridge: severity mapping, attributes, trace correlation
// from the line or the active span, and pass-through of lines it cannot parse.
import { ROOT_CONTEXT, SeverityNumber, trace, type LogRecord } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createOtelLogBridge } from './otel-log-bridge.js';

function bridge(): { write: (line: string) => string; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const write = createOtelLogBridge({ emit: (r) => records.push(r), enabled: () => true });
  return { write, records };
}

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('createOtelLogBridge', () => {
  it('maps pino levels to OTel severities and keeps fields as attributes', () => {
    const { write, records } = bridge();
    const levels = [10, 20, 30, 40, 50, 60, 35];
    for (const level of levels)
      write(JSON.stringify({ level, time: 1700000000000, msg: 'm', a: 1 }));
    expect(records.map((r) => [r.severityNumber, r.severityText])).toEqual([
      [SeverityNumber.TRACE, 'TRACE'],
      [SeverityNumber.DEBUG, 'DEBUG'],
      [SeverityNumber.INFO, 'INFO'],
      [SeverityNumber.WARN, 'WARN'],
      [SeverityNumber.ERROR, 'ERROR'],
      [SeverityNumber.FATAL, 'FATAL'],
      [SeverityNumber.UNSPECIFIED, '35'],
    ]);
    expect(records[0]).toMatchObject({ body: 'm', timestamp: 1700000000000, attributes: { a: 1 } });
  });

  it('correlates with the trace ids bound on the line', () => {
    const { write, records } = bridge();
    const line = JSON.stringify({ level: 30, msg: 'x', trace_id: TRACE, span_id: SPAN, pid: 1 });
    expect(write(line)).toBe(line);
    const spanContext = trace.getSpanContext(records[0]?.context ?? ROOT_CONTEXT);
    expect(spanContext).toMatchObject({ traceId: TRACE, spanId: SPAN });
    expect(records[0]?.attributes).toEqual({});
  });

  it('falls back to the active context and to an empty body without msg', () => {
    const { write, records } = bridge();
    write(JSON.stringify({ level: 30 }));
    expect(records[0]?.body).toBe('');
    expect(typeof records[0]?.timestamp).toBe('number');
    expect(trace.getSpanContext(records[0]?.context ?? ROOT_CONTEXT)).toBeUndefined();
  });

  it('passes unparsable lines through without emitting', () => {
    const { write, records } = bridge();
    expect(write('not json\n')).toBe('not json\n');
    expect(records).toEqual([]);
  });
});
