/**
 * How the program ends when a job-script wrapper waits for it.
 *
 * A job's bash runs `ecflow_client --complete`, then reads its next line from the job file
 * that the server rewrites for the next iteration of a repeat (ecFlow's own race: a job that
 * reads on in the new text fails). A Deno process needs milliseconds of CPU after its work is
 * done to be torn down (its address space unmapped), during which bash still waits. The
 * README's wrapper (tools/compile.ts `wrapperScript`) therefore names a FIFO in
 * `ECF_TS_DONE_FIFO`; the program writes its exit status there once all its output is
 * written, and the wrapper returns at once while the process exits.
 *
 * @module
 */
import { readEnv } from "../env.ts";

/**
 * The environment variable naming the FIFO the exit status is written to.
 *
 * @example
 * ```ts
 * import { DONE_FIFO_VARIABLE } from "./done.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(DONE_FIFO_VARIABLE, "ECF_TS_DONE_FIFO");
 * ```
 */
export const DONE_FIFO_VARIABLE = "ECF_TS_DONE_FIFO";

/**
 * Writes `status` and a newline to the FIFO `fifo`, then unlinks it, when this process may
 * read and write it (`--allow-read=<fifo> --allow-write=<fifo>`: opened for both, a FIFO never
 * blocks, so there is no waiting for the reader and no thread hop). Returns true when the
 * status was written; false, having written nothing, when `fifo` is not a FIFO or may not be
 * opened. Never throws.
 *
 * @example
 * ```ts
 * import { announceStatus } from "./done.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(announceStatus(0, "/nonexistent/ecflow-ts.done"), false);
 * ```
 */
export function announceStatus(status: number, fifo: string): boolean {
  try {
    for (const name of ["read", "write"] as const) {
      if (Deno.permissions.querySync({ name, path: fifo }).state !== "granted") return false;
    }
    const file = Deno.openSync(fifo, { read: true, write: true });
    try {
      if (!file.statSync().isFifo) return false;
      file.writeSync(new TextEncoder().encode(`${status}\n`));
    } finally {
      file.close();
    }
    try {
      Deno.removeSync(fifo); // after the status: the wrapper is not kept waiting for it
    } catch { /* the wrapper removes it */ }
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the process with `status`, first writing it to the FIFO named by `ECF_TS_DONE_FIFO`
 * when a wrapper set one (see {@linkcode announceStatus}).
 *
 * @example
 * ```ts ignore
 * import { exitProgram } from "./done.ts";
 * exitProgram(0); // the process ends here
 * ```
 */
export function exitProgram(status: number, fifo = readEnv(DONE_FIFO_VARIABLE)): never {
  if (fifo) announceStatus(status, fifo);
  Deno.exit(status);
}
