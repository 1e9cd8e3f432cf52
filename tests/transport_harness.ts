/**
 * Test helpers for the TLS, HTTP(S) and authentication tests: a
 * real ecflow_server started on a port chosen *before* its files are written
 * (password files must name the server's host and port), certificates made
 * with openssl, and an in-test HTTP(S) endpoint that forwards each body
 * byte-for-byte to a real TCP server and answers as an ecFlow 5.17
 * `--http` server does.
 */
import { type EcflowServer, type RunResult, startServer } from "./harness/server.ts";
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
  });
}

/** Runs openssl; throws with its stderr on failure. */
export async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** The kinds of self-signed certificate the TLS tests need. */
export type CertKind =
  /** v3, CA:FALSE, subjectAltName localhost/127.0.0.1/host name: what Deno accepts. */
  | "san"
  /** ecFlow's documented recipe (`openssl x509 -req -signkey`): X.509 v1, CN only. */
  | "v1"
  /** `openssl req -x509` defaults: v3 with basicConstraints CA:TRUE, CN only. */
  | "ca"
  /** v3, CA:FALSE, CN only (no subjectAltName). */
  | "cn";

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
  const ext: string[] = [];
  if (kind === "san") {
    ext.push("-addext", `subjectAltName=DNS:localhost,DNS:${HOST_NAME},IP:127.0.0.1`);
  }
  if (kind === "san" || kind === "cn") ext.push("-addext", "basicConstraints=critical,CA:FALSE");
  await openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      crt,
      "-days",
      "2",
      "-subj",
      subj,
      ...ext,
    ],
    dir,
  );
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
  /** The real TCP ecflow_server port to forward to (127.0.0.1). */
  serverPort: number;
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
 * An HTTP(S) endpoint that answers as ecFlow 5.17's `--http` server: POST
 * with a JSON body → the body goes byte-for-byte to the real TCP server and
 * its reply is returned as `200 OK`, `Content-Type: application/json`; any
 * other method → `400` with the body `Unknown HTTP-method`.
 */
export function startForwarder(o: ForwarderOptions): Forwarder {
  const seen: SeenRequest[] = [];
  const ac = new AbortController();
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
    return reply(200, await forwardFrame(o.serverPort, body));
  });
  const stop = async () => {
    ac.abort();
    await server.finished;
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
