// Revocation reasons (RFC 5280 §5.3.1 CRLReason; value 7 is unused there) as the API names them
// and as CRL entries and OCSP responses encode them.

export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;

export function isRevocationReason(value: string): value is RevocationReason {
  return Object.hasOwn(REVOCATION_REASONS, value);
}

/** A revoked certificate as CRLs and OCSP see it. */
export interface RevokedEntry {
  /** The serial number as lowercase hex without leading zero octets (see crypto/serial.ts). */
  readonly serial: string;
  readonly revokedAt: Date;
  /** Omitted for `unspecified` (RFC 5280 §5.3.1: the reason code SHOULD be absent then). */
  readonly reason?: RevocationReason;
}
