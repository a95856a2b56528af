// Builds a parsed JSON body from the engine's build tape (see
// core/src/webhooks/skim/tape.rs for the format): exactly the tree
// `JSON.parse(body)` gives, without parsing the text again.
//
// `JSON.parse` spends most of its time finding out each object's keys one
// by one. The tape names every object's shape (its key list) by a number;
// each shape gets a builder compiled once, an object literal
// (`{"id": v(), "from": v()}`), which V8 allocates with its final layout
// in one step. Strings are slices of the body (with `JSON.parse` of the
// quoted slice for the rare ones with escapes), numbers `Number` of their
// text (the same conversion `JSON.parse` makes) or inline integers.

import * as native from '../native/native';

const STR = 0;
const ESTR = 1;
const NUM = 2;
const INT = 3;
const TRUE = 4;
const FALSE = 5;
const NULL = 6;
const ARR = 7;
const OBJ = 8;

/** Header units: total length, end of the values, flags. */
const HEADER = 3;
const FLAG_RESET = 1;

/** Keys above which a shape is built from entries rather than compiled. */
const MAX_COMPILED_KEYS = 64;

type Builder = (v: () => unknown) => Record<string, unknown>;

const emptyObject: Builder = () => ({});

/** Builders by shape number (0: the empty object). */
let builders: Builder[] = [emptyObject];

/** `false` once `new Function` is refused (`--disallow-code-generation-from-strings`). */
let canCompile = true;

// The tape being read.
let body = '';
let units: Int32Array = new Int32Array(0);
let at = 0;

/** A builder making an object with `keys` in order, its values from `v`. */
function compile(keys: string[]): Builder {
  if (canCompile && keys.length <= MAX_COMPILED_KEYS) {
    // Keys are written as JSON strings, valid JavaScript string literals;
    // `__proto__` is computed so that it stays an own data property, as
    // `JSON.parse` makes it.
    const members = keys.map((k) => `${k === '__proto__' ? '["__proto__"]' : JSON.stringify(k)}: v()`);
    try {
      return new Function('v', `return {${members.join(', ')}};`) as Builder;
    } catch {
      canCompile = false;
    }
  }
  // `Object.fromEntries` defines own data properties, like `JSON.parse`.
  return (v) => Object.fromEntries(keys.map((k) => [k, v()]));
}

/** A string whose text is `body[s..e]`, decoding escapes when it has some. */
function text(escaped: boolean, s: number, e: number): string {
  return escaped ? (JSON.parse(body.slice(s - 1, e + 1)) as string) : body.slice(s, e);
}

/** The next value of the tape. */
function value(): unknown {
  const t = units[at];
  switch (t) {
    case STR: {
      const s = units[at + 1];
      const e = units[at + 2];
      at += 3;
      return body.slice(s, e);
    }
    case OBJ: {
      const f = builders[units[at + 1]];
      at += 2;
      return f(value);
    }
    case INT: {
      const n = units[at + 1];
      at += 2;
      return n;
    }
    case ARR: {
      const n = units[at + 1];
      at += 2;
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a[i] = value();
      return a;
    }
    case ESTR: {
      const s = units[at + 1];
      const e = units[at + 2];
      at += 3;
      return text(true, s, e);
    }
    case NUM: {
      const s = units[at + 1];
      const e = units[at + 2];
      at += 3;
      return Number(body.slice(s, e));
    }
    case TRUE:
      at += 1;
      return true;
    case FALSE:
      at += 1;
      return false;
    case NULL:
      at += 1;
      return null;
    default:
      throw new Error(`bad tape tag ${t} at ${at}`);
  }
}

/** Bodies built from a tape so far in this environment. */
let builds = 0;

/** How many bodies were built from a tape in this environment (for tests). */
export function tapeBuilds(): number {
  return builds;
}

/** The tree of `source` from its tape `tape` (written by `WebhookTape.verify`). */
export function buildFromTape(source: string, tape: Int32Array): unknown {
  const total = tape[0];
  const valuesEnd = tape[1];
  if (tape[2] & FLAG_RESET) builders = [emptyObject];
  body = source;
  units = tape;
  try {
    // Definitions of the shapes new to this environment come after the values.
    for (let i = valuesEnd; i < total; ) {
      const shape = tape[i];
      const n = tape[i + 1];
      i += 2;
      const keys: string[] = [];
      for (let k = 0; k < n; k++, i += 3) keys.push(text(tape[i + 2] !== 0, tape[i], tape[i + 1]));
      builders[shape] = compile(keys);
    }
    at = HEADER;
    const out = value();
    if (at !== valuesEnd) throw new Error(`tape ended at ${at}, not ${valuesEnd}`);
    builds++;
    return out;
  } finally {
    body = '';
  }
}

/** The environment's tape context and its buffer. */
let context: native.WebhookTape | undefined;
let buffer: Int32Array = new Int32Array(4096);

/** Tapes up to this many units reuse one buffer; longer ones get their own. */
const KEPT_BUFFER_UNITS = 1 << 20;

/** The context and a buffer big enough for the tape of a body of `length` units. */
export function tapeFor(length: number): [native.WebhookTape, Int32Array] {
  if (context === undefined) context = new native.WebhookTape();
  const need = 2 * length + 64;
  if (buffer.length >= need) return [context, buffer];
  const fresh = new Int32Array(need);
  if (need <= KEPT_BUFFER_UNITS) buffer = fresh;
  return [context, fresh];
}

/** After a tape could not be used: the engine and this side forget every shape. */
export function resetTape(): void {
  context?.reset();
  builders = [emptyObject];
}
