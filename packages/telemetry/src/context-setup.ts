// Process-wide OTel context: one AsyncLocalStorage context manager and the W3C trace-context
// propagator, registered once. Providers stay per product (see start-telemetry.ts); only the
// context machinery is global, because it carries no service identity.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let registered = false;

export function ensureGlobalContext(): void {
  if (registered) return;
  registered = true;
  // setGlobal* refuse to overwrite an existing registration (returns false); that is fine:
  // whoever registered first (e.g. a host application) wins.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
