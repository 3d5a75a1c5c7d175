import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, isUuidV7, uuidv7, uuidv7Floor, uuidv7Timestamp } from './uuidv7.js';

const counterOf = (id: string): number => Number.parseInt(id.slice(15, 18), 16);

describe('uuidv7', () => {
  it('sets version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = uuidv7();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuidV7(id)).toBe(true);
    }
  });

  it('encodes the clock as 48-bit big-endian milliseconds', () => {
    const ms = 0x0123_4567_89ab;
    const id = createUuidV7Generator({ now: () => ms })();
    expect(id.slice(0, 13)).toBe('01234567-89ab');
    expect(uuidv7Timestamp(id)).toBe(ms);
  });

  it('is strictly increasing and unique within one millisecond', () => {
    const next = createUuidV7Generator({ now: () => 1_700_000_000_000 });
    const ids = Array.from({ length: 5000 }, () => next());
    expect(new Set(ids).size).toBe(5000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the counter into the timestamp when 4096 ids share a millisecond', () => {
    const next = createUuidV7Generator({ now: () => 1000 });
    const ids = Array.from({ length: 4097 }, () => next());
    expect(uuidv7Timestamp(ids[0]!)).toBe(1000);
    expect(uuidv7Timestamp(ids.at(-1)!)).toBe(1001);
    expect(counterOf(ids[0]!)).toBeLessThan(0x800);
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays monotonic when the clock steps back', () => {
    let now = 5000;
    const next = createUuidV7Generator({ now: () => now });
    const first = next();
    now = 4000;
    const second = next();
    expect(second > first).toBe(true);
    expect(uuidv7Timestamp(second)).toBe(5000);
    expect(counterOf(second)).toBe(counterOf(first) + 1);
  });

  it('reseeds the counter when the millisecond advances', () => {
    let now = 1;
    const next = createUuidV7Generator({ now: () => now });
    next();
    now = 2;
    const id = next();
    expect(uuidv7Timestamp(id)).toBe(2);
    expect(counterOf(id)).toBeLessThan(0x800);
  });

  it.each([-1, 2 ** 48, Number.NaN])('refuses a clock of %s', (ms) => {
    expect(() => createUuidV7Generator({ now: () => ms })()).toThrow(RangeError);
  });

  it('sorts ids from the process-wide generator by creation', () => {
    const a = uuidv7();
    const b = uuidv7();
    expect(a < b).toBe(true);
  });

  it('rejects non-v7 strings', () => {
    expect(isUuidV7('0190d6d8-1c1a-4c1a-8a1a-0123456789ab')).toBe(false);
    expect(isUuidV7('0190D6D8-1C1A-7C1A-8A1A-0123456789AB')).toBe(false);
    expect(isUuidV7('0190d6d8-1c1a-7c1a-ca1a-0123456789ab')).toBe(false);
    expect(() => uuidv7Timestamp('nope')).toThrow(TypeError);
  });
});

describe('uuidv7Floor', () => {
  it('sorts below every id of its millisecond and above every earlier one', () => {
    const ms = 1_700_000_000_123;
    const at = createUuidV7Generator({ now: () => ms });
    const before = createUuidV7Generator({ now: () => ms - 1 });
    const floor = uuidv7Floor(ms);
    expect(floor).toBe('018bcfe5-687b-0000-0000-000000000000');
    for (let i = 0; i < 100; i += 1) {
      expect(at() >= floor).toBe(true);
      expect(before() < floor).toBe(true);
    }
    expect(uuidv7Floor(-5)).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuidv7Floor(2 ** 60)).toBe('ffffffff-ffff-0000-0000-000000000000');
    expect(uuidv7Floor(ms + 0.9)).toBe(floor);
  });
});
