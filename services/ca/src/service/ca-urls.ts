// The URLs certificates name for their revocation data (RFC 5280 §4.2.1.13 CRLDP, §4.2.2.1 AIA)
// and where the listeners serve it: under `/.well-known/pki-ca` on the plain-HTTP listener
// (the base URL) and the same paths on the HTTPS one.
export const PKI_CA_PATH = '/.well-known/pki-ca';

export interface CaUrls {
  /** The OCSP responder: one URL for every CA, the CertID names the issuer (RFC 6960 §4.1.1). */
  readonly ocsp: string;
  /** The CA's certificate, DER (AIA caIssuers). */
  caIssuers(caId: string): string;
  /** The CA's full CRL, DER. */
  crl(caId: string): string;
  /** One partition of the CA's CRL, DER: what an end-entity certificate's CRLDP names. */
  crlPartition(caId: string, partition: number): string;
}

export function caUrlsOf(baseUrl: string): CaUrls {
  const base = `${baseUrl.replace(/\/+$/, '')}${PKI_CA_PATH}`;
  return {
    ocsp: `${base}/ocsp`,
    caIssuers: (caId) => `${base}/certs/${caId}.crt`,
    crl: (caId) => `${base}/crl/${caId}.crl`,
    crlPartition: (caId, partition) => `${base}/crl/${caId}/${partition}.crl`,
  };
}
