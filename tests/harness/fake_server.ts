/**
 * A scriptable fake ecFlow server on loopback, for fault tests: each accepted
 * connection runs the same script of steps (read the request frame, write
 * bytes, wait, drip, close, reset, hold open). It counts accepted connections
 * and records every request it read, and releases every socket and timer on
 * `stop()` (use with `await using`).
 */

/** One step of a connection script. */
export type Step =
  /** Read the whole request frame (8-byte hex header + that many bytes). */
  | { read: "frame" }
  /** Read exactly `n` bytes (or until the peer closes). */
  | { read: number }
  /** Write bytes (a string is written as UTF-8). */
  | { write: Uint8Array | string }
  /** Write bytes one at a time, `intervalMs` apart. */
  | { drip: Uint8Array | string; intervalMs: number }
  /** Wait. */
  | { sleep: number }
  /** Close the connection (FIN when everything sent was read). */
  | { close: true }
  /** Keep the connection open, silent, until the server stops. */
  | { hold: true };

/** A running fake server. */
export interface FakeServer extends AsyncDisposable {
  /** The loopback port it listens on. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Request frames read so far (payloads, header stripped). */
  readonly requests: Uint8Array[];
  /** Errors raised while running scripts (a peer closing early is not one). */
  readonly errors: unknown[];
  /** Stops listening, closes every open connection, cancels every wait. */
  stop(): Promise<void>;
}

const encoder = new TextEncoder();
const bytesOf = (b: Uint8Array | string) => typeof b === "string" ? encoder.encode(b) : b;

/** Frames `payload` as ecflow does (8-byte space-padded lower-case hex length). */
export function frame(payload: Uint8Array | string): Uint8Array {
  const body = bytesOf(payload);
  const out = new Uint8Array(8 + body.length);
  out.set(encoder.encode(body.length.toString(16).padStart(8, " ")));
  out.set(body, 8);
  return out;
}

async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array | null> {
  const buf = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const got = await conn.read(buf.subarray(off));
    if (got === null) return null;
    off += got;
  }
  return buf;
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** The peer went away: the script ends quietly. */
function peerGone(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.BadResource || e instanceof Deno.errors.NotConnected ||
    e instanceof Deno.errors.Interrupted || e instanceof Deno.errors.ConnectionAborted;
}

/**
 * Starts a fake server on 127.0.0.1 (a free port) running `script` on every
 * connection.
 *
 * @example
 * ```ts ignore
 * await using fake = await startFakeServer([{ read: "frame" }, { close: true }]);
 * ```
 */
export function startFakeServer(script: Step[]): Promise<FakeServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const stopping = new AbortController();
  const requests: Uint8Array[] = [];
  const errors: unknown[] = [];
  const tasks: Promise<void>[] = [];
  let accepted = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        stopping.signal.removeEventListener("abort", done);
        resolve();
      }
      stopping.signal.addEventListener("abort", done);
    });

  const release = (conn: Deno.Conn) => {
    if (!open.delete(conn)) return;
    try {
      conn.close();
    } catch { /* already closed */ }
  };

  async function serve(conn: Deno.Conn): Promise<void> {
    try {
      for (const step of script) {
        if (stopping.signal.aborted || !open.has(conn)) return;
        if ("read" in step) {
          if (step.read === "frame") {
            const header = await readExactly(conn, 8);
            if (header === null) return;
            const length = parseInt(new TextDecoder().decode(header).trim(), 16);
            const body = await readExactly(conn, length);
            if (body === null) return;
            requests.push(body);
          } else if (await readExactly(conn, step.read) === null) return;
        } else if ("write" in step) {
          await writeAll(conn, bytesOf(step.write));
        } else if ("drip" in step) {
          for (const b of bytesOf(step.drip)) {
            await writeAll(conn, Uint8Array.of(b));
            await wait(step.intervalMs);
            if (stopping.signal.aborted || !open.has(conn)) return;
          }
        } else if ("sleep" in step) {
          await wait(step.sleep);
        } else if ("close" in step) {
          release(conn);
          return;
        } else if ("hold" in step) {
          await new Promise<void>((resolve) => {
            if (stopping.signal.aborted) return resolve();
            stopping.signal.addEventListener("abort", () => resolve(), { once: true });
          });
          return;
        }
      }
    } catch (e) {
      if (!peerGone(e)) errors.push(e);
    } finally {
      release(conn);
    }
  }

  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) {
        accepted++;
        open.add(conn);
        tasks.push(serve(conn));
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) errors.push(e);
    }
  })();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    stopping.abort();
    try {
      listener.close();
    } catch { /* already closed */ }
    await acceptLoop;
    for (const conn of [...open]) release(conn);
    await Promise.all(tasks);
  };

  const port = (listener.addr as Deno.NetAddr).port;
  return Promise.resolve({
    port,
    get accepted() {
      return accepted;
    },
    requests,
    errors,
    stop,
    [Symbol.asyncDispose]: stop,
  });
}

/**
 * A listener that completes TCP handshakes (the kernel does) but never
 * accepts, then closes after `afterMs`: Linux resets every connection still
 * queued, so a client that connected and is waiting for its reply sees a
 * TCP reset (RST). (Deno closes an accepted socket with shutdown + close, a
 * clean FIN, so a reset cannot be scripted on an accepted connection.)
 */
export function startResettingServer(afterMs: number): Promise<FakeServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    listener.close();
  };
  const timer = setTimeout(close, afterMs);
  const stop = () => Promise.resolve(close());
  return Promise.resolve({
    port: (listener.addr as Deno.NetAddr).port,
    accepted: 0,
    requests: [],
    errors: [],
    stop,
    [Symbol.asyncDispose]: stop,
  });
}

/**
 * A listener whose accept queue is full, so a new connection attempt hangs
 * in the TCP handshake (Linux drops the SYN): the way to make a client's
 * *connect* deadline fire on loopback. Deno cannot set a listen backlog, so
 * a tiny python3 helper listens with backlog 0 and never accepts; one
 * connection of ours fills its queue.
 */
export async function startUnacceptingServer(): Promise<FakeServer> {
  const helper = new Deno.Command("python3", {
    args: [
      "-c",
      "import socket,sys\ns=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(0)\n" +
      "print(s.getsockname()[1], flush=True)\nsys.stdin.read()",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = helper.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const port = Number(text.trim());
  const fillers: Deno.Conn[] = [];
  // Fill the queue: connections complete until it is full, then hang (aborted here).
  for (let i = 0; i < 8; i++) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 200);
    try {
      fillers.push(await Deno.connect({ hostname: "127.0.0.1", port, signal: ac.signal }));
    } catch {
      break;
    } finally {
      clearTimeout(timer);
    }
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of fillers) c.close();
    await helper.stdin.close().catch(() => {});
    await helper.stdout.cancel().catch(() => {});
    await helper.status;
  };
  return {
    port,
    accepted: 0,
    requests: [],
    errors: [],
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
