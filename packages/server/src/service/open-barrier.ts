// Opens the barrier of a product at start (ARCHITECTURE §4): the unseal source its config
// names, the key store in the product's database, and the unseal itself, except in shares mode
// where operators unseal through the admin API. Dev mode refuses a persistent database: its
// unseal key is gone at exit, and so would be every key stored under it.
import {
  createBarrier,
  createKyselyBarrierStore,
  loadUnsealSource,
  type Barrier,
  type BarrierTables,
} from '@cryptoutil/barrier';
import { ConfigError } from '@cryptoutil/config';
import { parseDatabaseUrl, type Database } from '@cryptoutil/db';
import type { Logger } from 'pino';
import { ReadinessCheckError, type ReadinessCheck } from '../readiness.js';
import type { ServiceConfig } from './service-config.js';

export async function openBarrier(
  config: ServiceConfig,
  database: Database<unknown>,
  logger: Logger,
): Promise<Barrier> {
  if (config.barrier.mode === 'dev') {
    const url = parseDatabaseUrl(config.database.url);
    if (!(url.dialect === 'sqlite' && url.memory)) {
      throw new ConfigError([
        {
          path: 'barrier.mode',
          message: 'dev unseal keys are lost at exit: use dev only with database.url ":memory:"',
        },
      ]);
    }
    logger.warn('barrier in DEV mode: a random unseal key; every key and datum is lost at exit');
  }
  const source = await loadUnsealSource(config.barrier);
  const store = createKyselyBarrierStore(database as Database<BarrierTables>);
  const barrier = createBarrier({ store, source });
  if (source.mode === 'shares') {
    logger.warn('barrier sealed: operators unseal it with POST /admin/v1/barrier/unseal');
  } else {
    await barrier.unseal();
  }
  return barrier;
}

/** readyz fails while the barrier is sealed. */
export function barrierReadiness(barrier: Barrier): ReadinessCheck {
  return {
    name: 'barrier',
    check: () =>
      barrier.state === 'sealed'
        ? Promise.reject(new ReadinessCheckError('sealed'))
        : Promise.resolve(),
  };
}
