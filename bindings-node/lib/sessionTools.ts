/**
 * Session custom tools and toolkits (`experimental_createTool`,
 * `experimental_createToolkit`, as in `@composio/core`): tools that run in
 * this process inside one tool-router session. The engine validates slugs,
 * builds the final `LOCAL_…` slugs, announces the tools to the API and
 * routes `session.execute` / meta tool calls to them; this module defines
 * them and runs their `execute` functions.
 */
import { wrap, type NativeCallback } from './callbacks';
import { ValidationError } from './errors';
import type { JsonObject } from './types';
import { toJsonSchema } from './zod';

/** What a session custom tool's `execute` receives besides its input. */
export interface SessionContext {
  /** The session's user. */
  readonly userId: string;
  /** The session id. */
  readonly sessionId: string;
  /** Runs a tool of the session (local tools first): `{data, error, logId}`. */
  execute(toolSlug: string, arguments_?: JsonObject): Promise<{ data: unknown; error: string | null; logId: string }>;
  /** Sends an HTTP request through the session's connected account for a toolkit. */
  proxyExecute(params: { toolkit: string; endpoint: string; method: string; body?: unknown; parameters?: JsonObject[] }): Promise<any>;
}

/** Options of {@link experimental_createTool}. */
export interface CreateSessionToolOptions<I = any> {
  /** Display name. */
  name: string;
  /** Description shown to the model. */
  description: string;
  /** A Composio toolkit whose connected account the tool uses (`LOCAL_<TOOLKIT>_<SLUG>`). */
  extendsToolkit?: string;
  /** Input: a zod object schema (parsed before `execute`) or a JSON Schema object. */
  inputParams: unknown;
  /** Output schema (zod or JSON Schema), announced to the API. */
  outputParams?: unknown;
  /** Runs the tool; its return value becomes `data`, a thrown error the result's `error`. */
  execute: (input: I, ctx: SessionContext) => unknown;
  /**
   * Expose the tool directly in `session.tools()` (otherwise it is search-only). Unset, it inherits
   * its toolkit's flag, then the session default (`true` when `preload.tools` is `"all"`).
   */
  preload?: boolean;
}

/** A session custom tool, to pass as `experimental.customTools` to `composio.create`. */
export interface SessionCustomTool<I = any> {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly extendsToolkit?: string;
  readonly inputSchema: JsonObject;
  readonly outputSchema?: JsonObject;
  readonly inputParams: unknown;
  readonly execute: (input: I, ctx: SessionContext) => unknown;
  /** Whether the tool is listed by `session.tools()` (see {@link CreateSessionToolOptions.preload}). */
  readonly preload?: boolean;
}

/** A toolkit of session custom tools (`experimental.customToolkits`). */
export interface SessionCustomToolkit {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly tools: SessionCustomTool[];
  /** Default `preload` of the toolkit's tools (a tool's own flag wins). */
  readonly preload?: boolean;
}

function checkPreload(fn: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new ValidationError(`${fn}: preload must be a boolean`);
}

const SLUG = /^[A-Za-z0-9_-]+$/;

function checkSlug(fn: string, slug: unknown): string {
  if (typeof slug !== 'string' || !SLUG.test(slug)) {
    throw new ValidationError(`${fn}: slug must match ^[A-Za-z0-9_-]+$, got ${JSON.stringify(slug)}`);
  }
  const upper = slug.toUpperCase();
  for (const prefix of ['LOCAL_', 'COMPOSIO_']) {
    if (upper.startsWith(prefix)) throw new ValidationError(`${fn}: slug ${slug} must not start with ${prefix} (reserved)`);
  }
  return slug;
}

function checkText(fn: string, name: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new ValidationError(`${fn}: ${name} must be a non-empty string`);
  return v;
}

function isZod(v: unknown): v is { safeParse: (x: unknown) => { success: boolean; data?: unknown; error?: { message: string } } } {
  return v !== null && typeof v === 'object' && typeof (v as { safeParse?: unknown }).safeParse === 'function';
}

function schemaOf(what: string, v: unknown, io: 'input' | 'output'): JsonObject {
  const s = { ...toJsonSchema(v, io) };
  delete s.$schema;
  if (s.type !== 'object') throw new ValidationError(`${what} must be an object schema (z.object() or {type: "object"})`);
  return s;
}

/** Defines a session custom tool (`@composio/core`'s `experimental_createTool`). */
export function experimental_createTool<I = any>(slug: string, options: CreateSessionToolOptions<I>): SessionCustomTool<I> {
  const fn = 'createCustomTool';
  checkSlug(fn, slug);
  if (!options || typeof options !== 'object') throw new ValidationError(`${fn}: options are required`);
  checkText(fn, 'name', options.name);
  checkText(fn, 'description', options.description);
  if (options.inputParams === undefined || options.inputParams === null) throw new ValidationError(`${fn}: inputParams is required`);
  if (typeof options.execute !== 'function') throw new ValidationError(`${fn}: execute must be a function`);
  if (options.extendsToolkit !== undefined) checkText(fn, 'extendsToolkit', options.extendsToolkit);
  checkPreload(fn, options.preload);
  const tool: SessionCustomTool<I> = {
    slug,
    name: options.name,
    description: options.description,
    inputSchema: schemaOf(`${fn}: inputParams`, options.inputParams, 'input'),
    inputParams: options.inputParams,
    execute: options.execute,
    ...(options.extendsToolkit !== undefined ? { extendsToolkit: options.extendsToolkit } : {}),
    ...(options.outputParams !== undefined ? { outputSchema: schemaOf(`${fn}: outputParams`, options.outputParams, 'output') } : {}),
    ...(options.preload !== undefined ? { preload: options.preload } : {}),
  };
  return tool;
}

