/**
 * A small seeded pseudo-random generator (mulberry32) for reproducible fuzzing:
 * the same seed always gives the same sequence, so a failing case can be
 * replayed from the seed printed by the test.
 */

/** A seeded random source with the helpers the fuzzers need. */
export class Prng {
  #state: number;

  /** Starts the sequence for `seed` (any 32-bit integer). */
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextU32() & 0xff;
    return out;
  }
}

/**
 * The seed for a test run: `FUZZ_SEED` from the environment when set (to
 * replay a failure), else `fallback`.
 */
export function seedFromEnv(fallback: number): number {
  const v = Deno.env.get("FUZZ_SEED");
  if (v === undefined || v.trim() === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got '${v}'`);
  return n >>> 0;
}
