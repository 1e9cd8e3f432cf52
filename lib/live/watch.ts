/**
 * The live view of one or more servers: each server is asked again every
 * interval through its own {@linkcode ServerProbe} (news, then a sync only when
 * something changed), each within its own deadline, so a slow server never
 * holds up the others; the screen is redrawn when an answer or a key comes,
 * and when the terminal is resized. When the output is not a terminal,
 * {@linkcode watchSnapshot} gives one plain snapshot instead.
 *
 * @module
 */
import { type NodeJson, nodeToJson } from "../defs/json.ts";
import type { ColourMode } from "./colours.ts";
import { decodeKeys } from "./keys.ts";
import { bodyHeight, renderFrame, snapshotText } from "./render.ts";
import type { ServerProbe, ServerStatus } from "./status.ts";
import { type ServerStatusJson, statusToJson } from "./status_table.ts";
import { problems } from "./summary.ts";
import { Terminal } from "./terminal.ts";
import { buildRows, type Row, type ServerView } from "./tree_rows.ts";
import { handleKey, initialViewState, layout, type ViewState } from "./view_state.ts";

/** Options of the live view. */
export interface WatchOptions {
  /** The servers. */
  probes: readonly ServerProbe[];
  /** Show only this node's subtree. */
  path?: string;
  /** Milliseconds between two queries of a server. */
  intervalMs: number;
  /** Milliseconds a server's query may take. */
  deadlineMs: number;
  /** Colours. */
  mode: ColourMode;
}

/** The views of the servers, in probe order. */
function serverViews(probes: readonly ServerProbe[]): ServerView[] {
  return probes.map((p) => ({ name: p.name, host: p.host, port: p.port }));
}

/**
 * Runs the live view on this process's terminal until the operator quits
 * (`q`, Ctrl-C) or the process is told to stop (`SIGTERM`, `SIGHUP`).
 *
 * @example
 * ```ts ignore
 * import { watchLive } from "./watch.ts";
 * import { ServerProbe } from "./status.ts";
 * await watchLive({
 *   probes: [new ServerProbe({ host: "oetzi", port: 3444 })],
 *   intervalMs: 5000,
 *   deadlineMs: 5000,
 *   mode: "256",
 * });
 * ```
 */
export async function watchLive(o: WatchOptions): Promise<void> {
  const servers = serverViews(o.probes);
  const state: ViewState = initialViewState();
  const stop = new AbortController();
  using terminal = new Terminal();
  let message: string | undefined;
  let rows: Row[] = [];
  let rowsStale = true;

  const currentRows = () => {
    if (rowsStale) {
      rows = buildRows(servers, {
        path: o.path,
        opened: state.opened,
        closed: state.closed,
        expandAll: state.expandAll,
        filter: state.editing ?? state.filter,
        maxProblems: Math.max(3, Math.floor(bodyHeight(terminal.size().rows) / 3)),
      });
      rowsStale = false;
    }
    return rows;
  };

  const render = () => {
    if (stop.signal.aborted) return;
    const size = terminal.size();
    const body = bodyHeight(size.rows);
    layout(state, currentRows(), body);
    terminal.draw(renderFrame({
      servers,
      rows,
      cursor: state.cursorIndex,
      top: state.top,
      width: size.columns,
      height: size.rows,
      mode: o.mode,
      path: o.path,
      filter: state.filter,
      editing: state.editing,
      message,
    }));
  };

  // one loop per server; `wake` cuts the wait short (the `r` key)
  const wakers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        stop.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
      stop.signal.addEventListener("abort", done, { once: true });
    });
  const poll = async (probe: ServerProbe, view: ServerView) => {
    while (!stop.signal.aborted) {
      const status = await probe.query({ deadlineMs: o.deadlineMs, signal: stop.signal });
      if (stop.signal.aborted) break;
      view.status = status;
      view.updatedAt = new Date();
      message = undefined;
      rowsStale = true;
      render();
      await pause(o.intervalMs);
    }
  };

  const quit = Promise.withResolvers<void>();
  // a failure anywhere ends the view: the terminal is restored first, then it is thrown
  let failure: unknown;
  const fail = (e: unknown) => {
    failure ??= e;
    quit.resolve();
  };
  terminal.open(() => {
    rowsStale = true;
    try {
      render();
    } catch (e) {
      fail(e);
    }
  }, () => quit.resolve());
  render();
  const loops = o.probes.map((p, i) => poll(p, servers[i]).catch(fail));

  const keys = (async () => {
    for await (const chunk of terminal.reads()) {
      for (const key of decodeKeys(chunk)) {
        const action = handleKey(state, key, currentRows(), bodyHeight(terminal.size().rows));
        if (action === "quit") return quit.resolve();
        message = undefined;
        if (action === "refresh") {
          message = "refreshing";
          for (const w of [...wakers]) w();
        }
        if (action === "render") rowsStale = true;
      }
      render();
    }
  })();
  keys.catch(fail);

  await quit.promise;
  stop.abort();
  terminal.close();
  // the loops end within a deadline; the key reader ends with the process
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 0))]);
  if (failure !== undefined) throw failure;
}

/** One server in the JSON snapshot. */
export type ServerSnapshotJson = ServerStatusJson & {
  problems?: { kind: string; path: string; state: string }[];
  tree?: NodeJson[];
};

/** The snapshot: its text, its JSON, and every server's result. */
export interface Snapshot {
  /** The plain text (everything open). */
  text: string;
  /** The JSON document's servers. */
  json: ServerSnapshotJson[];
  /** The results. */
  statuses: ServerStatus[];
}

/**
 * Asks every server once (concurrently, each within the deadline) and gives
 * the plain snapshot: each server, the nodes that need attention, and the
 * whole tree (or the `path` subtree) open.
 *
 * @example
 * ```ts
 * import { watchSnapshot } from "./watch.ts";
 * import { ServerProbe } from "./status.ts";
 * import { assertEquals } from "@std/assert";
 * const snap = await watchSnapshot([new ServerProbe({ host: "127.0.0.1", port: 1 })], { deadlineMs: 2000 });
 * assertEquals(snap.statuses[0].ok, false);
 * assertEquals(snap.text.split("\n")[0], "no aborted, zombie or late nodes");
 * ```
 */
export async function watchSnapshot(
  probes: readonly ServerProbe[],
  options: { path?: string; deadlineMs: number },
): Promise<Snapshot> {
  const servers = serverViews(probes);
  const statuses = await Promise.all(
    probes.map((p) => p.query({ deadlineMs: options.deadlineMs })),
  );
  statuses.forEach((s, i) => {
    servers[i].status = s;
  });
  const rows = buildRows(servers, {
    path: options.path,
    opened: new Set(),
    closed: new Set(),
    expandAll: true,
  });
  const json = statuses.map((s): ServerSnapshotJson => {
    const base = statusToJson(s);
    if (!s.ok) return base;
    const path = options.path && options.path !== "/" ? options.path : undefined;
    const root = path ? s.defs.find(path) : undefined;
    const tops = path ? (root ? [root] : []) : s.defs.suites;
    return {
      ...base,
      problems: tops.flatMap((t) =>
        problems(t).map((p) => ({ kind: p.kind, path: p.node.absPath, state: p.node.state }))
      ),
      tree: tops.map((t) => nodeToJson(t)),
    };
  });
  return { text: snapshotText(servers, rows, options.path), json, statuses };
}
