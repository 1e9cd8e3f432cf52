/**
 * Deadlines for network waits. A deadline calls `onTimeout` when it passes, unless cancelled.
 *
 * Every deadline of the process shares one timer, armed for the earliest deadline that was
 * pending when it was armed. Starting a deadline that ends later than the armed timer, moving
 * one later, or cancelling one costs no timer call at all: a client sending thousands of
 * requests, each with a deadline seconds away, touches the timer about once per deadline
 * period. When the timer fires it calls the deadlines that have passed and arms itself for
 * the earliest one left.
 *
 * The timer is an `AbortSignal.timeout`: it does not keep the process alive (a pending socket
 * operation does that while a deadline matters), and a process's first one costs a fraction
 * of the first `setTimeout`, which matters to a one-shot CLI call such as a job's `--label`.
 * It cannot be cleared: when a deadline ends before the armed timer, a new timer is armed and
 * the later one, when it fires, finds nothing to do.
 *
 * @module
 */

/** A running deadline. */
export interface Deadline {
  /** Stops the deadline (no effect once it fired). */
  cancel(): void;
  /** Starts the deadline again, `ms` milliseconds from now (no effect once it fired). */
  restart(ms: number): void;
  /** True once the deadline passed. */
  readonly fired: boolean;
}

/** The longest delay a timer accepts. */
const MAX_DELAY = 2 ** 31 - 1;

const pending = new Set<Entry>();
/** When the armed timer fires (`Infinity`: none armed). */
let armedFor = Infinity;

class Entry implements Deadline {
  due: number;
  fired = false;
  constructor(ms: number, readonly onTimeout: () => void) {
    this.due = dueIn(ms);
  }

  cancel(): void {
    pending.delete(this);
  }

  restart(ms: number): void {
    if (this.fired) return;
    this.due = dueIn(ms);
    if (this.due < armedFor) arm(this.due);
  }
}

function dueIn(ms: number): number {
  return performance.now() + Math.max(0, Math.min(Math.ceil(ms), MAX_DELAY));
}

function arm(due: number): void {
  armedFor = due;
  const delay = Math.max(0, Math.min(Math.ceil(due - performance.now()), MAX_DELAY));
  AbortSignal.timeout(delay).addEventListener("abort", () => fire(due), { once: true });
}

/** The timer armed for `due` fired: call the deadlines that passed, arm for the next one. */
function fire(due: number): void {
  if (due !== armedFor) return; // a later timer an earlier deadline replaced
  armedFor = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const entry of pending) {
    if (entry.due <= now) {
      pending.delete(entry);
      entry.fired = true;
      try {
        entry.onTimeout();
      } catch { /* one deadline's action failing must not keep the others from firing */ }
    } else if (entry.due < next) next = entry.due;
  }
  if (next !== Infinity && next < armedFor) arm(next);
}

/**
 * Starts a deadline of `ms` milliseconds (clamped to what timers accept).
 *
 * @example
 * ```ts
 * import { startDeadline } from "./deadline.ts";
 * import { assertEquals } from "@std/assert";
 * let passed = false;
 * const deadline = startDeadline(5, () => passed = true);
 * await new Promise((resolve) => setTimeout(resolve, 50));
 * assertEquals([passed, deadline.fired], [true, true]);
 * const cancelled = startDeadline(5, () => passed = false);
 * cancelled.cancel();
 * await new Promise((resolve) => setTimeout(resolve, 50));
 * assertEquals([passed, cancelled.fired], [true, false]);
 * ```
 */
export function startDeadline(ms: number, onTimeout: () => void): Deadline {
  const entry = new Entry(ms, onTimeout);
  pending.add(entry);
  if (entry.due < armedFor) arm(entry.due);
  return entry;
}
