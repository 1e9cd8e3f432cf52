/**
 * cereal JSON, the way ecFlow writes and reads it.
 *
 * Writing: an {@linkcode ArchiveWriter} numbers polymorphic types and shared
 * pointers per message and emits `cereal_class_version` only at the first
 * occurrence of each class, as cereal does. {@linkcode formatCereal} prints a
 * JSON value in cereal's `NoIndent` layout (one member per line), byte-for-byte
 * what ecflow_client sends.
 *
 * Reading: small checked accessors that throw {@linkcode ProtocolError} on any
 * shape they do not expect, and a polymorphic-pointer reader that resolves
 * type ids across one message.
 *
 * @module
 */
import { ProtocolError } from "../errors.ts";

/** A JSON value whose object members keep their insertion order. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object (members in the order cereal needs them). */
export type JsonObject = { [key: string]: JsonValue };

const HIGH_BIT = 0x80000000;

/**
 * Per-message bookkeeping for writing: which classes were already versioned,
 * which polymorphic type names already have ids, how many pointers exist.
 */
export class ArchiveWriter {
  #versioned = new Set<string>();
  #typeIds = new Map<string, number>();
  #pointers = 0;

  /**
   * Starts an object of class `cls`: `{cereal_class_version: 0}` at the
   * class's first occurrence in this message, `{}` afterwards.
   */
  object(cls: string, version = 0): JsonObject {
    if (this.#versioned.has(cls)) return {};
    this.#versioned.add(cls);
    return { cereal_class_version: version };
  }

  /** Wraps `data` as a polymorphic `shared_ptr` to a registered class. */
  pointer(cls: string, data: JsonObject): JsonObject {
    const known = this.#typeIds.get(cls);
    const out: JsonObject = {};
    if (known === undefined) {
      const id = this.#typeIds.size + 1;
      this.#typeIds.set(cls, id);
      out.polymorphic_id = (HIGH_BIT | id) >>> 0;
      out.polymorphic_name = cls;
    } else {
      out.polymorphic_id = known;
    }
    this.#pointers++;
    out.ptr_wrapper = { id: (HIGH_BIT | this.#pointers) >>> 0, data };
    return out;
  }
}

/** A character JSON text cannot hold as it is (`"`, `\\`, a control, half a surrogate pair). */
// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** A control character JSON.stringify writes as `\u00xx` (the others have short escapes). */
// deno-lint-ignore no-control-regex
const HEX_ESCAPED = /[\u0000-\u0007\u000b\u000e-\u001f]/;

/** Escapes a string the way rapidjson does (control characters as upper-case `\u00XX`). */
function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  const json = JSON.stringify(s);
  if (!HEX_ESCAPED.test(s)) return json;
  return json.replace(/\\u00([0-9a-f]{2})/g, (_m, h: string) => `\\u00${h.toUpperCase()}`);
}

/**
 * Prints a value in cereal's `NoIndent` layout: `{`/`[` then one member per
 * line, `"key": value`, no indentation, no trailing newline.
 *
 * @example
 * ```ts
 * import { formatCereal } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatCereal({ a: [1, "x"], b: {} }), '{\n"a": [\n1,\n"x"\n],\n"b": {}\n}');
 * ```
 */
export function formatCereal(value: JsonValue): string {
  return write(value);
}

function write(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = "[\n" + write(value[0]);
    for (let i = 1; i < value.length; i++) out += ",\n" + write(value[i]);
    return out + "\n]";
  }
  if (typeof value !== "object") throw new ProtocolError(`cannot encode a ${typeof value}`);
  let out = "";
  for (const k in value) out += (out === "" ? "{\n" : ",\n") + quote(k) + ": " + write(value[k]);
  return out === "" ? "{}" : out + "\n}";
}

// ---------------------------------------------------------------- reading

/** Describes a JSON value's type for error messages. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Requires `v` to be a JSON object. */
export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ProtocolError(`${what}: expected an object, got ${kindOf(v)}`);
  }
  return v as Record<string, unknown>;
}

