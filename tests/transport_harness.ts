/**
 * Test helpers for the TLS, HTTP(S) and authentication tests: a real
 * ecflow_server (either generation) started on a port chosen *before* its files
 * are written (password files must name the server's host and port),
 * certificates made with openssl by every recipe ecFlow sites use, a TCP relay
 * that counts the TLS records a client sends, and an in-test HTTP(S) endpoint
 * for what the real `--http` server cannot show (HTTPS, a 401, the request as
 * sent): it forwards each body byte-for-byte to a real server, over TCP or to a
 * real 5.17 `--http` server, and answers as 5.17 does.
 */
import {
  type EcflowServer,
  type Generation,
  type RunResult,
  startServer,
} from "./harness/server.ts";
import { Client } from "../mod.ts";
import { decodeHeader, encodeFrame, HEADER_SIZE } from "../lib/wire/mod.ts";

/** This machine's host name, as ecflow_server sees it. */
export const HOST_NAME = Deno.hostname();

/** The login name ecflow_client sends (getpwuid, not $USER). */
export const LOGIN = new TextDecoder().decode(
  new Deno.Command("id", { args: ["-un"] }).outputSync().stdout,
).trim();

/** A server started by {@linkcode spawnServer}. */
export type SpawnedServer = EcflowServer;

/** Options of {@linkcode spawnServer}. */
export interface SpawnOptions {
  /** Environment of the server, given its port and ECF_HOME. */
  env?: (port: number, home: string) => Record<string, string>;
  /** Files written into ECF_HOME before start, given the port. */
  files?: (port: number) => Record<string, string>;
  /** The client that pings it up and terminates it (given the port). */
  client: (port: number) => Client;
  /**
   * Checks it is up, throwing when not (default: a ping through `client`).
   * For servers our client cannot verify, e.g. `ecflow_client --ping`.
   */
  probe?: (port: number) => Promise<void>;
  /** Send --restart after start (default: leave it HALTED). */
  running?: boolean;
  /** Which ecFlow (default `5.9`). */
  generation?: Generation;
  /** Extra server arguments (e.g. `--http`). */
  args?: string[];
}

/**
 * Starts a real ecflow_server whose files depend on its port, with a clean environment
 * (the shared harness, configured for the transport and authentication tests).
 */
export function spawnServer(o: SpawnOptions): Promise<SpawnedServer> {
  return startServer({
    env: o.env,
    files: o.files,
    client: o.client,
    probe: o.probe,
    halted: !o.running,
    clearEnv: true,
    generation: o.generation,
    args: o.args,
  });
}

/** Runs openssl (`more` appended to `args`); throws with its stderr on failure. */
export async function openssl(args: string[], cwd: string, more: string[] = []): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args: [...args, ...more],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** The certificate recipes the TLS tests use (each one found at ecFlow sites). */
export type CertKind =
  /** ecFlow's documented recipe (`openssl x509 -req -signkey`): X.509 v1, CN only. */
  | "v1"
  /** `openssl req -x509` defaults with a subjectAltName: v3 with basicConstraints CA:TRUE. */
  | "ca"
  /** v3, CA:FALSE, CN only (no subjectAltName). */
  | "cn"
  /** v3, CA:FALSE, subjectAltName localhost/127.0.0.1/host name. */
  | "san"
  /**
   * Issued by a private CA: v3, CA:FALSE, subjectAltName localhost/127.0.0.1/host
   * name. `<name>.crt` is the chain (certificate, then CA), as the server's
   * `use_certificate_chain_file` takes it; `<name>.ca.crt` is the CA alone.
   */
  | "private-ca"
  /** Self-signed, X.509 v1, valid only in January 2020. */
  | "expired";

/** The recipes ecflow_client accepts and ecflow-ts must accept too. */
export const ACCEPTED_KINDS: readonly CertKind[] = ["v1", "ca", "cn", "san", "private-ca"];

const SAN = () => `subjectAltName=DNS:localhost,DNS:${HOST_NAME},IP:127.0.0.1`;

