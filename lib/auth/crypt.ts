/**
 * DES `crypt(3)`, the function ecFlow applies to passwords: the server stores
 * `crypt(password, user)` from its password files, and a client sends the same
 * string (13 characters for user names shorter than 14) as `pswd_`.
 * Written from the published DES tables and checked against Debian's
 * libxcrypt, including its failure and bigcrypt rules (see {@linkcode desCrypt}).
 *
 * @module
 */

/** The 64 characters of crypt's output alphabet, in value order. */
export const CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** What libxcrypt returns when the salt is not usable (so the result never matches a real hash). */
export const CRYPT_FAILURE = "*0";

// Standard DES tables (FIPS 46-3), 1-based bit positions.
// deno-fmt-ignore
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
// deno-fmt-ignore
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
// deno-fmt-ignore
const SHIFTS = [
  1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1,
];
// deno-fmt-ignore
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
// deno-fmt-ignore
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
  38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
  34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
];
// deno-fmt-ignore
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9,
  8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
  16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25,
  24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
// deno-fmt-ignore
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];
// The eight S-boxes, each 4 rows of 16.
// deno-fmt-ignore
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
    0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
    15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
    3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
    13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
    13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
    1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
    13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
    3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
    14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
    11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
    10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
    4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
    13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
    6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
    1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
    2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

type Bits = Uint8Array;

function permute(input: Bits, table: number[]): Bits {
  const out = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = input[table[i] - 1];
  return out;
}

/** The 16 round keys (48 bits each) of a 64-bit key. */
function roundKeys(key: Bits): Bits[] {
  const cd = permute(key, PC1);
  let c = Array.from(cd.subarray(0, 28));
  let d = Array.from(cd.subarray(28));
  const keys: Bits[] = [];
  for (const shift of SHIFTS) {
    c = [...c.slice(shift), ...c.slice(0, shift)];
    d = [...d.slice(shift), ...d.slice(0, shift)];
    keys.push(permute(Uint8Array.from([...c, ...d]), PC2));
  }
  return keys;
}

/** One DES encryption of `block` with the salted expansion table `e`. */
function encryptBlock(block: Bits, keys: Bits[], e: number[]): Bits {
  const ip = permute(block, IP);
  let l = ip.subarray(0, 32);
  let r = ip.subarray(32);
  for (const k of keys) {
    const x = permute(r, e);
    for (let i = 0; i < 48; i++) x[i] ^= k[i];
    const sOut = new Uint8Array(32);
    for (let box = 0; box < 8; box++) {
      const b = x.subarray(box * 6, box * 6 + 6);
      const row = (b[0] << 1) | b[5];
      const col = (b[1] << 3) | (b[2] << 2) | (b[3] << 1) | b[4];
      const v = S[box][row * 16 + col];
      for (let j = 0; j < 4; j++) sOut[box * 4 + j] = (v >> (3 - j)) & 1;
    }
    const f = permute(sOut, P);
    const next = new Uint8Array(32);
    for (let i = 0; i < 32; i++) next[i] = l[i] ^ f[i];
    l = r;
    r = next;
  }
  const preOutput = new Uint8Array(64);
  preOutput.set(r, 0);
  preOutput.set(l, 32);
  return permute(preOutput, FP);
}

/** Characters libxcrypt refuses anywhere in a DES setting (control, space, `!*:;\\`, non-ASCII). */
// deno-lint-ignore no-control-regex
const BAD_SETTING = /[\x00-\x20\x7f!*:;\\]|[^\x00-\x7f]/;

/** The longest password bigcrypt hashes (16 segments of 8 bytes). */
const BIGCRYPT_MAX_BYTES = 128;

/** DES-hashes one 8-byte key block with a two-character salt; the 11 hash characters. */
function hashSegment(keyBytes: Uint8Array, s0: number, s1: number): string {
  const e = [...E];
  [s0, s1].forEach((value, i) => {
    for (let j = 0; j < 6; j++) {
      if ((value >> j) & 1) {
        const a = 6 * i + j;
        [e[a], e[a + 24]] = [e[a + 24], e[a]];
      }
    }
  });
  const key = new Uint8Array(64);
  keyBytes.forEach((byte, i) => {
    for (let j = 0; j < 7; j++) key[i * 8 + j] = (byte >> (6 - j)) & 1;
  });
  const keys = roundKeys(key);
  let block: Bits = new Uint8Array(64);
  for (let round = 0; round < 25; round++) block = encryptBlock(block, keys, e);
  let out = "";
  for (let i = 0; i < 11; i++) {
    let c = 0;
    for (let j = 0; j < 6; j++) c = (c << 1) | (block[6 * i + j] ?? 0);
    out += CRYPT_ALPHABET[c];
  }
  return out;
}

/**
 * DES `crypt(password, salt)` as Debian's libxcrypt computes it (the library
 * `ecflow_server` and `ecflow_client` call): 2 salt characters then 11 hash
 * characters of the password's first 8 bytes. ecFlow passes the whole user
 * name as the salt, so two libxcrypt rules matter:
 *
 * - a salt with fewer than 2 characters, a first two outside
 *   `[./0-9A-Za-z]`, or any control, space, non-ASCII or `!*:;\\` character
 *   gives {@linkcode CRYPT_FAILURE} (`"*0"`);
 * - a salt of 14 characters or more selects *bigcrypt*: every further 8 bytes
 *   of the password (up to 128) add 11 characters, each block salted with the
 *   first two characters of the previous block's hash.
 *
 * @example The value ecFlow sends for user `root` with password `secret`
 * ```ts
 * import { desCrypt } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * assertEquals(desCrypt("secret", "root"), "roO14RlBGPIzs");
 * ```
 */
export function desCrypt(password: string, salt: string): string {
  const s0 = CRYPT_ALPHABET.indexOf(salt[0] ?? "\0");
  const s1 = CRYPT_ALPHABET.indexOf(salt[1] ?? "\0");
  if (salt.length < 2 || s0 < 0 || s1 < 0 || BAD_SETTING.test(salt)) return CRYPT_FAILURE;
  const bytes = new TextEncoder().encode(password);
  const big = salt.length >= 14;
  const segments = big ? Math.max(1, Math.ceil(Math.min(bytes.length, BIGCRYPT_MAX_BYTES) / 8)) : 1;
  let out = salt.slice(0, 2);
  let saltValues = [s0, s1];
  for (let i = 0; i < segments; i++) {
    const hash = hashSegment(bytes.subarray(i * 8, i * 8 + 8), saltValues[0], saltValues[1]);
    out += hash;
    saltValues = [CRYPT_ALPHABET.indexOf(hash[0]), CRYPT_ALPHABET.indexOf(hash[1])];
  }
  return out;
}
