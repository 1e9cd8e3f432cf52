/**
 * The terminal the live view draws on: the alternate screen (the operator's
 * shell comes back untouched on exit), raw keyboard input, the size, resizes
 * (`SIGWINCH`), and drawing a frame by rewriting only the lines that changed
 * (little traffic over a slow ssh link). Every change to the terminal is undone
 * on close, also when the program stops on `SIGTERM` or `SIGHUP`.
 *
 * @module
 */

const ESC = "\x1b[";
/** Alternate screen on, cursor hidden, screen cleared. */
const ENTER = `${ESC}?1049h${ESC}?25l${ESC}2J`;
/** Cursor shown, attributes reset, alternate screen off. */
const LEAVE = `${ESC}0m${ESC}?25h${ESC}?1049l`;

/** Terminal size. */
export interface Size {
  /** Columns. */
  columns: number;
  /** Lines. */
  rows: number;
}

/**
 * The escape sequences that turn frame `prev` into `next` (both one string per
 * screen line): each changed line is rewritten in place; everything when
 * `prev` is empty.
 *
 * @example
 * ```ts
 * import { frameUpdate } from "./terminal.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(frameUpdate(["a", "b"], ["a", "c"]), "\x1b[2;1Hc\x1b[K");
 * assertEquals(frameUpdate(["a", "b"], ["a", "b"]), "");
 * ```
 */
export function frameUpdate(prev: readonly string[], next: readonly string[]): string {
  let out = "";
  for (let i = 0; i < next.length; i++) {
    if (prev[i] !== next[i]) out += `${ESC}${i + 1};1H${next[i]}${ESC}K`;
  }
  if (prev.length > next.length) out += `${ESC}${next.length + 1};1H${ESC}J`;
  return out;
}

/**
 * The process's own terminal, opened for the live view.
 *
 * @example
 * ```ts ignore
 * import { Terminal } from "./terminal.ts";
 * using term = new Terminal();
 * term.open(() => draw(), () => Deno.exit(0));
 * const draw = () => term.draw([`${term.size().columns} columns`]);
 * draw();
 * for await (const keys of term.reads()) if (keys === "q") break;
 * ```
 */
export class Terminal implements Disposable {
  #encoder = new TextEncoder();
  #last: string[] = [];
  #raw = false;
  #open = false;
  #signals: [Deno.Signal, () => void][] = [];
  #onStop: () => void = () => {};

  /** True when standard output is a terminal (else the view prints a snapshot). */
  static outputIsTerminal(): boolean {
    return Deno.stdout.isTerminal();
  }

  /** True when keys can be read (standard input is a terminal). */
  get keyboard(): boolean {
    return this.#raw;
  }

  /**
   * Switches to the alternate screen and raw input. `onResize` is called on
   * `SIGWINCH`; `onStop` on `SIGTERM`, `SIGHUP` and (without a keyboard)
   * `SIGINT`, after the terminal is restored.
   */
  open(onResize: () => void, onStop: () => void): void {
    this.#onStop = onStop;
    if (Deno.stdin.isTerminal()) {
      Deno.stdin.setRaw(true);
      this.#raw = true;
    }
    this.#write(ENTER);
    this.#open = true;
    this.#listen("SIGWINCH", () => {
      this.#last = [];
      this.#write(`${ESC}2J`);
      onResize();
    });
    const stop = () => {
      this.close();
      this.#onStop();
    };
    this.#listen("SIGTERM", stop);
    this.#listen("SIGHUP", stop);
    if (!this.#raw) this.#listen("SIGINT", stop);
  }

  #listen(signal: Deno.Signal, handler: () => void): void {
    try {
      Deno.addSignalListener(signal, handler);
      this.#signals.push([signal, handler]);
    } catch { /* not on this platform (Windows has no SIGWINCH) */ }
  }

  /** The size now (80×24 when it cannot be known). */
  size(): Size {
    try {
      const { columns, rows } = Deno.consoleSize();
      if (columns > 0 && rows > 0) return { columns, rows };
    } catch { /* not a terminal */ }
    return { columns: 80, rows: 24 };
  }

  /** Draws a frame (one string per line), rewriting only the lines that changed. */
  draw(lines: readonly string[]): void {
    if (!this.#open) return;
    const update = frameUpdate(this.#last, lines);
    if (update) this.#write(update);
    this.#last = [...lines];
  }

  /** Yields what each read of the keyboard gives, until the terminal is closed. */
  async *reads(): AsyncGenerator<string> {
    if (!this.#raw) return;
    const buf = new Uint8Array(256);
    const decoder = new TextDecoder();
    while (this.#open) {
      let n: number | null;
      try {
        n = await Deno.stdin.read(buf);
      } catch {
        return;
      }
      if (n === null) return;
      yield decoder.decode(buf.subarray(0, n), { stream: true });
    }
  }

  /** Restores the terminal (idempotent). */
  close(): void {
    for (const [signal, handler] of this.#signals) {
      try {
        Deno.removeSignalListener(signal, handler);
      } catch { /* already gone */ }
    }
    this.#signals = [];
    if (!this.#open) return;
    this.#open = false;
    this.#write(LEAVE);
    if (this.#raw) {
      try {
        Deno.stdin.setRaw(false);
      } catch { /* stdin gone (ssh dropped) */ }
      this.#raw = false;
    }
  }

  /** Same as {@linkcode Terminal.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #write(text: string): void {
    const data = this.#encoder.encode(text);
    let off = 0;
    try {
      while (off < data.length) off += Deno.stdout.writeSync(data.subarray(off));
    } catch { /* the terminal went away: nothing to draw on */ }
  }
}
