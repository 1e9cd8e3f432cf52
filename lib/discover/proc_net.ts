/**
 * The listening TCP sockets of this machine, from the text of `/proc/net/tcp`
 * and `/proc/net/tcp6` (what `netstat -lnt` reads). Pure: text in, records out.
 *
 * Each line after the header is `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`.
 * Addresses are the kernel's 32-bit words printed in hexadecimal in the machine's own byte
 * order (so `0100007F` is 127.0.0.1 on x86 and ARM); ports are printed in network order.
 *
 * @module
 */

/** A socket in the LISTEN state. */
export interface ListeningSocket {
  /** The socket inode: what `/proc/<pid>/fd/<n>` links to as `socket:[inode]`. */
  inode: number;
  /** The uid that owns it. */
  uid: number;
  /** The local port. */
  port: number;
  /** The local address, `0.0.0.0`/`::` for every address. */
  address: string;
  /** 4 for `/proc/net/tcp`, 6 for `/proc/net/tcp6`. */
  family: 4 | 6;
}

/** The kernel's TCP state number for LISTEN (`TCP_LISTEN`), as `/proc/net/tcp` prints it. */
const LISTEN = "0A";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The four bytes of one 32-bit word as the kernel prints it. */
function wordBytes(hex8: string): number[] {
  const n = parseInt(hex8, 16);
  const bytes = [n >>> 24 & 255, n >>> 16 & 255, n >>> 8 & 255, n & 255];
  return LITTLE_ENDIAN ? bytes.reverse() : bytes;
}

/** Formats 16 address bytes as an IPv6 address, the longest run of zero groups as `::`. */
function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i] << 8 | bytes[i + 1]);
  if (groups.slice(0, 6).every((g, i) => i < 5 ? g === 0 : g === 0xffff)) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/**
 * Decodes a `/proc/net/tcp{,6}` address field (without the port); undefined when it is not one.
 *
 * @example
 * ```ts
 * import { decodeAddress } from "./proc_net.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(decodeAddress("0100007F"), "127.0.0.1"); // on a little-endian machine
 * assertEquals(decodeAddress("00000000000000000000000001000000"), "::1");
 * ```
 */
export function decodeAddress(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  if (hex.length === 8) return wordBytes(hex).join(".");
  if (hex.length !== 32) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8)));
  return formatIpv6(bytes);
}

/**
 * The listening sockets in the text of `/proc/net/tcp` (`family` 4) or
 * `/proc/net/tcp6` (`family` 6). Lines that do not parse are skipped.
 *
 * @example
 * ```ts
 * import { parseProcNetTcp } from "./proc_net.ts";
 * import { assertEquals } from "@std/assert";
 * const text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
 *   "   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n" +
 *   "   1: 0100007F:C3FC 0100007F:1F40 01 00000000:00000000 00:00000000 00000000  1000        0 4243 1 0\n";
 * assertEquals(parseProcNetTcp(text, 4), [
 *   { inode: 4242, uid: 1000, port: 8000, address: "0.0.0.0", family: 4 },
 * ]);
 * ```
 */
export function parseProcNetTcp(text: string, family: 4 | 6): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split("\n")) {
    // Most lines are connections: only a LISTEN line has " 0A " (no other field is two
    // hexadecimal digits between spaces), so the rest are skipped before splitting.
    if (!line.includes(` ${LISTEN} `)) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0]) || f[3] !== LISTEN) continue;
    const colon = f[1].lastIndexOf(":");
    if (colon < 0) continue;
    const address = decodeAddress(f[1].slice(0, colon));
    const port = parseInt(f[1].slice(colon + 1), 16);
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (address === undefined || !Number.isInteger(port) || port <= 0 || port > 65535) continue;
    if (!Number.isInteger(uid) || uid < 0 || !Number.isInteger(inode) || inode <= 0) continue;
    if ((family === 4) !== !address.includes(":")) continue;
    out.push({ inode, uid, port, address, family });
  }
  return out;
}

/**
 * True when `address` reaches this machine through `localhost`: every address
 * (`0.0.0.0`, `::`) or a loopback one (`127.x.x.x`, `::1`, `::ffff:127.x.x.x`).
 *
 * @example
 * ```ts
 * import { reachableAsLocalhost } from "./proc_net.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(["0.0.0.0", "::", "127.0.0.1", "10.1.2.3"].map(reachableAsLocalhost), [true, true, true, false]);
 * ```
 */
export function reachableAsLocalhost(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "::1" ||
    /^(::ffff:)?127\./.test(address) || address === "::ffff:0.0.0.0";
}
