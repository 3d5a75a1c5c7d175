// @cryptoutil/server/testing: helpers for products' integration tests (not for production).
export { send, type TestRequest, type TestResponse } from './https-client.js';
export { freePort, waitFor } from './net.js';
export {
  startProductHarness,
  TEST_PEPPER,
  type ApiKeyGrant,
  type CallOptions,
  type ProductHarness,
  type ProductHarnessOptions,
} from './product-harness.js';
