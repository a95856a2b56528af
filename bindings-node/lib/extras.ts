/**
 * `composio.mcp`, `composio.files`, `composio.webhooks` and the realtime
 * trigger subscription, with `@composio/core`'s names and shapes.
 */
import type * as native from '../native/native';
import { camelize } from './convert';
import { call, callSync, ValidationError } from './errors';
import type { JsonObject } from './types';
import { WebhookEndpoints } from './v31';

function checkKeys(what: string, obj: object | undefined | null, allowed: string[]): void {
  if (obj === undefined || obj === null) return;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new ValidationError(`${what} must be an object`);
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw new ValidationError(`${what}: unknown option "${k}" (expected one of ${allowed.join(', ')})`);
    }
  }
}

/** A toolkit of an MCP server: a slug, or a slug with the auth config to use. */
export type MCPToolkitConfig = string | { toolkit?: string; authConfigId?: string };

/** Options of `mcp.create`. */
export interface MCPConfigCreationParams {
  toolkits: MCPToolkitConfig[];
  allowedTools?: string[];
  /** Default false: Composio injects connection-management tools. */
  manuallyManageConnections?: boolean;
}

/** Options of `mcp.update`. */
export interface MCPUpdateParams {
  name?: string;
  toolkits?: MCPToolkitConfig[];
  allowedTools?: string[];
  manuallyManageConnections?: boolean;
}

/** Options of `mcp.list`. */
export interface MCPListParams {
  page?: number;
  limit?: number;
  toolkits?: string[];
  authConfigs?: string[];
  name?: string;
}

/** An MCP server configuration. */
export interface MCPItem {
  id: string;
  name: string;
  allowedTools: string[];
  authConfigIds: string[];
  commands: { claude?: string; cursor?: string; windsurf?: string; [k: string]: unknown } | undefined;
  MCPUrl: string;
  toolkitIcons?: Record<string, string>;
  serverInstanceCount?: number;
  toolkits?: string[];
}

/** A server's URL for one user. */
export interface MCPServerInstance {
  id: string;
  name: string;
  type: 'streamable_http';
  url: string;
  userId: string;
  allowedTools: string[];
  authConfigs: string[];
}

function toolkitsToWire(what: string, list: unknown): JsonObject[] | string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new ValidationError(`${what}.toolkits must be an array`);
  return list.map((t: unknown) => {
    if (typeof t === 'string') return t;
    if (t && typeof t === 'object') {
      checkKeys(`${what}.toolkits entry`, t, ['toolkit', 'authConfigId']);
      const e = t as { toolkit?: string; authConfigId?: string };
      if (!e.toolkit) throw new ValidationError(`${what}: every toolkit entry needs a toolkit slug`);
      return e.authConfigId ? { toolkit: e.toolkit, auth_config_id: e.authConfigId } : e.toolkit;
    }
    throw new ValidationError(`${what}.toolkits entries must be strings or {toolkit, authConfigId}`);
  }) as JsonObject[] | string[];
}

function itemFromWire(raw: JsonObject): MCPItem {
  const item: MCPItem = {
    name: raw.name as string,
    allowedTools: (raw.allowed_tools as string[]) ?? [],
    id: raw.id as string,
    authConfigIds: (raw.auth_config_ids as string[]) ?? [],
    commands: raw.commands as MCPItem['commands'],
    MCPUrl: raw.mcp_url as string,
  };
  if (raw.toolkit_icons !== undefined) item.toolkitIcons = raw.toolkit_icons as Record<string, string>;
  if (raw.server_instance_count !== undefined) item.serverInstanceCount = raw.server_instance_count as number;
  if (raw.toolkits !== undefined) item.toolkits = raw.toolkits as string[];
  return item;
}

/** `composio.mcp` (also `composio.experimental.mcp`): standalone MCP server configurations. */
export class MCP {
  /** @internal */
  private readonly inner: native.NativeMcp;

  /** @internal */
  constructor(client: native.NativeComposio) {
    this.inner = client.mcp();
  }

