/**
 * Pure shape conversions between the engine's wire objects (snake_case)
 * and the SDK's camelCase objects. No behaviour lives here.
 */
import type { JsonObject, Page, Tool, ToolExecuteParams, ToolExecuteResponse } from './types';

/** `camelCase` → `snake_case` (`baseURL` → `base_url`). */
export function toSnake(key: string): string {
  return key
    .replace(/URL/g, 'Url')
    .replace(/UUID/g, 'Uuid')
    .replace(/([A-Z])/g, '_$1')
    .toLowerCase();
}

/** `snake_case` → `camelCase`. */
export function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Renames the top-level keys of an options object to snake_case (undefined values dropped). */
export function snakeKeys(obj: object | undefined | null): JsonObject | undefined {
  if (obj === undefined || obj === null) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined) out[toSnake(k)] = v;
  }
  return out;
}

const OPAQUE = new Set([
  'data',
  'params',
  'state',
  'val',
  'payload',
  'original_payload',
  'raw_payload',
  'trigger_config',
  'trigger_data',
  'config',
  'input_parameters',
  'output_parameters',
  'credentials',
  'arguments',
  'headers',
  'connection_data',
]);

/** Deep camelCase of an API object; the values of user-data keys (`data`, `state`, ...) are kept as sent. */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as JsonObject)) {
    out[toCamel(k)] = OPAQUE.has(k) ? v : camelize(v);
  }
  return out;
}

/** A wire page as `{items, nextCursor, totalPages}`. */
export function page<T>(wire: JsonObject, item: (v: unknown) => T): Page<T> {
  const items = Array.isArray(wire.items) ? wire.items.map(item) : [];
  return {
    items,
    nextCursor: typeof wire.next_cursor === 'string' ? wire.next_cursor : null,
    totalPages: typeof wire.total_pages === 'number' ? wire.total_pages : 1,
  };
}

/** A wire tool as the SDK's `Tool`. */
export function toolFromWire(w: JsonObject): Tool {
  const deprecated = w.deprecated as JsonObject | undefined;
  const t: Tool = {
    slug: w.slug as string,
    name: w.name as string,
    description: (w.description as string | undefined) ?? '',
    inputParameters: w.input_parameters as JsonObject,
    outputParameters: w.output_parameters as JsonObject,
    toolkit: w.toolkit as Tool['toolkit'],
    version: w.version as string | undefined,
    availableVersions: (w.available_versions as string[] | undefined) ?? [],
    isDeprecated: Boolean(w.is_deprecated ?? deprecated?.is_deprecated ?? false),
    isNoAuth: Boolean(w.no_auth ?? false),
    tags: (w.tags as string[] | undefined) ?? [],
    scopes: (w.scopes as string[] | undefined) ?? [],
  };
  if (t.version === undefined) delete t.version;
  return t;
}

/** An SDK `Tool` back to the wire shape, keeping fields of `base` it does not model. */
export function toolToWire(t: Tool, base: JsonObject = {}): JsonObject {
  const w: JsonObject = { ...base };
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) w[k] = v;
  };
  set('slug', t.slug);
  set('name', t.name);
  set('description', t.description);
  set('input_parameters', t.inputParameters);
  set('output_parameters', t.outputParameters);
  set('toolkit', t.toolkit);
  set('version', t.version);
  set('available_versions', t.availableVersions);
  set('tags', t.tags);
  set('scopes', t.scopes);
  set('no_auth', t.isNoAuth);
  set('is_deprecated', t.isDeprecated);
  return w;
}

/** Engine execute parameters as the SDK's `ToolExecuteParams`. */
export function paramsFromWire(w: JsonObject): ToolExecuteParams {
  const p: ToolExecuteParams = { arguments: (w.arguments as JsonObject | undefined) ?? {} };
  if (typeof w.user_id === 'string') p.userId = w.user_id;
  if (typeof w.connected_account_id === 'string') p.connectedAccountId = w.connected_account_id;
  if (w.custom_auth_params != null) p.customAuthParams = w.custom_auth_params as JsonObject;
  if (w.custom_connection_data != null) p.customConnectionData = w.custom_connection_data as JsonObject;
  if (typeof w.version === 'string') p.version = w.version;
  if (typeof w.text === 'string') p.text = w.text;
  if (w.dangerously_skip_version_check === true) p.dangerouslySkipVersionCheck = true;
  if (typeof w.allow_tracing === 'boolean') p.allowTracing = w.allow_tracing;
  return p;
}

function customAuthParamsToWire(c: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(c)) {
    if (v === undefined) continue;
    out[k === 'baseURL' || k === 'baseUrl' ? 'base_url' : k] = v;
  }
  return out;
}

/** The SDK's execute parameters as the engine's. */
export function paramsToWire(p: ToolExecuteParams & JsonObject): JsonObject {
  const w: JsonObject = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (k === 'customAuthParams' && v !== null && typeof v === 'object') {
      w.custom_auth_params = customAuthParamsToWire(v as JsonObject);
    } else {
      w[toSnake(k)] = v;
    }
  }
  return w;
}

/** An engine execute response as the SDK's result. */
export function resultFromWire(w: JsonObject): ToolExecuteResponse {
  const r: ToolExecuteResponse = {
    data: w.data ?? {},
    error: (w.error as string | null | undefined) ?? null,
    successful: Boolean(w.successful),
  };
  if (typeof w.log_id === 'string') r.logId = w.log_id;
  if (w.session_info !== undefined && w.session_info !== null) r.sessionInfo = w.session_info;
  return r;
}

/** The SDK's result as the engine's. */
export function resultToWire(r: ToolExecuteResponse): JsonObject {
  const w: JsonObject = { data: r.data ?? {}, error: r.error ?? null, successful: Boolean(r.successful) };
  if (r.logId !== undefined) w.log_id = r.logId;
  if (r.sessionInfo !== undefined) w.session_info = r.sessionInfo;
  return w;
}

/**
 * A deep copy of parsed JSON: new objects and arrays (same keys in the same
 * order), the same strings, numbers and booleans (immutable, so sharing them
 * cannot be observed). Used for the engine's kept tool lists: every
 * `tools.get` gets its own copy of a template the engine keeps, which is
 * about three times faster than parsing the text again and allocates only
 * the objects.
 */
export function cloneJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = v.slice();
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (typeof x === 'object' && x !== null) out[i] = copy(x);
    }
    return out;
  }
  // Spreading copies own enumerable data properties in order, `__proto__`
  // included as an ordinary own property; assigning to an own data property
  // then replaces its value (no setter runs).
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k of Object.keys(out)) {
    const x = out[k];
    if (typeof x === 'object' && x !== null) out[k] = copy(x);
  }
  return out;
}
