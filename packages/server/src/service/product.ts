// What a product hands the kit: its name, ports, config schema and migrations, and a factory
// that builds its routes and readiness checks from the shared collaborators. `startService`
// does the rest (TLS, telemetry, database, listeners, shutdown), identically for every product.
import type { Barrier } from '@cryptoutil/barrier';
import type { Database, Migration } from '@cryptoutil/db';
import type { Telemetry } from '@cryptoutil/telemetry';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ApiRoutes } from '../chains/routes.js';
import type { AdminRoutes, ReadinessCheck } from '../admin-app.js';
import type { PlainHttpListener } from '../plain-app.js';
import type { WellKnownRoutes } from '../public-app.js';
import type { ServiceConfig } from './service-config.js';

export interface ServiceContext<C extends ServiceConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly database: Database<unknown>;
  readonly telemetry: Telemetry;
  /** Encryption at rest, unsealed (or, in shares mode, waiting for operators' shares). */
  readonly barrier: Barrier;
}

export interface ServiceParts {
  /** Operations served under both /service/api/v1 and /browser/api/v1. */
  readonly routes?: ApiRoutes;
  /** Public metadata under /.well-known. */
  readonly wellKnown?: WellKnownRoutes;
  /** Extra admin routes under /admin/v1 (e.g. the barrier's). */
  readonly adminRoutes?: AdminRoutes;
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** A read-only plain-HTTP listener for signed data (the CA's revocation data, §2). */
  readonly plainHttp?: PlainHttpListener;
  /** Runs at shutdown after the public listener drained, before the database closes. */
  readonly close?: () => Promise<void>;
}

export interface ProductDefinition<C extends ServiceConfig = ServiceConfig> {
  /** Command and service name: `kms`, `ca`, `jose`, `identity`. */
  readonly name: string;
  readonly title: string;
  readonly configSchema: z.ZodType<C>;
  readonly migrations: readonly Migration[];
  /** Every scope the product's routes require; dev mode's generated API key holds them all. */
  readonly scopes?: readonly string[];
  createService(context: ServiceContext<C>): Promise<ServiceParts>;
  /** Renders the product's OpenAPI document (specs/<name>.openapi.yaml) from its routes. */
  readonly openapi?: (version: string) => Promise<string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- registries hold products of any config type
export type AnyProductDefinition = ProductDefinition<any>;

export function defineProduct<C extends ServiceConfig>(
  definition: ProductDefinition<C>,
): ProductDefinition<C> {
  return definition;
}