  /** Creates a server (`name`: 4–30 characters); the result has `generate(userId)`. */
  async create(
    name: string,
    mcpConfig: MCPConfigCreationParams,
  ): Promise<Omit<MCPItem, 'toolkitIcons' | 'serverInstanceCount' | 'toolkits'> & { generate: (userId: string) => Promise<MCPServerInstance> }> {
    if (!mcpConfig || typeof mcpConfig !== 'object') throw new ValidationError('mcp.create needs a config object');
    checkKeys('mcp.create config', mcpConfig, ['toolkits', 'allowedTools', 'manuallyManageConnections']);
    const manual = mcpConfig.manuallyManageConnections ?? false;
    const wire = (await call(
      this.inner.create(name, {
        toolkits: toolkitsToWire('mcp.create', mcpConfig.toolkits) ?? [],
        allowed_tools: mcpConfig.allowedTools ?? [],
        manually_manage_connections: manual,
      }),
    )) as JsonObject;
    const { toolkitIcons: _i, serverInstanceCount: _c, toolkits: _t, ...item } = itemFromWire(wire);
    void _i;
    void _c;
    void _t;
    return { ...item, generate: (userId: string) => this.generate(userId, item.id, { manuallyManageConnections: manual }) };
  }

  /** Lists servers (page-number pagination; defaults page 1, limit 10). */
  async list(options: MCPListParams = {}): Promise<{ items: MCPItem[]; currentPage: number; totalPages: number }> {
    checkKeys('mcp.list options', options, ['page', 'limit', 'toolkits', 'authConfigs', 'name']);
    const wire = (await call(
      this.inner.list({
        page_no: options.page ?? 1,
        limit: options.limit ?? 10,
        toolkits: options.toolkits ?? [],
        auth_config_ids: options.authConfigs ?? [],
        name: options.name ?? null,
      }),
    )) as JsonObject;
    return {
      currentPage: wire.current_page as number,
      totalPages: wire.total_pages as number,
      items: ((wire.items as JsonObject[]) ?? []).map(itemFromWire),
    };
  }

  /** One server. */
  async get(serverId: string): Promise<MCPItem> {
    return itemFromWire((await call(this.inner.get(serverId))) as JsonObject);
  }

  /** Changes a server; only the given fields are sent. */
  async update(serverId: string, config: MCPUpdateParams): Promise<MCPItem> {
    if (!config || typeof config !== 'object') throw new ValidationError('mcp.update needs a config object');
    checkKeys('mcp.update config', config, ['name', 'toolkits', 'allowedTools', 'manuallyManageConnections']);
    const wire: JsonObject = {};
    if (config.name !== undefined) wire.name = config.name;
    if (config.toolkits !== undefined) wire.toolkits = toolkitsToWire('mcp.update', config.toolkits);
    if (config.allowedTools !== undefined) wire.allowed_tools = config.allowedTools;
    if (config.manuallyManageConnections !== undefined) wire.manually_manage_connections = config.manuallyManageConnections;
    return itemFromWire((await call(this.inner.update(serverId, wire))) as JsonObject);
  }

  /** Deletes a server: `{id, deleted}`. */
  async delete(serverId: string): Promise<{ id: string; deleted: boolean }> {
    const w = (await call(this.inner.delete(serverId))) as JsonObject;
    return { id: w.id as string, deleted: w.deleted as boolean };
  }

  /** The server's URL for one user. */
  async generate(
    userId: string,
    mcpConfigId: string,
    options: { manuallyManageConnections?: boolean } = {},
  ): Promise<MCPServerInstance> {
    checkKeys('mcp.generate options', options, ['manuallyManageConnections']);
    const w = (await call(this.inner.generate(userId, mcpConfigId, options.manuallyManageConnections ?? false))) as JsonObject;
    return {
      id: w.id as string,
      name: w.name as string,
      type: 'streamable_http',
      url: w.url as string,
      userId: w.user_id as string,
      allowedTools: (w.allowed_tools as string[]) ?? [],
      authConfigs: (w.auth_configs as string[]) ?? [],
    };
  }
}

/** `composio.files`: manual upload and download (automatic handling is `autoUploadDownloadFiles`). */
export class Files {
  /** @internal */
  constructor(private readonly client: native.NativeComposio) {}

  /** Uploads a local file or an http(s) URL for a tool: `{name, mimetype, s3key}`. */
  async upload(params: { file: string; toolSlug: string; toolkitSlug: string }): Promise<{ name: string; mimetype: string; s3key: string }> {
    if (!params || typeof params !== 'object') throw new ValidationError('files.upload needs {file, toolSlug, toolkitSlug}');
    checkKeys('files.upload params', params, ['file', 'toolSlug', 'toolkitSlug']);
    if (typeof params.file !== 'string') throw new ValidationError('files.upload: file must be a path or URL string');
    return (await call(this.client.uploadFile(params.file, params.toolSlug, params.toolkitSlug))) as {
      name: string;
      mimetype: string;
      s3key: string;
    };
  }

