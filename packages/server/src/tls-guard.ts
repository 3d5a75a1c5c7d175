// TLS 1.3 only on every listener (ARCHITECTURE §6): the kit takes plain Node TLS server
// options and refuses any that would let a client negotiate an older protocol.
import type { ServerOptions } from 'node:https';

const ORDER = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/** `options` with `minVersion` pinned to TLSv1.3; throws TypeError for anything weaker. */
export function requireTls13(options: ServerOptions, listener: string): ServerOptions {
  const { minVersion, maxVersion } = options;
  if (minVersion !== undefined && minVersion !== 'TLSv1.3') {
    throw new TypeError(
      `${listener} listener: TLS minVersion ${minVersion} refused, TLSv1.3 is the minimum`,
    );
  }
  if (maxVersion !== undefined && ORDER.indexOf(maxVersion) < ORDER.indexOf('TLSv1.3')) {
    throw new TypeError(
      `${listener} listener: TLS maxVersion ${maxVersion} refused, TLSv1.3 is the minimum`,
    );
  }
  if (options.secureProtocol !== undefined) {
    // A legacy method name (e.g. TLSv1_2_method) would override min/max version.
    throw new TypeError(`${listener} listener: secureProtocol is not supported, use minVersion`);
  }
  return { ...options, minVersion: 'TLSv1.3' };
}
