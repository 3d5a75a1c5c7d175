// A queue of short texts (one JSON value each) held as UTF-8 in reused off-heap chunks until
// they are taken as one JSON array. Audit records wait up to `flushMs` (200 ms) to be written;
// as JavaScript objects, thousands of them alive at once were copied by every young-generation
// collection and then promoted to the old generation, which collected them again. Here each
// record is a short-lived string, copied into memory the garbage collector never scans.
import { Buffer } from 'node:buffer';

const CHUNK_BYTES = 64 * 1024;

export class TextQueue {
  /** Chunks, filled in order up to `#current`; later ones are spare, kept for reuse. */
  readonly #chunks: Buffer[] = [];
  /** Bytes used in each chunk before `#current`. */
  readonly #ends: number[] = [];
  #current = 0;
  #used = 0;
  #count = 0;

  get length(): number {
    return this.#count;
  }

  /** Appends one JSON value (its text). */
  push(json: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit, and the opening bracket or a comma: a bound, so
    // the hot path makes no native call to count the bytes before writing them.
    const bytes = json.length * 3 + 1;
    let chunk = this.#chunks[this.#current];
    if (chunk !== undefined && this.#used + bytes > chunk.length && this.#used > 0) {
      this.#ends[this.#current] = this.#used;
      this.#current += 1;
      this.#used = 0;
      chunk = this.#chunks[this.#current];
    }
    if (chunk === undefined || bytes > chunk.length) {
      chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes));
      this.#chunks[this.#current] = chunk;
    }
    chunk[this.#used] = this.#count === 0 ? 0x5b : 0x2c; // '[' first, ',' between
    this.#used += 1 + chunk.write(json, this.#used + 1, 'utf8');
    this.#count += 1;
  }

  /** Everything queued as one JSON array text; the queue is empty after (chunks are kept). */
  take(): string {
    if (this.#count === 0) return '[]';
    let text = '';
    for (let i = 0; i < this.#current; i += 1) {
      text += (this.#chunks[i] as Buffer).toString('utf8', 0, this.#ends[i]);
    }
    text += (this.#chunks[this.#current] as Buffer).toString('utf8', 0, this.#used);
    this.#current = 0;
    this.#used = 0;
    this.#count = 0;
    return `${text}]`;
  }
}
