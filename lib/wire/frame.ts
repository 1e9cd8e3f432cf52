/**
 * The 8-byte frame header: payload length in lower-case hex, right-aligned,
 * space-padded (C++ `setw(8) << hex`), followed by exactly that many bytes.
 * Pure functions, no sockets.
 *
 * @module
 */
import { ProtocolError } from "../errors.ts";

/** Size of the header that precedes every payload. */
export const HEADER_SIZE = 8;
/** The largest length an 8-hex-digit header can state. */
export const MAX_FRAME_LENGTH = 0xffffffff;

const encoder = new TextEncoder();

/**
 * Encodes the header for a payload of `length` bytes, exactly as ecflow does.
 *
 * @example
 * ```ts
 * import { encodeHeader } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(new TextDecoder().decode(encodeHeader(309)), "     135");
 * ```
 */
export function encodeHeader(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > MAX_FRAME_LENGTH) {
    throw new ProtocolError(`cannot frame a payload of ${length} bytes`);
  }
  return encoder.encode(length.toString(16).padStart(HEADER_SIZE, " "));
}

/**
 * Frames a payload: header + bytes, in one buffer (sent in one write).
 *
 * @example
 * ```ts
 * import { encodeFrame } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const frame = encodeFrame(new TextEncoder().encode("{}"));
 * assertEquals(frame.length, 10);
 * ```
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const length = payload.length;
  if (length > MAX_FRAME_LENGTH) encodeHeader(length); // throws
  const frame = new Uint8Array(HEADER_SIZE + length);
  // the header: lower-case hex digits right-aligned, spaces before them
  let n = length;
  let i = HEADER_SIZE;
  do {
    const d = n % 16;
    frame[--i] = d < 10 ? 0x30 + d : 0x57 + d;
    n = Math.floor(n / 16);
  } while (n > 0);
  while (i > 0) frame[--i] = 0x20;
  frame.set(payload, HEADER_SIZE);
  return frame;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/**
 * Decodes an 8-byte header into the payload length. Accepts what ecflow
 * writes (space padding) and the lenient forms its reader takes (zero padding,
 * upper case, trailing spaces); anything else is a {@linkcode ProtocolError}.
 *
 * @example
 * ```ts
 * import { decodeHeader } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(decodeHeader(new TextEncoder().encode("      ee")), 238);
 * ```
 */
export function decodeHeader(header: Uint8Array): number {
  if (header.length !== HEADER_SIZE) {
    throw new ProtocolError(`frame header must be ${HEADER_SIZE} bytes, got ${header.length}`);
  }
  let i = 0;
  while (i < HEADER_SIZE && isSpace(header[i])) i++;
  let value = 0;
  let digits = 0;
  while (i < HEADER_SIZE && hexValue(header[i]) >= 0) {
    value = value * 16 + hexValue(header[i]);
    digits++;
    i++;
  }
  while (i < HEADER_SIZE && isSpace(header[i])) i++;
  if (digits === 0 || i !== HEADER_SIZE) {
    throw new ProtocolError(`bad frame header ${JSON.stringify(printable(header))}: not hex`);
  }
  return value;
}

function printable(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
  return s;
}
