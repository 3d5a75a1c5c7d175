// Product-level metric helpers (ARCHITECTURE §7): crypto operations counted by product,
// operation, algorithm and outcome. Attribute values are low-cardinality names, never key ids.
import type { Counter, Meter } from '@opentelemetry/api';

export const CRYPTO_OPERATIONS_METRIC = 'cryptoutil.crypto.operations';

export type CryptoOutcome = 'success' | 'failure';

export interface CryptoOperation {
  /** kms, ca, jose or identity. */
  product: string;
  /** e.g. encrypt, decrypt, sign, verify, wrap, unwrap. */
  operation: string;
  /** JOSE/X.509 algorithm name, e.g. A256GCM, ES256, RSA-OAEP-256. */
  algorithm: string;
  outcome: CryptoOutcome;
}

export interface CryptoOperationCounter {
  /** Adds `count` (default 1) operations. */
  add(operation: CryptoOperation, count?: number): void;
  readonly counter: Counter;
}

export function createCryptoOperationCounter(meter: Meter): CryptoOperationCounter {
  const counter = meter.createCounter(CRYPTO_OPERATIONS_METRIC, {
    description:
      'Cryptographic operations performed, by product, operation, algorithm and outcome.',
    unit: '{operation}',
  });
  return {
    counter,
    add: (op, count = 1) => {
      counter.add(count, {
        product: op.product,
        operation: op.operation,
        algorithm: op.algorithm,
        outcome: op.outcome,
      });
    },
  };
}

export const BARRIER_STATE_METRIC = 'cryptoutil.barrier.state';
export const BARRIER_STATES = ['sealed', 'unsealed'] as const;

/**
 * Reports the barrier state as a gauge: 1 for the current state, 0 for the other, so a
 * dashboard can graph `state="sealed"` directly. Unitless on purpose (a unit of `1` makes
 * Prometheus append `_ratio` to the name).
 */
export function observeBarrierState(
  meter: Meter,
  current: () => (typeof BARRIER_STATES)[number],
): void {
  meter
    .createObservableGauge(BARRIER_STATE_METRIC, {
      description: 'Barrier state of the product: 1 for the current state (sealed or unsealed).',
    })
    .addCallback((result) => {
      const now = current();
      for (const state of BARRIER_STATES) result.observe(state === now ? 1 : 0, { state });
    });
}
