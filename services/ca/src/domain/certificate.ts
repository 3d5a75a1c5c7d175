// Certificates as the CA keeps them: an enrollment's record from request to revocation. A
// pending enrollment waits for an admin (profiles with `approval: required`); an issued one has
// its serial, validity and DER; a revoked one its time and RFC 5280 reason. Pure data.
import type { RevocationReason } from './revocation.js';

export const CERTIFICATE_STATUSES = ['pending', 'rejected', 'issued', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export interface CertificateRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly issuerId: string;
  readonly profile: string;
  readonly status: CertificateStatus;
  /** Subject DN as RFC 4514 text; empty when the certificate has SANs only. */
  readonly subject: string;
  /** SANs as `DNS:…`, `IP:…`, `email:…`, `URI:…` (openssl's spelling). */
  readonly sans: readonly string[];
  readonly csr: Uint8Array;
  readonly requestedBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Requested validity, kept for a pending enrollment until it is decided. */
  readonly validityDays?: number;
  readonly serial?: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly der?: Uint8Array;
  /** The CRL partition (distribution point) the certificate names. */
  readonly partition?: number;
  readonly revokedAt?: number;
  readonly revocationReason?: RevocationReason;
  /** The admin who approved or rejected a pending enrollment. */
  readonly decidedBy?: string;
}

export interface CertificateQuery {
  readonly profile?: string | undefined;
  readonly status?: CertificateStatus | undefined;
  /** Substring of the subject DN, case-insensitive. */
  readonly subject?: string | undefined;
  /** Substring of any SAN value, case-insensitive. */
  readonly san?: string | undefined;
  readonly issuer?: string | undefined;
  readonly serial?: string | undefined;
  /** notAfter before this epoch-ms instant. */
  readonly expiresBefore?: number | undefined;
  /** notAfter at or after this epoch-ms instant. */
  readonly expiresAfter?: number | undefined;
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}
