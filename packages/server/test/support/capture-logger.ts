// A real pino logger whose JSON lines the tests can read, to assert what is (and is not) logged.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  /** Every line as raw text, for "never logged" assertions. */
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, lines, text: () => lines.map((line) => JSON.stringify(line)).join('\n') };
}
