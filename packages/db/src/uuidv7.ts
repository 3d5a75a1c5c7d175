// UUID version 7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12-bit rand_a, variant
// 0b10, 62-bit rand_b. Our primary keys are these, stored as lowercase text, so ids sort by
// creation time in both dialects and index inserts stay append-mostly.
import { getRandomValues } from 'node:crypto';

export interface UuidV7Options {
  /** Clock in epoch milliseconds (tests inject one). */
  readonly now?: () => number;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_MS = 2 ** 48 - 1;

/**
 * A generator of monotonic UUIDv7 strings. RFC 9562 §6.2 Method 1: rand_a is a 12-bit counter,
 * seeded randomly with its top bit clear (room for ≥2048 ids per ms), incremented within one
 * millisecond. When the counter overflows, or the clock steps back, the timestamp advances past
 * the last one used, so every id is strictly greater than the previous one from this generator.
 */
export function createUuidV7Generator(options: UuidV7Options = {}): () => string {
  const now = options.now ?? Date.now;
  let lastMs = -1;
  let counter = 0;
  const nextSeed = (): number => {
    const at = poolTake(2);
    return (((POOL[at] as number) << 8) | (POOL[at + 1] as number)) & 0x7ff;
  };
  return () => {
    const ms = Math.floor(now());
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_MS) {
      throw new RangeError('uuidv7: clock is outside the 48-bit millisecond range');
    }
    if (ms > lastMs) {
      lastMs = ms;
      counter = nextSeed();
    } else if (counter < 0xfff) {
      counter += 1;
    } else {
      lastMs += 1;
      counter = nextSeed();
    }
    return format(lastMs, counter);
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/**
 * CSPRNG bytes drawn in bulk, each byte used once: one getRandomValues call per 4 KiB (about 400
 * ids, with a counter seed each millisecond), where a call per id or per millisecond cost the
 * JOSE service 2% of its CPU.
 */
const POOL = new Uint8Array(4096);
let poolAt = POOL.length;

/** Where the next `n` (at most 8) unused bytes of the pool start; no view is made of them. */
function poolTake(n: number): number {
  if (poolAt + n > POOL.length) {
    getRandomValues(POOL);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}
/** The id text before rand_a for the last millisecond formatted ("tttttttt-tttt-"). */
let prefixMs = -1;
let prefix = '';

function format(ms: number, counter: number): string {
  if (ms !== prefixMs) {
    const hex = ms.toString(16).padStart(12, '0');
    prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-`;
    prefixMs = ms;
  }
  const at = poolTake(8);
  const h = (i: number) => HEX[POOL[at + i] as number] as string;
  return (
    `${prefix}${HEX[0x70 | (counter >> 8)] as string}${HEX[counter & 0xff] as string}-` +
    `${HEX[0x80 | ((POOL[at] as number) & 0x3f)] as string}${h(1)}-${h(2)}${h(3)}${h(4)}${h(5)}${h(6)}${h(7)}`
  );
}

/** A new UUIDv7, monotonic within this process. */
export const uuidv7: () => string = createUuidV7Generator();

/** True for a lowercase UUIDv7 string with the RFC 9562 variant. */
export function isUuidV7(value: string): boolean {
  return UUID_V7.test(value);
}

/** The creation time (epoch ms) carried by a UUIDv7. */
export function uuidv7Timestamp(id: string): number {
  if (!isUuidV7(id)) throw new TypeError('not a UUIDv7');
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * The smallest UUIDv7 text of a millisecond: every id made before `ms` sorts below it, every id
 * made at or after it sorts at or above it, so a time range is an id range (retention, `since`).
 */
export function uuidv7Floor(ms: number): string {
  const hex = Math.min(MAX_MS, Math.max(0, Math.floor(ms)))
    .toString(16)
    .padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
