/**
 * Version facts about ecflow-ts itself.
 *
 * @module
 */

/** The ecflow-ts package version (kept equal to `deno.json`). */
export const VERSION = "0.1.0";

/** The wire protocol ecflow-ts speaks (as ecflow_client reports its own). */
export const PROTOCOL = "JSON cereal 1.3.0";

/** The ecFlow server versions this client is built and tested for. */
export const SUPPORTED_SERVERS = "5.9 to 5.17";
