// Serial numbers: CSPRNG serials that are positive, short enough and unique in practice, and the
// canonical text form every lookup uses.
import { describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import { der } from './pem.js';
import { newSerial, normalizeSerial, serialBytes, serialFromBytes } from './serial.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('newSerial', () => {
  const serials = Array.from({ length: 1000 }, newSerial);

  it('gives 1000 distinct serials', () => {
    expect(new Set(serials).size).toBe(1000);
  });

  it('is canonical lowercase hex of 16 octets with a non-zero first octet and the top bit clear', () => {
    for (const serial of serials) {
      expect(serial).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(serial.startsWith('00')).toBe(false);
      expect(normalizeSerial(serial)).toBe(serial);
    }
  });

  it('encodes as a positive DER INTEGER of at most 20 octets (RFC 5280 §4.1.2.2)', () => {
    for (const serial of serials) {
      const content = serialBytes(serial);
      expect(content.length).toBe(16);
      expect(content.length).toBeLessThanOrEqual(20);
      expect((content[0] ?? 0) & 0x80).toBe(0);
      expect(BigInt(`0x${serial}`) > 0n).toBe(true);
      expect(BigInt(`0x${serial}`) < 2n ** 159n).toBe(true);
    }
  });

  it('carries at least 64 random bits (CA/B BR §7.1): ≥ 15 hex digits and varied octets', () => {
    for (const serial of serials) expect(serial.length).toBeGreaterThanOrEqual(15);
    // Each of the 16 octet positions takes many values over 1000 draws.
    for (let i = 0; i < 16; i++) {
      const values = new Set(serials.map((s) => s.slice(2 * i, 2 * i + 2)));
      expect(values.size).toBeGreaterThan(i === 0 ? 90 : 200);
    }
  });
});

describe('normalizeSerial', () => {
  it.each([
    ['0x00AB:CD', 'abcd'],
    ['AB:CD:EF', 'abcdef'],
    ['000abc', '0abc'],
    ['  1  ', '01'],
    ['0', '00'],
    ['0X7F', '7f'],
    ['80', '80'],
    ['f'.repeat(40), 'f'.repeat(40)],
  ])('reads %j as %j', (input, canonical) => {
    expect(normalizeSerial(input)).toBe(canonical);
  });

  it.each(['', '0x', 'xyz', '12-34', '::', '0x0x12'])('refuses %j', (input) => {
    let error: unknown;
    try {
      normalizeSerial(input);
    } catch (err) {
      error = err;
    }
    expect(isCaError(error, 'invalid-request')).toBe(true);
    expect((error as Error).message).toBe('serial must be hexadecimal');
  });

  it('refuses more than 20 octets', () => {
    expect(() => normalizeSerial('1'.repeat(41))).toThrow('serial is longer than 20 octets');
  });
});

describe('serialBytes / serialFromBytes', () => {
  it('adds a 0x00 when the top bit is set, so the INTEGER stays positive', () => {
    expect(hex(serialBytes('80'))).toBe('0080');
    expect(hex(serialBytes('7f'))).toBe('7f');
    expect(hex(serialBytes('0x00:FF:01'))).toBe('00ff01');
    expect(hex(der(0x02, serialBytes('ff')))).toBe('020200ff');
  });

  it('reads INTEGER contents back to the canonical form', () => {
    expect(serialFromBytes(Uint8Array.of(0, 0x80))).toBe('80');
    expect(serialFromBytes(Uint8Array.of(0, 0, 1))).toBe('01');
    expect(serialFromBytes(Uint8Array.of(0))).toBe('00');
    expect(serialFromBytes(new Uint8Array(0))).toBe('00');
    for (const serial of ['01', '80', '7fff', newSerial()]) {
      expect(serialFromBytes(serialBytes(serial))).toBe(serial);
    }
  });
});
