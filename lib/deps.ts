/**
 * The only module that names `jsr:` specifiers used by the published code.
 *
 * A module run from a URL ignores the remote `deno.json` import map, so the
 * specifiers are versioned here, in one place.
 *
 * @module
 */
export { parseArgs } from "jsr:@std/cli@^1.0.32/parse-args";
export type { ParseOptions } from "jsr:@std/cli@^1.0.32/parse-args";
