// The link between an admin app and the runtime that drives it: readyz reads `draining`, the
// shutdown endpoint calls `requestShutdown`, and `createServerRuntime` finds the lifecycle of
// the admin app it was given. Kept in a WeakMap so no Fastify decoration leaks into products.
import type { FastifyInstance } from 'fastify';

export interface AdminLifecycle {
  /** True from the first moment of shutdown: readyz answers 503. */
  draining: boolean;
  /** Set by the runtime; the shutdown endpoint calls it once its 202 is sent. */
  requestShutdown: ((reason: string) => void) | undefined;
}

const lifecycles = new WeakMap<object, AdminLifecycle>();

export function attachLifecycle(app: FastifyInstance): AdminLifecycle {
  const lifecycle: AdminLifecycle = { draining: false, requestShutdown: undefined };
  lifecycles.set(app, lifecycle);
  return lifecycle;
}

/** The lifecycle of an app built by `buildAdminApp`; TypeError for any other app. */
export function lifecycleOf(app: object): AdminLifecycle {
  const lifecycle = lifecycles.get(app);
  if (!lifecycle) throw new TypeError('adminApp must be built with buildAdminApp');
  return lifecycle;
}
