// Telemetry configuration: log level, the OTLP gRPC collector (absent endpoint = telemetry
// off) and an optional service-name override. Header values are secrets (collector tokens).
import { secret } from '@cryptoutil/config';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const otlpConfigSchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'OTLP gRPC collector endpoint, e.g. http://127.0.0.1:4317 or https://collector:4317; absent turns traces, metrics and OTLP logs off',
      ),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM file of the CA that signs the collector certificate (https endpoints only)'),
    headers: z
      .record(z.string(), secret(z.string()))
      .optional()
      .describe(
        'gRPC metadata sent with every export, e.g. an authorization token (secret values)',
      ),
    exportIntervalMs: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe('Interval between metric exports, in milliseconds'),
  })
  .superRefine((otlp, ctx) => {
    if (otlp.caFile !== undefined && !otlp.endpoint?.startsWith('https:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['caFile'],
        message: 'caFile requires an https endpoint',
      });
    }
  });

export const telemetryConfigSchema = z.object({
  logLevel: z.enum(LOG_LEVELS).default('info').describe('Minimum level of JSON log lines'),
  otlp: otlpConfigSchema
    .default({ exportIntervalMs: 10_000 })
    .describe('OpenTelemetry export over OTLP gRPC'),
  serviceName: z
    .string()
    .min(1)
    .optional()
    .describe('Overrides the service.name resource attribute (defaults to the product name)'),
});

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
export type TelemetryConfigInput = z.input<typeof telemetryConfigSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
