/**
 * The ecFlow wire protocol, pure: the 8-byte frame header, cereal JSON, the request envelope
 * with its identities, every reply decoded to a typed {@linkcode Reply}, the server's enum
 * numberings, and every user and task command as a {@linkcode Request} (the command with the
 * decoder of its reply) that `Client.request()` sends.
 *
 * @example Encode a ping as ecflow_client does
 * ```ts
 * import { ctsCommand, encodeFrame, encodeRequest } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const payload = encodeRequest(ctsCommand("ping"), {
 *   kind: "user",
 *   user: { user: "root", clientHost: "vm" },
 * });
 * assertEquals(new TextDecoder().decode(encodeFrame(payload).subarray(0, 8)), "     135");
 * ```
 *
 * @module
 */
export * from "./frame.ts";
export * from "./cereal.ts";
export * from "./request.ts";
export * from "./reply.ts";
export * from "./enums.ts";
export * from "./guard.ts";
export * from "./mementos.ts";
export * from "../requests/request.ts";
export * from "../requests/user.ts";
export * from "../requests/task.ts";
