// A set of 32-bit blocks as two hashed bitsets: asking may say yes wrongly, never no wrongly. The
// matcher reads the first one's `words` and `shift` directly in its inner loop, where a method
// call per sample would cost more than the lookup itself; a sample that passes is checked against
// the second one, hashed differently, before the exact lookup. That lookup keys a Map by numbers
// beyond V8's small integers, which costs tens of nanoseconds: too much for 2% of all samples.

// About 64 bits per block keep under 2% of the bits set, so few samples pass on to the exact
// lookup, while 100 secrets with all their forms stay within 256 KiB to 1 MiB: an L2 cache.
const BITS_PER_KEY = 64;
const MIN_BITS = 15;
const MAX_BITS = 24;

/** Fibonacci hashing: the high bits of `key * MULTIPLIER` pick the bit. */
export const MULTIPLIER = 0x9e3779b1;
const CONFIRM_MULTIPLIER = 0x85ebca6b;

export class BlockFilter {
  readonly words: Int32Array;
  readonly shift: number;
  readonly #confirm: Int32Array;

  constructor(keys: Iterable<number>, count: number) {
    const wanted = Math.ceil(Math.log2(Math.max(count, 1) * BITS_PER_KEY));
    const bits = Math.min(Math.max(wanted, MIN_BITS), MAX_BITS);
    this.words = new Int32Array((1 << bits) / 32);
    this.#confirm = new Int32Array((1 << bits) / 32);
    this.shift = 32 - bits;

    for (const key of keys) {
      setBit(this.words, Math.imul(key, MULTIPLIER) >>> this.shift);
      setBit(this.#confirm, Math.imul(key, CONFIRM_MULTIPLIER) >>> this.shift);
    }
  }

  /** The second check, for a block whose bit in `words` is set. */
  confirms(key: number): boolean {
    const bit = Math.imul(key, CONFIRM_MULTIPLIER) >>> this.shift;
    return (this.#confirm[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }
}

function setBit(words: Int32Array, bit: number): void {
  words[bit >>> 5] |= 1 << (bit & 31);
}
