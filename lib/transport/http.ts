/**
 * HTTP and HTTPS transports (`--http`, `--https`, `ECF_HOST_PROTOCOL`,
 * Python's `enable_http()`/`enable_https()`), as ecFlow 5.14+ speaks them:
 * one `POST /v1/ecflow` per command, `Content-Type: application/json`, the
 * same JSON document as the TCP payload (no 8-byte header) as the body; the
 * reply is `200 OK` with the reply JSON as the body. Any other status is an
 * error. A token from `ECF_AUTHTOKENS`/`~/.ecflowapirc` is sent as
 * `Authorization` (bearer or basic), as the 5.17 client does.
 *
 * Unlike the C++ client, HTTPS verifies the server's certificate (system
 * roots, plus `caCerts`).
 *
 * @module
 */
import { startDeadline } from "./deadline.ts";
import { ConfigError, ConnectionError, ProtocolError, TimeoutError } from "../errors.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { formatHostPort } from "../endpoint.ts";
import { authorizationFor } from "../auth/tokens.ts";
import { requireNetPermission, stripUndefined } from "./tcp.ts";
import { TlsSetupError } from "./tls_errors.ts";
import {
  DEFAULT_LIMITS,
  type ExchangeOptions,
  type Transport,
  type TransportLimits,
  type TransportTarget,
} from "./types.ts";

/** The request path of ecFlow's HTTP API. */
export const HTTP_API_PATH = "/v1/ecflow";

/** Options of {@linkcode HttpTransport}. */
export interface HttpOptions {
  /** Extra PEM certificates to trust for HTTPS (a self-signed proxy, a private CA). */
  caCerts?: string[];
  /** `Authorization` header value; default: from the token file, if any. */
  authorization?: string;
  /** Environment for the token file lookup (default: the process environment). */
  env?: EnvReader;
}

/** The base URL ecFlow matches tokens against: `http://host:port`. */
export function baseUrl(scheme: "http" | "https", target: TransportTarget): string {
  return `${scheme}://${formatHostPort(target.host, target.port)}`;
}

/** The whole text of an error and its causes (Deno's fetch puts the detail in `cause`). */
function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x !== undefined && x !== null && depth < 5; depth++) {
    parts.push(String((x as Error).message ?? x));
    x = (x as Error).cause;
  }
  return parts.join(": ");
}

/** What went wrong, without the request boilerplate: `invalid HTTP version parsed`. */
function detailOf(text: string): string {
  const m = /client error \([A-Za-z]+\): ([^\n]*)$/.exec(text);
  return (m ? m[1] : text.replace(/^fetch failed: /, "")).split("\n")[0];
}

function fetchFailure(e: unknown, target: TransportTarget, url: string): Error {
  const text = errorText(e);
  const detail = detailOf(text);
  if (/refused/i.test(text)) {
    return new ConnectionError("connection refused", target, "refused", { cause: e });
  }
  if (/dns error|failed to lookup|name or service|nodename/i.test(text)) {
    return new ConnectionError(`cannot resolve host '${target.host}'`, target, "dns", { cause: e });
  }
  if (/certificate|handshake|corrupt message|InvalidContentType|tls/i.test(text)) {
    return new TlsSetupError(
      `HTTPS to ${url} failed: ${detail}; is it an HTTPS endpoint? If its certificate is ` +
        "self-signed, trust it with the caCerts option or DENO_CERT=<file.pem>",
      target,
      { cause: e },
    );
  }
  if (/invalid HTTP|closed before message completed|unexpected EOF|parse/i.test(text)) {
    return new ProtocolError(
      `${url}: not an HTTP reply (${detail}); --http/--https need an ecFlow 5.14+ server ` +
        "started with --http or an HTTP(S) proxy in front of one; a plain ecFlow port needs " +
        "neither (and an ECF_SSL one needs --ssl)",
      { cause: e },
    );
  }
  return new ConnectionError(`${url}: ${detail}`, target, "other", { cause: e });
}

