/**
 * Value rules shared by the definition parser: names, quotes, dates, durations, the
 * keyword tables of each node kind (ecFlow 5.9.2's, plus HEAD's `aviso`/`mirror`).
 *
 * @module
 */

import { type ClockAttr, NODE_STATES } from "./model.ts";

/** boost's month abbreviations, as in `YYYY-Mon-DD` dates of calendars and `day` attributes. */
export const MONTH_ABBREVIATIONS: readonly string[] = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** The variables a begun suite's calendar generates, in ecflow_client's STATE order. */
export const SUITE_CALENDAR_VARIABLES: readonly string[] = [
  "ECF_DATE",
  "YYYY",
  "DOW",
  "DOY",
  "DATE",
  "DAY",
  "DD",
  "MM",
  "MONTH",
  "ECF_CLOCK",
  "ECF_TIME",
  "ECF_JULIAN",
  "TIME",
];

/** Zombie types of `zombie` attributes. */
export const ZOMBIE_TYPES: readonly string[] = [
  "user",
  "ecf",
  "ecf_pid",
  "ecf_pid_passwd",
  "ecf_passwd",
  "path",
];
/** Zombie actions. */
export const ZOMBIE_ACTIONS: readonly string[] = [
  "fob",
  "fail",
  "remove",
  "block",
  "adopt",
  "kill",
];
/** Child commands a zombie rule can name. */
export const CHILD_CMDS: readonly string[] = [
  "init",
  "event",
  "meter",
  "label",
  "wait",
  "queue",
  "abort",
  "complete",
];
/** Values of `defstatus`. */
export const DEF_STATUSES: readonly string[] = [...NODE_STATES, "suspended"];
/** A (signed) integer token. */
export const INT_RE = /^[-+]?\d+$/;

/** Keywords accepted inside a suite, family, task, alias (5.9.2 tables + HEAD aviso/mirror). */
const COMMON_ATTRS = [
  "edit",
  "limit",
  "inlimit",
  "defstatus",
  "repeat",
  "late",
  "cron",
  "autocancel",
  "verify",
  "zombie",
  "event",
  "label",
  "meter",
  "queue",
  "autorestore",
  "generic",
  "aviso",
  "mirror",
];
const NOT_SUITE = ["trigger", "complete", "time", "today", "date", "day"];
/** Keywords accepted inside each kind of node. */
export const ALLOWED: Record<string, Set<string>> = {
  suite: new Set([...COMMON_ATTRS, "clock", "endclock", "calendar", "autoarchive"]),
  family: new Set([...COMMON_ATTRS, ...NOT_SUITE, "autoarchive"]),
  task: new Set([...COMMON_ATTRS, ...NOT_SUITE]),
  alias: new Set([...COMMON_ATTRS, ...NOT_SUITE]),
};

/** ecFlow's name rule: alphanumerics, `_` and `.`, not starting with `.`. */
export function validName(s: string): boolean {
  if (s.length === 0) return false;
  const c0 = s.charCodeAt(0);
  if (!isAlnum(c0) && c0 !== 95) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c !== 95 && c !== 46) return false;
  }
  return true;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** ecFlow removes double quotes first, then single quotes. */
export function stripQuotes(s: string): string {
  if (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"') s = s.slice(1, -1);
  if (s.length >= 2 && s[0] === "'" && s[s.length - 1] === "'") s = s.slice(1, -1);
  return s;
}

/** Days in month `m` (1-12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return [
    31,
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][
    m - 1
  ];
}

/** Why a yyyymmdd string is not a valid date, or "" when it is. */
export function ymdError(s: string): string {
  if (s.length !== 8 || !/^\d{8}$/.test(s)) return "must be 8 digits i.e yyyymmdd";
  const y = +s.slice(0, 4), m = +s.slice(4, 6), d = +s.slice(6, 8);
  if (y < 1400 || y > 9999) return "year is out of valid range 1400..9999";
  if (m < 1 || m > 12) return "month number is out of range 1..12";
  if (d < 1 || d > daysInMonth(y, m)) return "day of month value is out of range";
  return "";
}

/** Seconds of `H[:M[:S]]` (ecFlow's Duration::parse), or undefined if invalid. */
export function durationSeconds(s: string): number | undefined {
  const parts = s.split(":");
  if (parts.length > 3 || parts.some((p) => !/^[-+]?\d*$/.test(p))) return undefined;
  const [h = "0", m = "0", sec = "0"] = parts;
  const hours = parseInt(h === "" ? "0" : h, 10);
  const sign = hours >= 0 ? 1 : -1;
  return hours * 3600 + sign * (parseInt(m || "0", 10) * 60 + parseInt(sec || "0", 10));
}

/**
 * `HH:MM:SS` as ecFlow's Duration prints it: each part at least two characters, zero-filled,
 * the sign on the first part only (-6 hours is `-6:00:00`, -30 minutes `00:-30:00`).
 */
export function formatDuration(total: number): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  const hours = Math.trunc(total / 3600);
  let rest = (hours >= 0 ? 1 : -1) * (total - hours * 3600);
  const minutes = Math.trunc(rest / 60);
  rest = (minutes >= 0 ? 1 : -1) * (rest - minutes * 60);
  return p2(hours) + ":" + p2(minutes) + ":" + p2(rest);
}

/** Seconds of a clock's start instant: its date at midnight (or now) plus the gain. */
export function clockSeconds(c: ClockAttr, now: number): number {
  const base = c.day !== 0 ? Date.UTC(c.year, c.month - 1, c.day) / 1000 : now;
  return base + c.gain;
}

/** Removes single quotes then double quotes, like ecFlow does for list values. */
export function unquoteBoth(s: string): string {
  if (s.length >= 2 && s[0] === "'" && s[s.length - 1] === "'") s = s.slice(1, -1);
  if (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"') s = s.slice(1, -1);
  return s;
}
