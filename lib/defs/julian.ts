/**
 * ecFlow's calendar arithmetic: yyyymmdd dates to julian day numbers and back, computed as
 * ecFlow computes them (C `long` arithmetic, divisions truncated toward zero), so that odd
 * arguments of `cal::date_to_julian`/`cal::julian_to_date` give ecFlow's results too.
 *
 * @module
 */

/** C's integer division: the quotient truncated toward zero. */
function div(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * Julian day number of a yyyymmdd date (ecFlow's `date_to_julian`).
 *
 * @example
 * ```ts
 * import { dateToJulian } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(dateToJulian(20240101), 2460311);
 * assertEquals(dateToJulian(20240301) - dateToJulian(20240228), 2); // a leap year
 * ```
 */
export function dateToJulian(ymd: number): number {
  const year = div(ymd, 10000);
  const rest = ymd % 10000;
  const month = div(rest, 100);
  const day = rest % 100;
  const m1 = month > 2 ? month - 3 : month + 9;
  const y1 = month > 2 ? year : year - 1;
  const a = div(146097 * div(y1, 100), 4);
  const b = div(1461 * (y1 % 100), 4);
  const c = div(153 * m1 + 2, 5) + day + 1721119;
  return a + b + c;
}

/**
 * yyyymmdd date of a julian day number (ecFlow's `julian_to_date`).
 *
 * @example
 * ```ts
 * import { julianToDate } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(julianToDate(2460311), 20240101);
 * assertEquals(julianToDate(2460311 + 59), 20240229);
 * ```
 */
export function julianToDate(jd: number): number {
  let x = 4 * jd - 6884477;
  let y = div(x, 146097) * 100;
  let e = x % 146097;
  let d = div(e, 4);
  x = 4 * d + 3;
  y = div(x, 1461) + y;
  e = x % 1461;
  d = div(e, 4) + 1;
  x = 5 * d - 3;
  const m = div(x, 153) + 1;
  e = x % 153;
  d = div(e, 5) + 1;
  const month = m < 11 ? m + 2 : m - 10;
  const year = y + div(m, 11);
  return year * 10000 + month * 100 + d;
}
