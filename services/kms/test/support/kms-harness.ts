// Starts the real KMS in-process for integration tests (the kit's product harness: TLS 1.3
// listeners, barrier, migrations) with API keys for two tenants and a reader.
import {
  startProductHarness,
  type ApiKeyGrant,
  type ProductHarness,
} from '@cryptoutil/server/testing';
import { kmsProduct } from '../../src/index.js';
import { KMS_SCOPES } from '../../src/product.js';

export type KmsHarness = ProductHarness;

export const DEFAULT_GRANTS: Readonly<Record<string, ApiKeyGrant>> = {
  alice: { tenant: 'tenant-a', scopes: KMS_SCOPES },
  bob: { tenant: 'tenant-b', scopes: KMS_SCOPES },
  reader: { tenant: 'tenant-a', scopes: ['kms:read'] },
};

export function startKms(
  options: {
    readonly config?: Record<string, unknown>;
    readonly grants?: Readonly<Record<string, ApiKeyGrant>>;
    readonly keys?: Readonly<Record<string, string>>;
  } = {},
): Promise<KmsHarness> {
  return startProductHarness(kmsProduct, { ...options, grants: options.grants ?? DEFAULT_GRANTS });
}
