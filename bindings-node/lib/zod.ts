/** Turning a tool's input schema (JSON Schema or zod) into a JSON Schema object. */
import { ValidationError } from './errors';
import type { JsonObject } from './types';

function isZod(v: unknown): boolean {
  return v !== null && typeof v === 'object' && ('_def' in (v as object) || '_zod' in (v as object)) &&
    typeof (v as { safeParse?: unknown }).safeParse === 'function';
}

/** A JSON Schema object for `inputParams` (a JSON Schema, a zod schema, or nothing). */
export function toJsonSchema(input: unknown, io: 'input' | 'output' = 'output'): JsonObject {
  if (input === undefined || input === null) return { type: 'object', properties: {} };
  if (isZod(input)) {
    let z: { toJSONSchema?: (s: unknown, o?: { io: 'input' | 'output' }) => JsonObject } | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      z = require('zod') as { toJSONSchema?: (s: unknown, o?: { io: 'input' | 'output' }) => JsonObject };
    } catch {
      z = undefined;
    }
    const v4 = '_zod' in (input as object);
    if (v4 && z && typeof z.toJSONSchema === 'function') return io === 'output' ? z.toJSONSchema(input) : z.toJSONSchema(input, { io });
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const m = require('zod-to-json-schema') as { zodToJsonSchema: (s: unknown) => JsonObject };
      return m.zodToJsonSchema(input);
    } catch {
      throw new ValidationError(
        'a zod inputParams needs zod >= 4 (z.toJSONSchema) for zod 4 schemas, or the zod-to-json-schema package for zod 3 schemas',
      );
    }
  }
  if (typeof input === 'object' && !Array.isArray(input)) {
    const s = input as JsonObject;
    if (s.type !== undefined && s.type !== 'object') {
      throw new ValidationError('inputParams must be an object schema ({type: "object", properties: {...}})');
    }
    return s;
  }
  throw new ValidationError('inputParams must be a JSON Schema object or a zod schema');
}
