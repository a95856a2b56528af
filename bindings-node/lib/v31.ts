/**
 * `@composio/core` 0.21 entry points on the v3.1 API: `composio.webhooks.endpoints`,
 * `composio.sessionConfigs` and `composio.getClient()`.
 */
import type * as native from '../native/native';
import { call, ValidationError } from './errors';
import type { JsonObject } from './types';

function checkKeys(what: string, obj: unknown, allowed: string[]): void {
  if (obj === undefined || obj === null) return;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new ValidationError(`${what} must be an object`);
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw new ValidationError(`${what}: unknown option "${k}" (expected one of ${allowed.join(', ')})`);
    }
  }
}

function checkType(what: string, value: unknown, type: 'string' | 'number' | 'boolean'): void {
  if (value !== undefined && typeof value !== type) throw new ValidationError(`${what} must be a ${type}, got ${typeof value}`);
}

function requireString(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationError(`${what} must be a non-empty string`);
  return value;
}

function stringRecord(what: string, value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(`${what} must be an object`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new ValidationError(`${what}.${k} must be a string, got ${typeof v}`);
  }
  return value as Record<string, string>;
}

/** A webhook endpoint as `webhooks.endpoints.list` returns it. */
export interface WebhookEndpointListItem {
  id: string;
  toolkitSlug: string;
  clientId: string | null;
}

/** A webhook endpoint: the inbound URL for one toolkit + OAuth app pair. */
export interface WebhookEndpoint extends WebhookEndpointListItem {
  /** The inbound URL to register with the third-party provider. */
  webhookUrl: string;
  /** Configured setup fields with secret values masked (`null` until configured). */
  data: Record<string, string> | null;
  createdAt: string;
}

function endpointFromWire(w: JsonObject): WebhookEndpoint {
  return {
    id: w.id as string,
    toolkitSlug: w.toolkit_slug as string,
    clientId: (w.client_id as string | null | undefined) ?? null,
    webhookUrl: w.webhook_url as string,
    data: (w.data as Record<string, string> | null | undefined) ?? null,
    createdAt: w.created_at as string,
  };
}

/**
 * `composio.webhooks.endpoints` (0.21): inbound webhook endpoints, one per toolkit + OAuth app
 * pair, which you register with the provider so it can push events to Composio.
 */
export class WebhookEndpoints {
  /** @internal */
  private readonly inner: native.NativeWebhookEndpoints;

  /** @internal */
  constructor(client: native.NativeComposio) {
    this.inner = client.webhookEndpoints();
  }

  /** Lists endpoints, only those of `toolkitSlug` when given. */
  async list(query: { toolkitSlug?: string } = {}): Promise<{ items: WebhookEndpointListItem[] }> {
    checkKeys('webhook endpoint list query', query, ['toolkitSlug']);
    checkType('toolkitSlug', query.toolkitSlug, 'string');
    const items = (await call(this.inner.list(query.toolkitSlug))) as JsonObject[];
    return {
      items: items.map((w) => ({ id: w.id as string, toolkitSlug: w.toolkit_slug as string, clientId: (w.client_id as string | null | undefined) ?? null })),
    };
  }

  /** One endpoint by nano id (`we_…`). */
  async get(nanoId: string): Promise<WebhookEndpoint> {
    return endpointFromWire((await call(this.inner.get(nanoId))) as JsonObject);
  }

  /** Creates the endpoint of a toolkit + OAuth app pair (or returns the existing one). */
  async create(params: { toolkitSlug: string; clientId: string }): Promise<WebhookEndpoint> {
    checkKeys('webhook endpoint create params', params, ['toolkitSlug', 'clientId']);
    if (params === undefined || params === null) throw new ValidationError('webhook endpoint create params are required');
    const toolkit = requireString('toolkitSlug', params.toolkitSlug);
    const clientId = requireString('clientId', params.clientId);
    return endpointFromWire((await call(this.inner.create(toolkit, clientId))) as JsonObject);
  }

  /** Sets every required setup field (the initial configuration). */
  async replace(nanoId: string, params: { data: Record<string, string> }): Promise<WebhookEndpoint> {
    checkKeys('webhook endpoint replace params', params, ['data']);
    const data = stringRecord('data', params?.data);
    return endpointFromWire((await call(this.inner.replace(nanoId, data))) as JsonObject);
  }

  /** Merges setup fields; omitted fields are kept. */
  async update(nanoId: string, params: { data: Record<string, string> }): Promise<WebhookEndpoint> {
    checkKeys('webhook endpoint update params', params, ['data']);
    const data = stringRecord('data', params?.data);
    return endpointFromWire((await call(this.inner.update(nanoId, data))) as JsonObject);
  }
}