/** Writes `<name>.crt` and `<name>.key` of the given kind into `dir`. */
export async function makeCertificate(dir: string, name: string, kind: CertKind): Promise<void> {
  const key = `${name}.key`;
  const crt = `${name}.crt`;
  const subj = `/CN=${HOST_NAME}`;
  if (kind === "v1") {
    await openssl(["genrsa", "-out", key, "2048"], dir);
    await openssl(["req", "-new", "-key", key, "-out", `${name}.csr`, "-subj", subj], dir);
    await openssl(
      ["x509", "-req", "-days", "2", "-in", `${name}.csr`, "-signkey", key, "-out", crt],
      dir,
    );
    return;
  }
  if (kind === "expired") {
    // `openssl ca` is the one openssl 3.0 command that takes a start date.
    const db = `${name}.db`;
    await Deno.mkdir(`${dir}/${db}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${db}/index.txt`, "");
    await Deno.writeTextFile(`${dir}/${db}/serial`, "01\n");
    await Deno.writeTextFile(
      `${dir}/${db}/ca.cnf`,
      `[ca]\ndefault_ca = d\n[d]\ndir = ${dir}/${db}\ndatabase = $dir/index.txt\n` +
        "new_certs_dir = $dir\nserial = $dir/serial\ndefault_md = sha256\npolicy = p\n" +
        "unique_subject = no\n[p]\ncommonName = supplied\n",
    );
    await openssl(
      ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", `${name}.csr`],
      dir,
      ["-subj", subj],
    );
    await openssl([
      "ca",
      "-config",
      `${db}/ca.cnf`,
      "-selfsign",
      "-keyfile",
      key,
      "-in",
      `${name}.csr`,
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20200201000000Z",
      "-batch",
      "-notext",
      "-out",
      crt,
    ], dir);
    return;
  }
  if (kind === "private-ca") {
    const ca = `${name}.ca`;
    await openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${ca}.key`,
      "-out",
      `${ca}.crt`,
      "-days",
      "2",
      "-subj",
      "/CN=ecflow-ts test CA",
    ], dir);
    await openssl(
      ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", `${name}.csr`],
      dir,
      ["-subj", subj],
    );
    await Deno.writeTextFile(`${dir}/${name}.ext`, `${SAN()}\nbasicConstraints=CA:FALSE\n`);
    await openssl([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.leaf.crt`,
    ], dir);
    const leaf = await Deno.readTextFile(`${dir}/${name}.leaf.crt`);
    await Deno.writeTextFile(`${dir}/${crt}`, leaf + await Deno.readTextFile(`${dir}/${ca}.crt`));
    return;
  }
  const ext: string[] = [];
  if (kind === "san" || kind === "ca") ext.push("-addext", SAN());
  if (kind === "san" || kind === "cn") ext.push("-addext", "basicConstraints=critical,CA:FALSE");
  await openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-days", "2"],
    dir,
    ["-subj", subj, ...ext],
  );
}

