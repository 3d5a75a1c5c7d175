// TlsMaterial: what a listener needs after TLS config is loaded, in PEM, whatever the mode.
import type { ClientAuth } from './tls-config-schema.js';

export interface TlsMaterial {
  /** PEM chain the server sends: the leaf first, then intermediates. */
  readonly cert: string;
  /** PEM private key of the leaf. */
  readonly key: string;
  /** PEM trust anchors clients should use to verify this server (may be empty in static mode). */
  readonly ca: string[];
  /** Absolute path of a file holding `ca`, to print or offer to users (`curl --cacert`). */
  readonly caFile?: string;
  /** PEM trust anchors for client certificates (mTLS). */
  readonly clientCa?: string[];
  readonly clientAuth: ClientAuth;
}