/** A saved Session config as `sessionConfigs.list` returns it. */
export interface SessionConfigSummary {
  id: string;
  name: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A saved Session config with its description and access policy (kept exactly as sent). */
export interface SavedSessionConfig extends SessionConfigSummary {
  description: string | null;
  config: JsonObject;
}

function summaryFromWire(w: JsonObject): SessionConfigSummary {
  return {
    id: w.id as string,
    name: w.name as string,
    archived: Boolean(w.archived),
    createdAt: w.created_at as string,
    updatedAt: w.updated_at as string,
  };
}

/**
 * `composio.sessionConfigs` (0.21): the project's saved Session configs (`sc_…`), named access
 * policies made in the Dashboard.
 */
export class SessionConfigs {
  /** @internal */
  private readonly inner: native.NativeSessionConfigs;

  /** @internal */
  constructor(client: native.NativeComposio) {
    this.inner = client.sessionConfigs();
  }

  /** One page of configs: `{items, nextCursor}` (active ones unless `archived: true`). */
  async list(
    params: { search?: string; archived?: boolean; limit?: number; cursor?: string } = {},
  ): Promise<{ items: SessionConfigSummary[]; nextCursor: string | null }> {
    checkKeys('session config list params', params, ['search', 'archived', 'limit', 'cursor']);
    checkType('search', params.search, 'string');
    checkType('archived', params.archived, 'boolean');
    checkType('limit', params.limit, 'number');
    checkType('cursor', params.cursor, 'string');
    if (params.limit !== undefined && (!Number.isInteger(params.limit) || params.limit < 1)) {
      throw new ValidationError(`limit must be a positive integer, got ${params.limit}`);
    }
    const w = (await call(this.inner.list(params.search, params.archived, params.limit, params.cursor))) as JsonObject;
    return {
      items: ((w.items as JsonObject[] | undefined) ?? []).map(summaryFromWire),
      nextCursor: (w.next_cursor as string | null | undefined) ?? null,
    };
  }

  /** One config with its description and policy. */
  async get(id: string): Promise<SavedSessionConfig> {
    if (typeof id !== 'string' || id.trim() === '') throw new ValidationError('Session config id must be a non-empty string');
    const w = (await call(this.inner.get(id))) as JsonObject;
    return {
      ...summaryFromWire(w),
      description: (w.description as string | null | undefined) ?? null,
      config: (w.config as JsonObject | undefined) ?? {},
    };
  }
}

/** Options of one raw call made through {@link ComposioClient}. */
export interface RawRequestOptions {
  /** Query parameters (arrays repeat the key; `null`/`undefined` values are left out). */
  query?: Record<string, unknown>;
  /** JSON body. */
  body?: unknown;
}

/**
 * What `composio.getClient()` returns: raw calls to the Composio API through the engine, with
 * the client's base URL, `x-api-key` and default headers, retries and typed `ComposioError`s.
 *
 * `@composio/core` returns its generated HTTP client (`@composio/client`); this object offers the
 * same request methods (`get`, `post`, `put`, `patch`, `delete`), each resolving to the parsed
 * JSON answer. A path starting with `/` is taken from the base URL (`/api/v3.1/toolkits`);
 * otherwise it is under the API prefix (`toolkits`). Not offered: the generated resource
 * namespaces (`client.toolkits.list()`…), per-call headers (set `defaultHeaders` or use
 * `composio.createSession({headers})`), `.withResponse()`.
 */
export class ComposioClient {
  /** @internal */
  constructor(private readonly native: native.NativeComposio) {}

  /** The base URL in use. */
  get baseURL(): string {
    return this.native.baseUrl;
  }

  /** `GET path`. */
  get<T = unknown>(path: string, options?: RawRequestOptions): Promise<T> {
    return this.request('GET', path, options);
  }

  /** `POST path`. */
  post<T = unknown>(path: string, options?: RawRequestOptions): Promise<T> {
    return this.request('POST', path, options);
  }

  /** `PUT path`. */
  put<T = unknown>(path: string, options?: RawRequestOptions): Promise<T> {
    return this.request('PUT', path, options);
  }

  /** `PATCH path`. */
  patch<T = unknown>(path: string, options?: RawRequestOptions): Promise<T> {
    return this.request('PATCH', path, options);
  }

  /** `DELETE path`. */
  delete<T = unknown>(path: string, options?: RawRequestOptions): Promise<T> {
    return this.request('DELETE', path, options);
  }

  /** Any method. */
  async request<T = unknown>(method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    if (typeof path !== 'string' || path.length === 0) throw new ValidationError('path must be a non-empty string');
    checkKeys('request options', options, ['query', 'body']);
    const query = options?.query;
    if (query !== undefined && (query === null || typeof query !== 'object' || Array.isArray(query))) {
      throw new ValidationError('query must be an object');
    }
    const clean: JsonObject = {};
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (typeof v === 'object' && !Array.isArray(v)) throw new ValidationError(`query.${k} must be a string, number, boolean or array`);
      clean[k] = v;
    }
    const body = options?.body === undefined ? undefined : (options.body as JsonObject);
    return (await call(this.native.rawRequest(method, path, clean, body))) as T;
  }
}