/** Groups session custom tools (`@composio/core`'s `experimental_createToolkit`). */
export function experimental_createToolkit(
  slug: string,
  options: { name: string; description: string; tools: SessionCustomTool[]; preload?: boolean },
): SessionCustomToolkit {
  const fn = 'createCustomToolkit';
  checkSlug(fn, slug);
  if (!options || typeof options !== 'object') throw new ValidationError(`${fn}: options are required`);
  checkText(fn, 'name', options.name);
  checkText(fn, 'description', options.description);
  if (!Array.isArray(options.tools) || options.tools.length === 0) throw new ValidationError(`${fn}: at least one tool is required`);
  for (const t of options.tools) {
    if (t.extendsToolkit) {
      throw new ValidationError(
        `${fn}: tool "${t.slug}" has extendsToolkit set. Tools in a custom toolkit must not use extendsToolkit — they inherit the toolkit identity instead.`,
      );
    }
  }
  checkPreload(fn, options.preload);
  return {
    slug,
    name: options.name,
    description: options.description,
    tools: [...options.tools],
    ...(options.preload !== undefined ? { preload: options.preload } : {}),
  };
}

/** The session operations a tool's context needs (bound once the session exists). */
export interface SessionHandle {
  execute: SessionContext['execute'];
  proxyExecute: SessionContext['proxyExecute'];
}

/** Wire definitions and the dispatcher of one session's custom tools. */
export function prepareLocalTools(
  customTools: unknown,
  customToolkits: unknown,
  session: () => SessionHandle | undefined,
): { defs: JsonObject; dispatch: NativeCallback } | undefined {
  const tools = listOf('experimental.customTools', customTools);
  const toolkits = listOf('experimental.customToolkits', customToolkits) as SessionCustomToolkit[];
  if (tools.length === 0 && toolkits.length === 0) return undefined;
  const byKey = new Map<string, SessionCustomTool>();
  const def = (key: string, t: SessionCustomTool, withExtends: boolean): JsonObject => {
    if (!t || typeof t !== 'object' || typeof t.execute !== 'function') {
      throw new ValidationError(`${key}: not a tool made by experimental_createTool`);
    }
    byKey.set(key, t);
    const d: JsonObject = { key, slug: t.slug, name: t.name, description: t.description, input_parameters: t.inputSchema };
    if (t.outputSchema) d.output_parameters = t.outputSchema;
    if (withExtends && t.extendsToolkit) d.extends_toolkit = t.extendsToolkit;
    if (typeof t.preload === 'boolean') d.preload = t.preload;
    return d;
  };
  const defs: JsonObject = {
    custom_tools: tools.map((t, i) => def(`customTools[${i}]`, t as SessionCustomTool, true)),
    custom_toolkits: toolkits.map((tk, i) => ({
      slug: tk.slug,
      name: tk.name,
      description: tk.description,
      tools: listOf(`customToolkits[${i}].tools`, tk.tools).map((t, j) => def(`customToolkits[${i}].tools[${j}]`, t as SessionCustomTool, false)),
      ...(typeof tk.preload === 'boolean' ? { preload: tk.preload } : {}),
    })),
  };
  const dispatch = wrap(async (arg: { key: string; arguments: JsonObject; userId: string | null; sessionId: string | null }) => {
    const tool = byKey.get(arg.key);
    if (!tool) throw new ValidationError(`unknown session custom tool ${arg.key}`);
    let input: unknown = arg.arguments ?? {};
    if (isZod(tool.inputParams)) {
      const parsed = tool.inputParams.safeParse(input);
      if (!parsed.success) return { data: {}, error: `Input validation failed: ${parsed.error?.message ?? ''}`, successful: false };
      input = parsed.data;
    }
    const s = session();
    const ctx: SessionContext = {
      userId: arg.userId ?? '',
      sessionId: arg.sessionId ?? '',
      execute: (slug, args) => {
        if (!s) throw new ValidationError('the session is not ready yet');
        return s.execute(slug, args);
      },
      proxyExecute: (params) => {
        if (!s) throw new ValidationError('the session is not ready yet');
        return s.proxyExecute(params);
      },
    };
    try {
      const data = await tool.execute(input, ctx);
      return { data: data ?? {}, error: null, successful: true };
    } catch (error) {
      return { data: {}, error: error instanceof Error ? error.message : String(error), successful: false };
    }
  });
  return { defs, dispatch };
}

function listOf(what: string, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ValidationError(`${what} must be an array`);
  return v;
}

/** A session custom tool as `session.customTools()` lists it. */
export interface SessionCustomToolInfo {
  slug: string;
  name: string;
  description: string;
  toolkit?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
}

/** The engine's tool listing in `@composio/core`'s shape. */
export function toolInfoFromWire(w: JsonObject, toolkit?: string): SessionCustomToolInfo {
  const out: SessionCustomToolInfo = {
    slug: w.slug as string,
    name: w.name as string,
    description: w.description as string,
    inputSchema: w.input_schema as JsonObject,
  };
  const tk = toolkit ?? (w.toolkit as string | null | undefined) ?? undefined;
  if (tk !== undefined) out.toolkit = tk;
  if (w.output_schema !== null && w.output_schema !== undefined) out.outputSchema = w.output_schema as JsonObject;
  return out;
}