async function readLimited(
  res: Response,
  max: number,
  target: TransportTarget,
): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw new ProtocolError(
      `${
        formatHostPort(target.host, target.port)
      }: reply of ${declared} bytes exceeds the ${max}-byte limit`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += chunk.length;
    if (total > max) {
      throw new ProtocolError(
        `${formatHostPort(target.host, target.port)}: reply exceeds the ${max}-byte limit`,
      );
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * The HTTP or HTTPS transport.
 *
 * @example
 * ```ts ignore
 * import { Client, HttpTransport } from "@ecflow-ts/client";
 * const client = new Client("proxy.example:8443", { transport: new HttpTransport("https") });
 * await client.ping();
 * ```
 */
export class HttpTransport implements Transport {
  /** `http` or `https`. */
  readonly kind: "http" | "https";
  #limits: Required<TransportLimits>;
  #options: HttpOptions;
  #client: Deno.HttpClient | undefined;

  /** Creates the transport for `scheme`. */
  constructor(scheme: "http" | "https", limits: TransportLimits = {}, options: HttpOptions = {}) {
    this.kind = scheme;
    this.#limits = { ...DEFAULT_LIMITS, ...stripUndefined(limits) };
    this.#options = options;
  }

  /** The HTTP client, made on first use. */
  #httpClient(): Deno.HttpClient {
    // One request per connection, as ecFlow's own client does: a 5.17 server closes
    // each connection after its reply (while saying keep-alive), so a pooled
    // connection could be reused just as it goes away.
    this.#client ??= Deno.createHttpClient({
      poolMaxIdlePerHost: 0,
      ...(this.kind === "https" && this.#options.caCerts?.length
        ? { caCerts: this.#options.caCerts }
        : {}),
    });
    return this.#client;
  }

  /** Releases the HTTP client (a later exchange makes a new one). */
  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }

  /** POSTs the request document and returns the reply document's bytes. */
  async exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options: ExchangeOptions = {},
  ): Promise<Uint8Array> {
    const { signal: cancel, ...limits } = options;
    cancel?.throwIfAborted();
    const l = { ...this.#limits, ...stripUndefined(limits) };
    requireNetPermission(target);
    const base = baseUrl(this.kind, target);
    const url = base + HTTP_API_PATH;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const authorization = this.#options.authorization ??
      authorizationFor(base, this.#options.env ?? readEnv);
    if (authorization) headers["Authorization"] = authorization;

    const ac = new AbortController();
    const signal = ac.signal;
    const deadline = startDeadline(l.connectTimeoutMs + l.replyTimeoutMs, () => ac.abort());
    const cancelled = () => ac.abort();
    cancel?.addEventListener("abort", cancelled, { once: true });
    try {
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers,
          body: payload as Uint8Array<ArrayBuffer>,
          signal,
          client: this.#httpClient(),
        });
      } catch (e) {
        if (signal.aborted) throw e;
        if (e instanceof ConfigError) throw e;
        throw fetchFailure(e, target, url);
      }
      if (res.status !== 200) {
        const text = (await res.text().catch(() => "")).trim().split("\n")[0].slice(0, 200);
        const hint = res.status === 401 || res.status === 403
          ? "; check the token for this server in ECF_AUTHTOKENS or ~/.ecflowapirc " +
            "(and that deno may read it: --allow-read)"
          : "";
        throw new ProtocolError(
          `${url} answered HTTP ${res.status} ${res.statusText}${text ? `: ${text}` : ""}${hint}`,
        );
      }
      return await readLimited(res, l.maxReplyBytes, target);
    } catch (e) {
      if (cancel?.aborted) throw cancel.reason;
      if (signal.aborted) {
        throw new TimeoutError(
          `no complete reply from ${url} within ${
            (l.connectTimeoutMs + l.replyTimeoutMs) / 1000
          } s`,
          target,
          "reply",
        );
      }
      throw e;
    } finally {
      deadline.cancel();
      cancel?.removeEventListener("abort", cancelled);
    }
  }
}
