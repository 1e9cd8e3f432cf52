/**
 * User names by uid, from the text of `/etc/passwd` (what `ps` and `netstat`
 * show in their user column). Pure: text in, map out.
 *
 * @module
 */

/**
 * The names of the uids listed in `/etc/passwd` text (`name:x:uid:gid:…`); the
 * first line for a uid wins, as `getpwuid` does.
 *
 * @example
 * ```ts
 * import { parsePasswd } from "./passwd.ts";
 * import { assertEquals } from "@std/assert";
 * const users = parsePasswd("root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/sh\n");
 * assertEquals([users.get(0), users.get(1000), users.get(5)], ["root", "ops", undefined]);
 * ```
 */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const f = line.split(":");
    if (f.length < 3 || f[0] === "" || !/^\d+$/.test(f[2])) continue;
    const uid = Number(f[2]);
    if (!users.has(uid)) users.set(uid, f[0]);
  }
  return users;
}
