/**
 * Where the Client and the CLI take `why` from: the reasons a node does not run, built on the
 * one expression evaluator (both live in `defs/`: `defs/why.ts`, `defs/evaluate.ts`).
 *
 * @module
 */
export { why } from "./defs/why.ts";
