/**
 * Deadlines for network waits. A deadline calls `onTimeout` when it passes, unless cancelled.
 *
 * Measured with Deno 2.9: the first `setTimeout` of a process costs ~4 ms (Deno sets up its
 * timers then), a large share of a one-shot CLI call such as a job's `--label`, while
 * `AbortSignal.timeout` costs ~0.3 ms. But an `AbortSignal.timeout` cannot be cancelled: in a
 * long-lived client making thousands of requests its timers pile up until they expire and slow
 * every request. So the first deadlines of a process use `AbortSignal.timeout`, later ones a
 * cancellable `setTimeout`.
 *
 * @module
 */

/** A running deadline. */
export interface Deadline {
  /** Stops the deadline (no effect once it fired). */
  cancel(): void;
  /** True once the deadline passed. */
  readonly fired: boolean;
}

/** How many deadlines use `AbortSignal.timeout` before `setTimeout` takes over. */
let uncancellableLeft = 2;

/** Starts a deadline of `ms` milliseconds (clamped to what timers accept). */
export function startDeadline(ms: number, onTimeout: () => void): Deadline {
  const delay = Math.max(0, Math.min(Math.ceil(ms), 2 ** 31 - 1));
  let fired = false;
  const fire = () => {
    fired = true;
    onTimeout();
  };
  if (uncancellableLeft > 0) {
    uncancellableLeft--;
    const signal = AbortSignal.timeout(delay);
    signal.addEventListener("abort", fire, { once: true });
    return {
      cancel: () => signal.removeEventListener("abort", fire),
      get fired() {
        return fired;
      },
    };
  }
  const timer = setTimeout(fire, delay);
  return {
    cancel: () => clearTimeout(timer),
    get fired() {
      return fired;
    },
  };
}
