/**
 * A request is a command (the data that goes on the wire) together with the decoder of its
 * reply to a typed result. Every user and task command is defined once, as a function that
 * returns a {@linkcode Request}; the client sends any request through one path and hands the
 * decoded reply to `decode`. A reply of a kind the command does not produce is a
 * {@linkcode ProtocolError}. Pure.
 *
 * @module
 */
import type { Command } from "../wire/request.ts";
import type { Reply } from "../wire/reply.ts";
import { ProtocolError } from "../errors.ts";

/**
 * A command and the decoder of its reply: what `Client.request()` sends.
 *
 * @example
 * ```ts
 * import { ctsCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const req = ctsCommand("suites");
 * assertEquals(req.cls, "CtsCmd");
 * assertEquals(req.decode({ kind: "suites", suites: ["s1", "s2"] }), ["s1", "s2"]);
 * ```
 */
export interface Request<T = unknown> extends Command {
  /** Turns the server's reply into the result; a reply of another kind is a ProtocolError. */
  decode(reply: Reply): T;
}

/** The reply variant of a kind. */
export type ReplyOf<K extends Reply["kind"]> = Extract<Reply, { kind: K }>;

/**
 * Makes a request of a command and a decoder (which also receives the command's label, for
 * messages).
 *
 * @example
 * ```ts
 * import { request, serverVersionCommand, textReply } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const req = request(serverVersionCommand(), textReply);
 * assertEquals(req.decode({ kind: "string", value: "5.9.2" }), "5.9.2");
 * ```
 */
export function request<T>(
  command: Command,
  decode: (reply: Reply, label: string) => T,
): Request<T> {
  return { ...command, decode: (reply) => decode(reply, command.label) };
}

/**
 * The reply when it is of one of `kinds`; else a {@linkcode ProtocolError} naming the request.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "@ecflow-ts/client";
 * import { expectReply } from "@ecflow-ts/client/wire";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(expectReply({ kind: "string", value: "x" }, "--stats", "string").value, "x");
 * assertThrows(
 *   () => expectReply({ kind: "stc", status: "ok" }, "--stats", "string"),
 *   ProtocolError,
 *   "unexpected 'stc' reply to --stats",
 * );
 * ```
 */
export function expectReply<K extends Reply["kind"]>(
  reply: Reply,
  label: string,
  ...kinds: K[]
): ReplyOf<K> {
  if (!(kinds as string[]).includes(reply.kind)) throw unexpectedReply(reply, label);
  return reply as ReplyOf<K>;
}

/**
 * The error for a reply of a class the command does not produce.
 *
 * @example
 * ```ts
 * import { unexpectedReply } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   unexpectedReply({ kind: "suites", suites: [] }, "--ping").message,
 *   "unexpected 'suites' reply to --ping",
 * );
 * ```
 */
export function unexpectedReply(reply: Reply, label: string): ProtocolError {
  return new ProtocolError(`unexpected '${reply.kind}' reply to ${label}`);
}

/**
 * Decoder of commands the server only acknowledges (`StcCmd`).
 *
 * @example
 * ```ts
 * import { acknowledged } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(acknowledged({ kind: "stc", status: "ok" }, "--restart"), undefined);
 * ```
 */
export function acknowledged(reply: Reply, label: string): void {
  expectReply(reply, label, "stc");
}

/**
 * Decoder of commands answered with text (`SStringCmd`).
 *
 * @example
 * ```ts
 * import { textReply } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(textReply({ kind: "string", value: "hello" }, "--stats"), "hello");
 * ```
 */
export function textReply(reply: Reply, label: string): string {
  return expectReply(reply, label, "string").value;
}

/**
 * The reply itself, for commands made by hand (`rawRequest`): any reply kind is accepted.
 *
 * @example
 * ```ts
 * import { rawRequest } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const req = rawRequest({ cls: "CtsCmd", base: "user", members: { api_: 8 }, label: "--ping" });
 * assertEquals(req.decode({ kind: "stc", status: "ok" }), { kind: "stc", status: "ok" });
 * ```
 */
export function rawRequest(command: Command): Request<Reply> {
  return request(command, (reply) => reply);
}
