// Which partition CRL lists a certificate: every certificate's CRLDP URL names the partition of
// its serial, so a relying party downloads a small CRL (RFC 5280 §4.2.1.13, §5.2.5), and the CA
// lists each revoked certificate in the partition CRL of that same number.
//
// The shard is the first 32 bits of SHA-256 over the serial's octets, modulo the partition count.
// Our serials are random today, but their layout is the serial generator's choice and imported or
// future serials may carry structure (a counter, a fixed prefix or suffix) that would pile
// certificates into a few partitions if the serial's own low bits were used; the hash spreads any
// layout evenly. Its cost (about a microsecond) is paid once at issuance and once per revoked
// entry when partitions are rebuilt. The bias of 2^32 mod n is below 2.4·10^-7 for n ≤ 1024.
//
// The partition is written into certificates, so this mapping must never change: the tests pin
// known values. The partition count of a CA must not change either while its certificates live.
import { createHash } from 'node:crypto';

export const MAX_CRL_PARTITIONS = 1024;

/**
 * The partition (0 ≤ p < partitions) of a serial given as hex: the canonical octets (leading
 * zeros dropped, so '00ab', 'AB' and 'ab' are one serial) go through SHA-256.
 */
export function crlPartitionOf(serialHex: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_CRL_PARTITIONS) {
    throw new TypeError(`partitions must be an integer from 1 to ${MAX_CRL_PARTITIONS}`);
  }
  const digits = /^0*([1-9a-f][0-9a-f]{0,39})$/i.exec(serialHex)?.[1];
  if (digits === undefined) throw new TypeError('serial must be a positive hex number');
  const octets = Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, 'hex');
  return createHash('sha256').update(octets).digest().readUInt32BE(0) % partitions;
}
