/**
 * Wrapping user functions for the native module: every wrapper is async,
 * never throws, and answers `{ok: value}` or `{err: {id, message}}`, where
 * `id` keeps the thrown object so the caller gets that very object back.
 */
import { ComposioFileUploadAbortedError, ComposioInvalidModifierError, ValidationError, rememberThrown } from './errors';
import {
  paramsFromWire,
  paramsToWire,
  resultFromWire,
  resultToWire,
  toolFromWire,
  toolToWire,
} from './convert';
import type {
  AfterExecuteModifier,
  BeforeExecuteModifier,
  BeforeFileUploadModifier,
  DeclarativeModifier,
  JsonObject,
  ToolExecuteParams,
  TransformToolSchemaModifier,
} from './types';

/** A function the native module can call. */
export type NativeCallback = (arg: any) => Promise<any>;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'a non-Error value was thrown';
  }
}

/** Wraps `f(arg)` into the `{ok}` / `{err}` protocol. */
export function wrap(f: (arg: any) => unknown): NativeCallback {
  return async (arg: any) => {
    try {
      return { ok: await f(arg) };
    } catch (error) {
      return { err: { id: rememberThrown(error), message: describe(error) } };
    }
  };
}

function check(name: string, f: unknown): void {
  if (f !== undefined && f !== null && typeof f !== 'function') {
    throw new ComposioInvalidModifierError(`${name} must be a function, got ${typeof f}`);
  }
}

/** Native wrapper of a `modifySchema` callback. */
export function schemaModifier(f: TransformToolSchemaModifier | undefined): NativeCallback | undefined {
  check('modifySchema', f);
  if (!f) return undefined;
  return wrap(async (arg: { toolSlug: string; toolkitSlug: string; schema: JsonObject }) => {
    const out = await f({ toolSlug: arg.toolSlug, toolkitSlug: arg.toolkitSlug, schema: toolFromWire(arg.schema) });
    return toolToWire(out ?? toolFromWire(arg.schema), arg.schema);
  });
}

/** Native wrapper of a `beforeExecute` callback. */
export function beforeModifier(f: BeforeExecuteModifier | undefined): NativeCallback | undefined {
  check('beforeExecute', f);
  if (!f) return undefined;
  return wrap(async (arg: { toolSlug: string; toolkitSlug: string; params: JsonObject }) => {
    const out = await f({ toolSlug: arg.toolSlug, toolkitSlug: arg.toolkitSlug, params: paramsFromWire(arg.params) });
    return paramsToWire((out ?? paramsFromWire(arg.params)) as ToolExecuteParams & JsonObject);
  });
}

/** Native wrapper of an `afterExecute` callback. */
export function afterModifier(f: AfterExecuteModifier | undefined): NativeCallback | undefined {
  check('afterExecute', f);
  if (!f) return undefined;
  return wrap(async (arg: { toolSlug: string; toolkitSlug: string; result: JsonObject }) => {
    const out = await f({ toolSlug: arg.toolSlug, toolkitSlug: arg.toolkitSlug, result: resultFromWire(arg.result) });
    return resultToWire(out ?? resultFromWire(arg.result));
  });
}

/** Native wrapper of a `beforeFileUpload` callback (`false` aborts the execution). */
export function beforeFileUploadModifier(f: BeforeFileUploadModifier | undefined): NativeCallback | undefined {
  check('beforeFileUpload', f);
  if (!f) return undefined;
  return wrap(async (arg: { path: string; source: 'path' | 'url'; toolSlug: string; toolkitSlug: string }) => {
    const out = await f(arg);
    if (out === false) throw new ComposioFileUploadAbortedError('File upload was aborted because beforeFileUpload returned false.');
    if (typeof out !== 'string') throw new ValidationError(`beforeFileUpload must return a path string or false, got ${typeof out}`);
    return out;
  });
}

/** Declarative modifiers, checked to be an array. */
export function declarative(list: DeclarativeModifier[] | undefined): DeclarativeModifier[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new ComposioInvalidModifierError('declarative modifiers must be an array');
  return list;
}
