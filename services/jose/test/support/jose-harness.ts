// Starts the real JOSE Authority in-process for integration tests (the kit's product harness:
// TLS 1.3 listeners, barrier, migrations) with API keys for two tenants and a reader.
import {
  startProductHarness,
  type ApiKeyGrant,
  type ProductHarness,
} from '@cryptoutil/server/testing';
import { JOSE_SCOPES, joseProduct } from '../../src/index.js';

export type JoseHarness = ProductHarness;

export const DEFAULT_GRANTS: Readonly<Record<string, ApiKeyGrant>> = {
  alice: { tenant: 'tenant-a', scopes: JOSE_SCOPES },
  bob: { tenant: 'tenant-b', scopes: JOSE_SCOPES },
  reader: { tenant: 'tenant-a', scopes: ['jose:read'] },
};

export function startJose(
  options: {
    readonly config?: Record<string, unknown>;
    readonly grants?: Readonly<Record<string, ApiKeyGrant>>;
    readonly keys?: Readonly<Record<string, string>>;
  } = {},
): Promise<JoseHarness> {
  return startProductHarness(joseProduct, { ...options, grants: options.grants ?? DEFAULT_GRANTS });
}
