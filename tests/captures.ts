// Access to the ecFlow ground truth kept in tests/fixtures/ecflow (captures, probes, the parser
// corpus, the lab suite).
/** The `tests/fixtures/ecflow` folder, as a path (no trailing slash). */
export const ECFLOW_FIXTURES = new URL("./fixtures/ecflow", import.meta.url).pathname;
/** The real ecflow 5.9.2 captures. */
export const CAPTURES = new URL("./fixtures/ecflow/captures/", import.meta.url);

/** The bytes of one capture file, e.g. ("02-ping-halted", "request.bin"). */
export function captureBytes(name: string, file: string): Uint8Array {
  return Deno.readFileSync(new URL(`${name}/${file}`, CAPTURES));
}

/** Every capture folder name, sorted. */
export function captureNames(): string[] {
  return [...Deno.readDirSync(CAPTURES)].filter((e) => e.isDirectory).map((e) => e.name).sort();
}

/** Every `response*.bin` file of every capture: [name, file]. */
export function responseFiles(): [string, string][] {
  const out: [string, string][] = [];
  for (const name of captureNames()) {
    for (const e of Deno.readDirSync(new URL(`${name}/`, CAPTURES))) {
      if (/^response(\.\d+)?\.bin$/.test(e.name)) out.push([name, e.name]);
    }
  }
  return out.sort();
}
