// The HTTP server duration histogram of the OTel HTTP semantic conventions
// (http.server.request.duration, unit s, the semconv explicit bucket boundaries).
import type { Histogram, Meter } from '@opentelemetry/api';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';

/** Bucket boundaries recommended by the semconv for http.server.request.duration (seconds). */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

export function createHttpServerDurationHistogram(meter: Meter): Histogram {
  return meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
  });
}