/** The SHA-256 fingerprint of a PEM certificate file, as openssl prints it. */
export async function opensslFingerprint(file: string): Promise<string> {
  const out = await new Deno.Command("openssl", {
    args: ["x509", "-in", file, "-noout", "-fingerprint", "-sha256"],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim().replace(/^.*=/, "");
}

/**
 * Makes `$home/.ecflowrc/ssl/` with `dh2048.pem` and the server's
 * certificate and key as `<base>.crt`/`<base>.key` (`server` or `<host>.<port>`).
 * Returns the folder.
 */
export async function makeSslDir(home: string, base: string, kind: CertKind): Promise<string> {
  const dir = `${home}/.ecflowrc/ssl`;
  await Deno.mkdir(dir, { recursive: true });
  await openssl(
    [
      "genpkey",
      "-genparam",
      "-algorithm",
      "DH",
      "-pkeyopt",
      "group:ffdhe2048",
      "-out",
      "dh2048.pem",
    ],
    dir,
  );
  await makeCertificate(dir, base, kind);
  return dir;
}

/** One TLS record a client sent through a {@linkcode CountingRelay}. */
export interface SeenRecord {
  /** Content type: 22 handshake, 20 change_cipher_spec, 21 alert, 23 application data. */
  type: number;
  /** Length of its body. */
  length: number;
}

/** A relay started by {@linkcode startCountingRelay}. */
export interface CountingRelay extends AsyncDisposable {
  /** Its port. */
  port: number;
  /** Every byte clients sent, in order of connections. */
  clientBytes(): number;
  /** The TLS records clients sent, all connections together. */
  clientRecords(): SeenRecord[];
  /** The TLS records clients sent, one list per connection, in order of connection. */
  connections(): SeenRecord[][];
  /** Stops it. */
  stop(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 to `targetPort` that counts what clients send and
 * splits it into TLS records: it shows whether a client wrote application data
 * (type 23, which in TLS 1.3 also carries the client's encrypted Finished).
 */
export function startCountingRelay(targetPort: number): CountingRelay {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const perConnection: SeenRecord[][] = [];
  let bytes = 0;
  const open = new Set<Deno.Conn>();
  const pumps: Promise<void>[] = [];
  const pump = async (from: Deno.Conn, to: Deno.Conn, records?: SeenRecord[]) => {
    let pending = new Uint8Array(0);
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        const chunk = buf.slice(0, n);
        if (records) {
          bytes += n;
          const joined = new Uint8Array(pending.length + n);
          joined.set(pending);
          joined.set(chunk, pending.length);
          let off = 0;
          while (joined.length - off >= 5) {
            const length = (joined[off + 3] << 8) | joined[off + 4];
            if (joined.length - off < 5 + length) break;
            records.push({ type: joined[off], length });
            off += 5 + length;
          }
          pending = joined.slice(off);
        }
        for (let off = 0; off < chunk.length;) off += await to.write(chunk.subarray(off));
      }
    } catch { /* either side closed */ }
    for (const c of [from, to]) {
      try {
        c.close();
      } catch { /* closed */ }
    }
  };
  const accepting = (async () => {
    for await (const client of listener) {
      const server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      open.add(client).add(server);
      const records: SeenRecord[] = [];
      perConnection.push(records);
      pumps.push(pump(client, server, records), pump(server, client));
    }
  })();
  const stop = async () => {
    listener.close();
    await accepting.catch(() => {});
    for (const c of open) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    await Promise.all(pumps);
  };
  return {
    port: (listener.addr as Deno.NetAddr).port,
    clientBytes: () => bytes,
    clientRecords: () => perConnection.flat(),
    connections: () => perConnection.map((c) => [...c]),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** What the forwarding endpoint saw of one request. */
export interface SeenRequest {
  /** HTTP method. */
  method: string;
  /** Request path. */
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** The body, byte for byte. */
  body: Uint8Array;
}

/** Options of {@linkcode startForwarder}. */
export interface ForwarderOptions {
  /** The real ecflow_server port to forward to (127.0.0.1). */
  serverPort: number;
  /**
   * How that server listens: `tcp` (default; the body goes in the 8-byte framing)
   * or `http` (a 5.17 `--http` server: the body is POSTed to it, as a reverse proxy
   * in front of it would).
   */
  upstream?: "tcp" | "http";
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Answer 401 unless the request carries exactly this Authorization header. */
  requireAuthorization?: string;
}

/** A running forwarding endpoint. */
export interface Forwarder extends AsyncDisposable {
  /** Its port. */
  port: number;
  /** Requests seen so far. */
  seen: SeenRequest[];
  /** Stops it. */
  stop(): Promise<void>;
}

async function forwardFrame(port: number, body: Uint8Array): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const frame = encodeFrame(body);
    for (let off = 0; off < frame.length;) off += await conn.write(frame.subarray(off));
    const readExactly = async (n: number) => {
      const buf = new Uint8Array(n);
      for (let off = 0; off < n;) {
        const got = await conn.read(buf.subarray(off));
        if (got === null) throw new Error("server closed early");
        off += got;
      }
      return buf;
    };
    const header = await readExactly(HEADER_SIZE);
    return await readExactly(decodeHeader(header));
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/**
 * An HTTP(S) endpoint in front of a real server, answering as ecFlow 5.17's
 * `--http` server does: POST with a JSON body → the body goes byte-for-byte to
 * the real server (over TCP, or POSTed to a real `--http` server) and its reply
 * comes back as `200 OK`, `Content-Type: application/json`; any other method →
 * `400` with the body `Unknown HTTP-method`. It records what it was sent, and can
 * serve HTTPS and demand a token, as a reverse proxy in front of ecFlow would.
 */
export function startForwarder(o: ForwarderOptions): Forwarder {
  const seen: SeenRequest[] = [];
  const ac = new AbortController();
  // 5.17 closes each connection after its reply: no pooled connections to it.
  const upstream = o.upstream === "http" ? Deno.createHttpClient({ poolMaxIdlePerHost: 0 }) : null;
  const forward = async (body: Uint8Array): Promise<[number, Uint8Array]> => {
    if (!upstream) return [200, await forwardFrame(o.serverPort, body)];
    const res = await fetch(`http://127.0.0.1:${o.serverPort}/v1/ecflow`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body as Uint8Array<ArrayBuffer>,
      client: upstream,
    });
    return [res.status, new Uint8Array(await res.arrayBuffer())];
  };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen: () => {},
    ...(o.tls ?? {}),
  }, async (req) => {
    const body = new Uint8Array(await req.arrayBuffer());
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    seen.push({ method: req.method, path: new URL(req.url).pathname, headers, body });
    const reply = (status: number, text: string | Uint8Array) =>
      new Response(text as BodyInit, {
        status,
        // 5.17 closes the connection after each reply (though it says keep-alive).
        headers: {
          "content-type": "application/json",
          server: "Boost.Beast/345",
          connection: "close",
        },
      });
    if (req.method !== "POST") return reply(400, "Unknown HTTP-method");
    if (o.requireAuthorization !== undefined && headers.authorization !== o.requireAuthorization) {
      return reply(401, "Unauthorized");
    }
    const [status, answer] = await forward(body);
    return reply(status, answer);
  });
  const stop = async () => {
    ac.abort();
    await server.finished;
    upstream?.close();
  };
  return { port: server.addr.port, seen, stop, [Symbol.asyncDispose]: stop };
}

/** A client for tests: one attempt, short timeouts, a pinned environment. */
export function testClient(port: number, extra: ConstructorParameters<typeof Client>[2] = {}) {
  return new Client({
    host: "127.0.0.1",
    port,
    retry: { attempts: 1 },
    connectTimeoutMs: 2000,
    replyTimeoutMs: 10_000,
    env: () => undefined,
    user: LOGIN,
    ...extra,
  });
}

/** The suite the command sequence works on. */
export const SEQUENCE_DEFS = `suite s
  edit X 1
  family f
    task t
      label lab ""
      event ev
      meter m 0 10 0
`;

/** One command of {@linkcode commandSequence}. */
export interface SequenceStep {
  /** Arguments (without host, port or transport). */
  args: string[];
  /** A child (task) command: runs with ECF_NAME/ECF_PASS/ECF_RID/ECF_TRYNO. */
  child?: boolean;
}

/**
 * User and child commands that change and read a server: load, restart,
 * begin, init, label, event, meter, alter, queries, get, complete, suspend,
 * resume, delete. Their outputs are deterministic.
 */
export function commandSequence(defsPath: string): SequenceStep[] {
  return [
    { args: [`--load=${defsPath}`] },
    { args: ["--restart"] },
    { args: ["--suites"] },
    { args: ["--begin=s"] },
    { args: ["--init=1"], child: true },
    { args: ["--label=lab", "hello", "world"], child: true },
    { args: ["--event=ev"], child: true },
    { args: ["--meter=m", "5"], child: true },
    { args: ["--query", "label", "/s/f/t:lab"] },
    { args: ["--query", "state", "/s/f/t"] },
    { args: ["--alter", "change", "variable", "X", "2", "/s"] },
    { args: ["--msg=hello over the wire"] },
    { args: ["--get=/s"] },
    { args: ["--complete"], child: true },
    { args: ["--query", "state", "/s/f/t"] },
    { args: ["--suspend=/s"] },
    { args: ["--resume=/s"] },
    { args: ["--delete=yes", "/s"] },
    { args: ["--suites"] },
  ];
}

/** Environment of a child command of the sequence. */
export const CHILD_ENV = {
  ECF_NAME: "/s/f/t",
  ECF_PASS: "_DJP_", // the server's test backdoor: no job password needed
  ECF_RID: "1",
  ECF_TRYNO: "1",
};

/** Runs the sequence with `run`, adding `extraArgs` and `env` to every command. */
export async function runSequence(
  run: (args: string[], env: Record<string, string>) => Promise<RunResult>,
  steps: SequenceStep[],
  extraArgs: string[],
  env: Record<string, string>,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const step of steps) {
    const stepEnv = step.child ? { ...env, ...CHILD_ENV } : env;
    results.push(await run([...step.args, ...extraArgs], stepEnv));
  }
  return results;
}
