/**
 * The transports: plain TCP (`Deno.connect`), TLS (`Deno.connectTls`, ecFlow's certificate
 * files) and HTTP/HTTPS (`fetch`, ecFlow 5.14+), each sending one request and returning one
 * reply with its own deadlines and size limit; and the choice among them by ecflow_client's
 * rules.
 *
 * @example Which transport the environment asks for
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { chooseTransport } from "@ecflow-ts/client/transport";
 * import { assertEquals } from "@std/assert";
 * assertEquals(chooseTransport({}, envFrom({ ECF_SSL: "1" })).kind, "tls");
 * ```
 *
 * @module
 */
export * from "./types.ts";
export { TcpTransport } from "./tcp.ts";
export * from "./tls.ts";
export * from "./http.ts";
export * from "./select.ts";
