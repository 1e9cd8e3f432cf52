/**
 * Choosing the transport as ecflow_client (5.9–5.17) does, option before
 * environment:
 *
 * 1. TLS when `ssl` is set (`--ssl`, `enableSsl()`) or `ECF_SSL` is set (any
 *    value; its value picks the certificate file) and `ssl` is not `false`.
 *    TLS wins over HTTP.
 * 2. Else HTTPS when `https` is set (`--https`, `enableHttps()`), HTTP when
 *    `http` is set; else `ECF_HOST_PROTOCOL` = `HTTPS` or `HTTP` (exactly).
 * 3. Else plain TCP.
 *
 * @module
 */
import { type EnvReader, readEnv } from "../env.ts";
import { HttpTransport } from "./http.ts";
import { TcpTransport } from "./tcp.ts";
import { TlsTransport } from "./tls.ts";
import type { Transport, TransportLimits } from "./types.ts";

/** The transports ecFlow knows. */
export type TransportKind = "tcp" | "tls" | "http" | "https";

/** Options that choose and configure the transport (part of `ClientOptions`). */
export interface TransportSelection {
  /**
   * Use TLS (`--ssl`, Python's `enable_ssl()`); `ECF_SSL` in the environment
   * does the same. `false` (Python's `disable_ssl()`) ignores `ECF_SSL`.
   */
  ssl?: boolean;
  /** Use HTTP (`--http`, `enable_http()`; ecFlow 5.14+ servers started with `--http`). */
  http?: boolean;
  /** Use HTTPS (`--https`, `enable_https()`; an HTTPS proxy in front of such a server). */
  https?: boolean;
  /** TLS: the certificate folder (default `ECF_SSL_DIR`, else `$HOME/.ecflowrc/ssl/`). */
  certDir?: string;
  /** TLS and HTTPS: PEM certificates to trust (TLS: instead of the ecFlow certificate file). */
  caCerts?: string[];
}

/** Which transport the options and the environment ask for, and why. */
export interface TransportChoice {
  /** The transport. */
  kind: TransportKind;
  /** What chose it: `--ssl`, `ECF_SSL`, `--http`, `ECF_HOST_PROTOCOL`, `default`, … */
  source: string;
  /** For TLS: the `ECF_SSL` value form (`"1"` for `--ssl` alone). */
  ecfSsl?: string;
}

/**
 * Decides the transport by ecflow_client's rules.
 *
 * @example
 * ```ts
 * import { chooseTransport } from "@ecflow-ts/client/transport";
 * import { envFrom } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(chooseTransport({}, envFrom({ ECF_HOST_PROTOCOL: "HTTPS" })).kind, "https");
 * assertEquals(chooseTransport({ http: true }, envFrom({ ECF_SSL: "1" })).kind, "tls");
 * assertEquals(chooseTransport({}, envFrom({})).kind, "tcp");
 * ```
 */
export function chooseTransport(
  options: TransportSelection,
  env: EnvReader = readEnv,
): TransportChoice {
  const ecfSsl = options.ssl === false ? undefined : env("ECF_SSL");
  if (ecfSsl !== undefined) {
    return { kind: "tls", source: options.ssl ? "--ssl and ECF_SSL" : "ECF_SSL", ecfSsl };
  }
  if (options.ssl) return { kind: "tls", source: "ssl option", ecfSsl: "1" };
  if (options.https) return { kind: "https", source: "https option" };
  if (options.http) return { kind: "http", source: "http option" };
  const protocol = env("ECF_HOST_PROTOCOL");
  if (protocol === "HTTPS") return { kind: "https", source: "ECF_HOST_PROTOCOL" };
  if (protocol === "HTTP") return { kind: "http", source: "ECF_HOST_PROTOCOL" };
  return { kind: "tcp", source: "default" };
}

/** Inputs of {@linkcode selectTransport}. */
export interface SelectOptions extends TransportSelection, TransportLimits {
  /** This machine's host name (for `<host>.<port>.crt` when dialling `localhost`). */
  localHost?: string;
}

/**
 * Builds the transport {@linkcode chooseTransport} picks.
 *
 * @example
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { selectTransport } from "@ecflow-ts/client/transport";
 * import { assertEquals } from "@std/assert";
 * assertEquals(selectTransport({ https: true }, envFrom({})).kind, "https");
 * ```
 */
export function selectTransport(options: SelectOptions, env: EnvReader = readEnv): Transport {
  const choice = chooseTransport(options, env);
  const limits: TransportLimits = {
    connectTimeoutMs: options.connectTimeoutMs,
    replyTimeoutMs: options.replyTimeoutMs,
    maxReplyBytes: options.maxReplyBytes,
  };
  switch (choice.kind) {
    case "tls":
      return new TlsTransport(limits, {
        ecfSsl: choice.ecfSsl,
        certDir: options.certDir,
        caCerts: options.caCerts,
        localHost: options.localHost,
        env,
      });
    case "http":
    case "https":
      return new HttpTransport(choice.kind, limits, { caCerts: options.caCerts, env });
    case "tcp":
      return new TcpTransport(limits);
  }
}