  /** Downloads a file a tool returned: `{name, mimeType, s3Url, filePath}`. */
  async download(params: { toolSlug: string; s3Url: string; mimeType?: string }): Promise<{
    name: string;
    mimeType: string;
    s3Url: string;
    filePath: string;
  }> {
    checkKeys('files.download params', params, ['toolSlug', 's3Url', 'mimeType']);
    const mimeType = params.mimeType ?? 'application/octet-stream';
    const filePath = await call(this.client.downloadFile(params.toolSlug, params.s3Url, mimeType));
    return { name: filePath.split(/[\\/]/).pop() ?? filePath, mimeType, s3Url: params.s3Url, filePath };
  }
}

/** A webhook subscription (camelCase). */
export type WebhookSubscription = {
  id: string;
  webhookUrl: string;
  version: string;
  enabledEvents: string[];
  secret?: string;
  createdAt?: string;
  updatedAt?: string;
  [k: string]: unknown;
};

/** `composio.webhooks.subscriptions` (0.21): the project's outbound webhook subscription. */
export class WebhookSubscriptions {
  /** @internal */
  private readonly inner: native.NativeWebhookSubscriptions;

  /** @internal */
  constructor(client: native.NativeComposio) {
    this.inner = client.webhookSubscriptions();
  }

  /** Creates a subscription; the answer includes the signing `secret`. */
  async create(params: { webhookUrl: string; enabledEvents: string[]; version?: 'V1' | 'V2' | 'V3' }): Promise<WebhookSubscription> {
    checkKeys('webhook subscription', params, ['webhookUrl', 'enabledEvents', 'version']);
    return camelize(
      await call(this.inner.create({ webhook_url: params.webhookUrl, enabled_events: params.enabledEvents, version: params.version })),
    ) as WebhookSubscription;
  }

  /** Creates or updates the project's subscription (defaults: trigger messages, V3). */
  async set(params: { webhookUrl: string; enabledEvents?: string[]; version?: 'V1' | 'V2' | 'V3' }): Promise<WebhookSubscription> {
    checkKeys('webhook subscription', params, ['webhookUrl', 'enabledEvents', 'version']);
    return camelize(
      await call(this.inner.set({ webhook_url: params.webhookUrl, enabled_events: params.enabledEvents, version: params.version })),
    ) as WebhookSubscription;
  }

  /** Lists subscriptions: `{items, nextCursor, totalPages}`. */
  async list(query: { limit?: number; cursor?: string } = {}): Promise<{ items: WebhookSubscription[]; nextCursor: string | null; totalPages: number }> {
    checkKeys('webhook subscription list query', query, ['limit', 'cursor']);
    const w = camelize(await call(this.inner.list(query.limit, query.cursor))) as JsonObject;
    return {
      items: (w.items as WebhookSubscription[]) ?? [],
      nextCursor: (w.nextCursor as string | null | undefined) ?? null,
      totalPages: (w.totalPages as number | undefined) ?? 1,
    };
  }

  /** One subscription. */
  async get(id: string): Promise<WebhookSubscription> {
    return camelize(await call(this.inner.get(id))) as WebhookSubscription;
  }

  /** Changes a subscription. */
  async update(id: string, params: { webhookUrl?: string; enabledEvents?: string[]; version?: 'V1' | 'V2' | 'V3' }): Promise<WebhookSubscription> {
    checkKeys('webhook subscription update', params, ['webhookUrl', 'enabledEvents', 'version']);
    return camelize(
      await call(this.inner.update(id, { webhook_url: params.webhookUrl, enabled_events: params.enabledEvents, version: params.version })),
    ) as WebhookSubscription;
  }

  /** Deletes a subscription. */
  async delete(id: string): Promise<{ success: boolean }> {
    return camelize(await call(this.inner.delete(id))) as { success: boolean };
  }

  /** A new signing secret: `{id, secret}`. */
  async rotateSecret(id: string): Promise<{ id: string; secret: string }> {
    return camelize(await call(this.inner.rotateSecret(id))) as { id: string; secret: string };
  }

  /** The event types a subscription can enable. */
  async listEventTypes(): Promise<{ eventType: string; description: string; supportedVersions: string[] }[]> {
    return camelize(await call(this.inner.listEventTypes())) as { eventType: string; description: string; supportedVersions: string[] }[];
  }
}

