/**
 * Line tokenizer of the definition parser: splits a statement at blanks into token
 * offsets, makes token strings only on demand, and interns the keywords.
 *
 * @module
 */

/** Keywords by length, each with its first character's code. */
const KEYWORDS_BY_LENGTH: { code: number; word: string }[][] = [];
for (
  const k of [
    "suite",
    "family",
    "task",
    "alias",
    "endsuite",
    "endfamily",
    "endtask",
    "endalias",
    "edit",
    "event",
    "meter",
    "label",
    "limit",
    "inlimit",
    "trigger",
    "complete",
    "repeat",
    "time",
    "today",
    "date",
    "day",
    "cron",
    "late",
    "defstatus",
    "queue",
    "generic",
    "zombie",
    "verify",
    "calendar",
    "clock",
    "endclock",
    "autocancel",
    "autoarchive",
    "autorestore",
  ]
) (KEYWORDS_BY_LENGTH[k.length] ??= []).push({ code: k.charCodeAt(0), word: k });

/** The interned keyword spelled by `src[b, b+len)`, or "" when it is not one. */
export function keyword(src: string, b: number, len: number): string {
  const cands = KEYWORDS_BY_LENGTH[len];
  if (cands !== undefined) {
    const c = src.charCodeAt(b);
    for (let k = 0; k < cands.length; k++) {
      if (cands[k].code === c && src.startsWith(cands[k].word, b)) return cands[k].word;
    }
  }
  return "";
}

/** One statement: a physical line, or a `;`-separated part of one. */
export class Line {
  /** Source string, and the statement's range in it. */
  src = "";
  start = 0;
  end = 0;
  /** 1-based line number. */
  no = 0;
  /** Column offset of the statement within the physical line (for `;` statements). */
  offset = 0;
  /** Number of tokens. */
  count = 0;
  /** The first token (keywords are interned: no allocation per line). */
  kw = "";
  /** Absolute start/end offsets of each token in `src`. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly _toks: string[] = [];
  private readonly _cols: number[] = [];
  private materialized = false;

  /** The statement text. */
  get text(): string {
    return this.src.slice(this.start, this.end);
  }

  /** Token `i` as a string. */
  tok(i: number): string {
    return i === 0 ? this.kw : this.src.slice(this.starts[i], this.ends[i]);
  }

  /** Index of the first token at or after `from` that starts with `#` (or `count`). */
  hashIndex(from: number): number {
    for (let i = from; i < this.count; i++) {
      if (this.src.charCodeAt(this.starts[i]) === 35) return i;
    }
    return this.count;
  }

  /** Tokens `from` to `to` (exclusive) joined by single spaces, as `toks.slice(from, to).join(" ")`. */
  joined(from: number, to: number): string {
    if (to <= from) return "";
    const src = this.src;
    for (let i = from + 1; i < to; i++) {
      if (this.starts[i] !== this.ends[i - 1] + 1 || src.charCodeAt(this.ends[i - 1]) !== 32) {
        return this.toks.slice(from, to).join(" ");
      }
    }
    return src.slice(this.starts[from], this.ends[to - 1]);
  }

  /** All tokens (made on first use; reused between lines: copy what must be kept). */
  get toks(): string[] {
    if (!this.materialized) this.materialize();
    return this._toks;
  }

  /** 0-based start column of each token, relative to the statement start. */
  get cols(): number[] {
    if (!this.materialized) this.materialize();
    return this._cols;
  }

  private materialize(): void {
    const t = this._toks, c = this._cols;
    t.length = this.count;
    c.length = this.count;
    for (let i = 0; i < this.count; i++) {
      t[i] = this.tok(i);
      c[i] = this.starts[i] - this.start;
    }
    this.materialized = true;
  }

  /**
   * Split `src[start, end)` at blanks: token offsets only, strings on demand. `spacesOnly`
   * says `src` holds no tab or carriage return: tokens are then found with `indexOf`, not a
   * loop over every character (which costs most before the code is optimised).
   */
  fill(
    src: string,
    start: number,
    end: number,
    no: number,
    offset: number,
    spacesOnly = false,
  ): this {
    this.src = src;
    this.start = start;
    this.end = end;
    this.no = no;
    this.offset = offset;
    this.materialized = false;
    const starts = this.starts, ends = this.ends;
    let n = 0;
    let i = start;
    if (spacesOnly) {
      while (i < end) {
        while (src.charCodeAt(i) === 32) {
          if (++i >= end) break;
        }
        if (i >= end) break;
        let e = src.indexOf(" ", i);
        if (e < 0 || e > end) e = end;
        starts[n] = i;
        ends[n] = e;
        n++;
        i = e + 1;
      }
    } else {
      while (i < end) {
        let c = src.charCodeAt(i);
        while (c === 32 || c === 9 || c === 13) {
          if (++i >= end) break;
          c = src.charCodeAt(i);
        }
        if (i >= end) break;
        const b = i;
        do c = src.charCodeAt(++i); while (i < end && c !== 32 && c !== 9 && c !== 13);
        starts[n] = b;
        ends[n] = i;
        n++;
      }
    }
    this.count = n;
    this.kw = n === 0
      ? ""
      : keyword(src, starts[0], ends[0] - starts[0]) || src.slice(starts[0], ends[0]);
    return this;
  }
}

/** Index of the first token starting with `#` at or after `from`, or toks.length. */
export function commentIndex(toks: string[], from: number): number {
  for (let i = from; i < toks.length; i++) if (toks[i].charCodeAt(0) === 35) return i;
  return toks.length;
}
