// The CRL partition of a serial: pinned values (certificates carry the partition in their CRLDP
// URL, so the mapping may never change), the canonical forms that map alike, an even spread of
// random and of structured serials, and the refused inputs.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crlPartitionOf, MAX_CRL_PARTITIONS } from './crl-partition.js';

describe('crlPartitionOf', () => {
  it('keeps the pinned partitions: SHA-256 of the serial octets, first 32 bits mod n', () => {
    const serial = '7f3a9c01d2e4b5a6978812345678abcd';
    expect(crlPartitionOf('01', 1024)).toBe(559); // SHA-256(0x01) starts 4bf5122f
    expect(crlPartitionOf('01', 16)).toBe(15);
    expect(crlPartitionOf(serial, 1024)).toBe(854); // e69f7756
    expect(crlPartitionOf(serial, 64)).toBe(22);
    expect(crlPartitionOf(serial, 1000)).toBe(454);
    expect(crlPartitionOf('abc', 7)).toBe(3); // octets 0a bc
    expect(crlPartitionOf('ff'.repeat(20), 1024)).toBe(319);
    const digest = createHash('sha256').update(Buffer.from(serial, 'hex')).digest();
    expect(crlPartitionOf(serial, 1000)).toBe(digest.readUInt32BE(0) % 1000);
  });

  it('maps every spelling of one serial alike: leading zeros, case, odd length', () => {
    const p = crlPartitionOf('0abc', 97);
    expect(['abc', 'ABC', '00000abc', '0ABC'].map((hex) => crlPartitionOf(hex, 97))).toEqual([
      p,
      p,
      p,
      p,
    ]);
  });

  it('puts everything in partition 0 of 1 and stays in range for every count', () => {
    for (let n = 1; n <= MAX_CRL_PARTITIONS; n += 1) {
      const serial = randomBytes(16).toString('hex');
      const p = crlPartitionOf(serial, n);
      expect(Number.isInteger(p) && p >= 0 && p < n).toBe(true);
    }
    expect(crlPartitionOf(randomBytes(16).toString('hex'), 1)).toBe(0);
  });

  it('spreads structured serials evenly (a counter over a constant low half)', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 32_000; i += 1) {
      const serial = `${i.toString(16).padStart(8, '0')}00000000cafe0000`;
      const p = crlPartitionOf(serial, 16);
      counts[p] = (counts[p] ?? 0) + 1;
    }
    // 2,000 expected in each; the inputs are fixed, so this outcome is too.
    expect(Math.min(...counts)).toBeGreaterThan(1800);
    expect(Math.max(...counts)).toBeLessThan(2200);
  });

  it('refuses partition counts outside 1..1024 and serials that are not positive hex', () => {
    for (const n of [0, -1, 1025, 1.5, Number.NaN]) {
      expect(() => crlPartitionOf('01', n)).toThrow(
        new TypeError('partitions must be an integer from 1 to 1024'),
      );
    }
    for (const serial of ['', '0', '000', 'xyz', '12 34', '0x12', '1'.repeat(41)]) {
      expect(() => crlPartitionOf(serial, 16)).toThrow(
        new TypeError('serial must be a positive hex number'),
      );
    }
    expect(crlPartitionOf(`00${'1'.repeat(40)}`, 16)).toBe(crlPartitionOf('1'.repeat(40), 16));
  });
});
