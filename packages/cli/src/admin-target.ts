// Where a product's admin listener answers and which CA its certificate chains to, from the
// product's config (admin.address/port and the tls section) unless --url / --cacert say
// otherwise. Used by `health` and `shutdown`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnyProductDefinition, ServiceConfig } from '@cryptoutil/server';
import { UsageError } from './io.js';

export interface AdminTarget {
  readonly url: URL;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

function readOption(cwd: string, flag: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`${flag}: cannot read ${resolve(cwd, file)}`);
  }
}

function caFileOf(config: ServiceConfig): string | undefined {
  const tls = config.tls;
  switch (tls.mode) {
    case 'auto':
      return join(tls.dir, 'ca.pem');
    case 'static':
      return tls.caFile;
    case 'mixed':
      return tls.caCertFile;
  }
}

export function adminTarget(
  _product: AnyProductDefinition,
  config: ServiceConfig,
  options: { url?: string; cacert?: string; cert?: string; key?: string },
  cwd: string,
): AdminTarget {
  let url: URL;
  try {
    const host = config.admin.address.includes(':')
      ? `[${config.admin.address}]`
      : config.admin.address;
    url = new URL(options.url ?? `https://${host}:${config.admin.port}`);
  } catch {
    throw new UsageError(`--url: not a URL: ${options.url ?? ''}`);
  }
  if (url.protocol !== 'https:')
    throw new UsageError('--url: the admin listener speaks HTTPS only');
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw new UsageError('--cert and --key go together');
  }
  const client = {
    cert: readOption(cwd, '--cert', options.cert),
    key: readOption(cwd, '--key', options.key),
  };
  const caFile = options.cacert ?? caFileOf(config);
  if (caFile === undefined) return { url, ca: undefined, ...client };
  try {
    return { url, ca: readFileSync(resolve(cwd, caFile), 'utf8'), ...client };
  } catch {
    throw new UsageError(`cannot read the CA certificate ${resolve(cwd, caFile)} (pass --cacert)`);
  }
}