/** Reads a string member. */
export function getString(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== "string") {
    throw new ProtocolError(`${what}.${key}: expected a string, got ${kindOf(v)}`);
  }
  return v;
}

/** Reads an integer member. */
export function getInt(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new ProtocolError(`${what}.${key}: expected an integer, got ${kindOf(v)}`);
  }
  return v;
}

/** Reads a boolean member. */
export function getBool(o: Record<string, unknown>, key: string, what: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") {
    throw new ProtocolError(`${what}.${key}: expected a boolean, got ${kindOf(v)}`);
  }
  return v;
}

/** Reads an array member. */
export function getArray(o: Record<string, unknown>, key: string, what: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) {
    throw new ProtocolError(`${what}.${key}: expected an array, got ${kindOf(v)}`);
  }
  return v;
}

/** Reads an array of strings. */
export function getStrings(o: Record<string, unknown>, key: string, what: string): string[] {
  return getArray(o, key, what).map((s, i) => {
    if (typeof s !== "string") {
      throw new ProtocolError(`${what}.${key}[${i}]: expected a string, got ${kindOf(s)}`);
    }
    return s;
  });
}

/** A polymorphic object read from a message: its class name and data. */
export interface PolymorphicObject {
  /** The registered class name. */
  cls: string;
  /** The object's members (`ptr_wrapper.data`). */
  data: Record<string, unknown>;
}

/**
 * Per-message bookkeeping for reading polymorphic pointers: type ids seen
 * with a name, and shared objects already read (for back-references).
 */
export class ArchiveReader {
  // Most replies hold one named pointer and no back-reference: the first type and the first
  // object are kept in fields, maps are made only for more.
  #firstTypeId = -1;
  #firstType = "";
  #types?: Map<number, string>;
  #firstObjectId = -1;
  #firstObject?: Record<string, unknown>;
  #objects?: Map<number, Record<string, unknown>>;

  /** Reads a polymorphic `shared_ptr`; `null` for a null pointer. */
  pointer(v: unknown, what: string): PolymorphicObject | null {
    const o = asObject(v, what);
    const id = getInt(o, "polymorphic_id", what);
    if (id === 0) return null;
    let cls: string | undefined;
    if ((id & HIGH_BIT) !== 0 && id >= HIGH_BIT) {
      cls = getString(o, "polymorphic_name", what);
      const typeId = (id & 0x7fffffff) >>> 0;
      if (this.#firstTypeId < 0 || this.#firstTypeId === typeId) {
        this.#firstTypeId = typeId;
        this.#firstType = cls;
      } else (this.#types ??= new Map()).set(typeId, cls);
    } else {
      cls = id === this.#firstTypeId ? this.#firstType : this.#types?.get(id);
      if (cls === undefined) throw new ProtocolError(`${what}: unknown polymorphic id ${id}`);
    }
    return { cls, data: this.shared(o.ptr_wrapper, `${what}(${cls})`) };
  }

  /** Reads a (non-polymorphic) `shared_ptr`'s `ptr_wrapper`, resolving back-references. */
  shared(v: unknown, what: string): Record<string, unknown> {
    const w = asObject(v, `${what}.ptr_wrapper`);
    const pid = getInt(w, "id", `${what}.ptr_wrapper`);
    if (pid >= HIGH_BIT) {
      const data = asObject(w.data, `${what}.ptr_wrapper.data`);
      const objectId = pid - HIGH_BIT;
      if (this.#firstObjectId < 0 || this.#firstObjectId === objectId) {
        this.#firstObjectId = objectId;
        this.#firstObject = data;
      } else (this.#objects ??= new Map()).set(objectId, data);
      return data;
    }
    const seen = pid === this.#firstObjectId ? this.#firstObject : this.#objects?.get(pid);
    if (seen === undefined) {
      throw new ProtocolError(`${what}: reference to unknown shared object ${pid}`);
    }
    return seen;
  }
}