/** `composio.webhooks` (0.21). */
export class Webhooks {
  /** The project's outbound webhook subscription. */
  readonly subscriptions: WebhookSubscriptions;
  /** Inbound webhook endpoints per toolkit + OAuth app. */
  readonly endpoints: WebhookEndpoints;

  /** @internal */
  constructor(client: native.NativeComposio) {
    this.subscriptions = new WebhookSubscriptions(client);
    this.endpoints = new WebhookEndpoints(client);
  }
}

/** Filters of `triggers.subscribe` (as in `@composio/core`). */
export interface TriggerSubscribeParams {
  /** Toolkit slugs (case-insensitive). */
  toolkits?: string[];
  /** Trigger instance id (exact). */
  triggerId?: string;
  /** Connected account id (exact). */
  connectedAccountId?: string;
  /** Auth config id (exact). */
  authConfigId?: string;
  /** Trigger slugs (case-insensitive). */
  triggerSlug?: string[];
  /** Trigger data (exact). */
  triggerData?: string;
  /** User id (exact). */
  userId?: string;
}

/** A trigger event as delivered to `subscribe` callbacks. */
export interface IncomingTriggerPayload {
  id: string;
  uuid: string;
  triggerSlug: string;
  toolkitSlug: string;
  userId: string;
  payload: unknown;
  originalPayload?: unknown;
  metadata: {
    id: string;
    uuid: string;
    toolkitSlug: string;
    triggerSlug: string;
    triggerData?: string;
    triggerConfig: JsonObject;
    connectedAccount: { id: string; uuid: string; authConfigId: string; authConfigUUID: string; userId: string; status: string };
  };
}

const FILTER_KEYS = ['toolkits', 'triggerId', 'connectedAccountId', 'authConfigId', 'triggerSlug', 'triggerData', 'userId'];

/** Checks `subscribe` filters; throws a ValidationError naming the problem. */
export function checkSubscribeFilters(filters: TriggerSubscribeParams): void {
  checkKeys('triggers.subscribe filters', filters, FILTER_KEYS);
  for (const k of ['toolkits', 'triggerSlug'] as const) {
    const v = filters[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) {
      throw new ValidationError(`triggers.subscribe filter ${k} must be an array of strings`);
    }
  }
  for (const k of ['triggerId', 'connectedAccountId', 'authConfigId', 'triggerData', 'userId'] as const) {
    const v = filters[k];
    if (v !== undefined && typeof v !== 'string') throw new ValidationError(`triggers.subscribe filter ${k} must be a string`);
  }
}

/** Whether an event passes `@composio/core`'s subscription filters. */
export function matchesFilters(f: TriggerSubscribeParams, e: IncomingTriggerPayload): boolean {
  const ca = e.metadata?.connectedAccount;
  if (f.toolkits?.length && !f.toolkits.map((t) => t.toLowerCase()).includes(String(e.toolkitSlug).toLowerCase())) return false;
  if (f.triggerId && f.triggerId !== e.id) return false;
  if (f.connectedAccountId && f.connectedAccountId !== ca?.id) return false;
  if (f.authConfigId && f.authConfigId !== ca?.authConfigId) return false;
  if (f.triggerSlug?.length && !f.triggerSlug.map((t) => t.toLowerCase()).includes(String(e.triggerSlug).toLowerCase())) return false;
  if (f.triggerData && f.triggerData !== e.metadata?.triggerData) return false;
  if (f.userId && f.userId !== ca?.userId) return false;
  return true;
}

/** Starts a native subscription delivering filtered events to `fn` (errors in `fn` are logged). */
export async function startSubscription(
  client: native.NativeComposio,
  fn: (data: IncomingTriggerPayload) => unknown,
  filters: TriggerSubscribeParams,
): Promise<native.NativeTriggerSubscription> {
  const report = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    console.error('Error in trigger callback:', message);
  };
  const deliver = (event: IncomingTriggerPayload): void => {
    try {
      if (!matchesFilters(filters, event)) return;
      const r = fn(event) as { then?: unknown; catch?: (f: (e: unknown) => void) => unknown } | undefined;
      if (r && typeof r.then === 'function' && typeof r.catch === 'function') r.catch(report);
    } catch (error) {
      report(error);
    }
  };
  return (await call(client.subscribeTriggers(deliver as (arg: any) => void))) as native.NativeTriggerSubscription;
}

/** Stops a native subscription. */
export function stopSubscription(sub: native.NativeTriggerSubscription): void {
  callSync(() => sub.unsubscribe());
}
