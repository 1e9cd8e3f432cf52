/**
 * The `ecflow-ts` command line, spelled like `ecflow_client`:
 *
 * ```sh
 * deno run --allow-net=localhost:3141 --allow-env=ECF_HOST,ECF_PORT jsr:@ecflow-ts/client/cli --ping
 * ```
 *
 * @module
 */
export { main } from "./lib/cli/main.ts";
export type { CliIo } from "./lib/cli/main.ts";
export { formatDuration, pingLine } from "./lib/cli/format.ts";
import { main } from "./lib/cli/main.ts";
import { exitProgram } from "./lib/cli/done.ts";

if (import.meta.main) {
  exitProgram(await main(Deno.args));
}
