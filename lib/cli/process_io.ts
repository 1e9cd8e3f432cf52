/**
 * The CLI's output when it runs as a program: this process's standard output and error.
 *
 * @module
 */
import type { CliIo } from "./registry.ts";

const encoder = new TextEncoder();

/** Standard output and error of this process, each text written whole. */
export const processIo: CliIo = {
  out: (t) => writeAllSync(Deno.stdout, encoder.encode(t)),
  err: (t) => writeAllSync(Deno.stderr, encoder.encode(t)),
};

function writeAllSync(w: { writeSync(p: Uint8Array): number }, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += w.writeSync(data.subarray(off));
}
