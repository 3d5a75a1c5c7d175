// A collector that accepts connections and never answers must not hold shutdown hostage:
// shutdown() gives up after its budget and says so.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, telemetryConfigSchema } from '../src/index.js';

let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise((resolve) => silent.close(resolve));
});

describe('telemetry shutdown budget', () => {
  it('stops waiting for a silent collector after the budget', async () => {
    const { port } = silent.address() as { port: number };
    const telemetry = await startTelemetry({
      serviceName: 'cryptoutil-budget',
      serviceVersion: '1',
      config: telemetryConfigSchema.parse({ otlp: { endpoint: `http://127.0.0.1:${port}` } }),
      shutdownBudgetMs: 300,
    });
    telemetry.tracer.startSpan('work').end();
    await expect(telemetry.shutdown()).rejects.toThrow(
      'telemetry flush exceeded 300 ms; unsent data dropped',
    );
    // Idempotent: the same outcome, no second wait.
    await expect(telemetry.shutdown()).rejects.toThrow('exceeded 300 ms');
  });
});
