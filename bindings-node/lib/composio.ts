/**
 * The `Composio` client and its namespaces, with `@composio/core`'s names,
 * options and defaults. Every method delegates to the engine.
 */
import * as native from '../native/native';
import { afterModifier, beforeFileUploadModifier, beforeModifier, declarative, schemaModifier, wrap } from './callbacks';
import { camelize, cloneJson, page, resultFromWire, paramsToWire, snakeKeys, toolFromWire } from './convert';
import {
  call,
  callSync,
  ComposioInvalidExecuteFunctionError,
  ComposioToolNotFoundError,
  ValidationError,
} from './errors';
import { BaseNonAgenticProvider, BaseProvider, OpenAIProvider, type ExecuteToolFn } from './providers';
import type {
  ExecuteToolModifiers,
  JsonObject,
  Page,
  ProviderOptions,
  SchemaModifierOptions,
  Tool,
  ToolExecuteParams,
  ToolExecuteResponse,
} from './types';
import { verifyWebhook as verifyWebhookImpl } from './webhooks';
import { toJsonSchema } from './zod';
import {
  checkSubscribeFilters,
  Files,
  MCP,
  startSubscription,
  stopSubscription,
  Webhooks,
  type IncomingTriggerPayload,
  type TriggerSubscribeParams,
} from './extras';
import {
  prepareLocalTools,
  toolInfoFromWire,
  type SessionCustomTool,
  type SessionCustomToolInfo,
  type SessionCustomToolkit,
} from './sessionTools';
import { ComposioClient, SessionConfigs } from './v31';
import { sessionUpdateToWire, type SessionUpdateConfig } from './sessionUpdate';

const SDK_VERSION: string = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** Options of `new Composio(...)`. */
export interface ComposioConfig<P extends BaseProvider<any, any> = OpenAIProvider> {
  /** Project API key (default: `COMPOSIO_API_KEY`). */
  apiKey?: string | null;
  /** API base URL (default: `COMPOSIO_BASE_URL`, else `https://backend.composio.dev`). */
  baseURL?: string | null;
  /** Provider formatting tools (default `new OpenAIProvider()`). */
  provider?: P;
  /** Toolkit versions: one version for all, or a map per toolkit slug. */
  toolkitVersions?: string | Record<string, string>;
  /** Accepted for compatibility; this SDK sends no telemetry. */
  allowTracking?: boolean;
  /** Accepted for compatibility; this SDK never queries the npm registry. */
  disableVersionCheck?: boolean;
  /** Accepted for compatibility (telemetry host name); unused. */
  host?: string;
  /** Upload file arguments and download file results automatically (default false). */
  dangerouslyAllowAutoUploadDownloadFiles?: boolean;
  /** Older name of {@link dangerouslyAllowAutoUploadDownloadFiles}. */
  autoUploadDownloadFiles?: boolean;
  /** Refuse to upload files that look like credentials (default true). */
  sensitiveFileUploadProtection?: boolean;
  /** More path segments never to upload. */
  fileUploadPathDenySegments?: string[];
  /** Only upload files from these directories. */
  fileUploadDirs?: string[];
  /** Where downloaded files go. */
  fileDownloadDir?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Per-request timeout in milliseconds (default 60 000). */
  timeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
}

/** A connection waiting for the user. */
export class ConnectionRequest {
  /** Connected account id. */
  readonly id: string;
  /** Status when the request was made. */
  readonly status: string;
  /** Where the user completes the connection. */
  readonly redirectUrl: string | null;
  /** @internal */
  private readonly client: native.NativeComposio;

  /** @internal */
  constructor(client: native.NativeComposio, wire: { id: string; status: string; redirectUrl?: string | null }) {
    this.client = client;
    this.id = wire.id;
    this.status = wire.status;
    this.redirectUrl = wire.redirectUrl ?? null;
  }

  /** Waits until the connection is ACTIVE (polls every second; default 60 000 ms). */
  async waitForConnection(timeout = 60_000): Promise<JsonObject> {
    return camelize(await call(this.client.waitForConnection(this.id, timeout))) as JsonObject;
  }

  /** A plain object with the request's fields. */
  toJSON(): JsonObject {
    return { id: this.id, status: this.status, redirectUrl: this.redirectUrl };
  }
}

/** Filters of `tools.get` / `getRawComposioTools`. */
export interface ToolListParams {
  tools?: string[];
  toolkits?: string[];
  search?: string;
  scopes?: string[];
  tags?: string[];
  limit?: number;
  authConfigIds?: string[];
  important?: boolean;
  toolkitVersions?: string | Record<string, string>;
}

/** Body of `tools.execute`. */
export interface ToolExecuteBody extends ToolExecuteParams {
  /** Which user's connected account to use. */
  userId?: string;
}

/** A custom tool definition for `tools.createCustomTool`. */
export interface CustomToolOptions {
  slug: string;
  name: string;
  description: string;
  /** A JSON Schema object, or a zod object schema (needs `zod` installed). */
  inputParams?: unknown;
  /** A toolkit whose connected account the tool uses. */
  toolkitSlug?: string;
  /** The implementation; returns `{data, error, successful}`. */
  execute: (
    input: any,
    connectionConfig: JsonObject | null,
    executeToolRequest: (request: JsonObject) => Promise<ToolExecuteResponse>,
  ) => ToolExecuteResponse | Promise<ToolExecuteResponse>;
}

function proxyToWire(body: JsonObject): JsonObject {
  const w: JsonObject = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    if (k === 'parameters' && Array.isArray(v)) {
      w.parameters = v.map((p: JsonObject) => ({ name: p.name, in: p.in ?? p.type, value: String(p.value) }));
    } else {
      w[k === 'connectedAccountId' ? 'connected_account_id' : k.replace(/([A-Z])/g, '_$1').toLowerCase()] = v;
    }
  }
  return w;
}

/** `composio.tools`. */
export class Tools<P extends BaseProvider<any, any> = OpenAIProvider> {
  /** @internal */
  constructor(
    private readonly client: native.NativeComposio,
    private readonly provider: P,
  ) {}

  /**
   * Tools for a user, wrapped for the provider: `get(userId, slug)` or
   * `get(userId, {tools | toolkits | search | authConfigIds, ...})`.
   */
  async get(userId: string, filters: ToolListParams | string, options: ProviderOptions = {}): Promise<ReturnType<P['wrapTools']>> {
    const provider: BaseProvider<any, any> = this.provider;
    if (
      typeof filters !== 'string' &&
      provider instanceof BaseNonAgenticProvider &&
      provider._formatWire === BaseNonAgenticProvider.prototype._formatWire
    ) {
      // Built-in provider formatting: the engine formats its own tools in
      // one step (no wire copy, no second trip through JavaScript objects).
      const modify = schemaModifier(options.modifySchema);
      const decl = declarative(options.declarative);
      const f = this.filtersToWire(filters);
      // A list the engine keeps arrives as `{ kept: template }`: the
      // template is shared by every call, so each one gets its own copy.
      const out = (await call(this.client.getToolsFormatted(f, provider._spec(), modify, decl))) as unknown[] | { kept: unknown[] };
      return (Array.isArray(out) ? out : cloneJson(out.kept)) as ReturnType<P['wrapTools']>;
    }
    const wire = await this.rawWire(filters, options);
    const execute: ExecuteToolFn = (slug, input) =>
      this.execute(slug, { userId, arguments: input as JsonObject }, {
        beforeExecute: options.beforeExecute,
        afterExecute: options.afterExecute,
        declarative: options.declarative,
        beforeFileUpload: options.beforeFileUpload,
      } as ExecuteToolModifiers);
    return this.provider._formatWire(wire, execute) as ReturnType<P['wrapTools']>;
  }

  private async rawWire(filters: ToolListParams | string, options: SchemaModifierOptions): Promise<JsonObject[]> {
    const modify = schemaModifier(options.modifySchema);
    const decl = declarative(options.declarative);
    if (typeof filters === 'string') {
      return [(await call(this.client.getTool(filters, undefined, modify, decl))) as JsonObject];
    }
    return (await call(this.client.getTools(this.filtersToWire(filters), modify, decl))) as JsonObject[];
  }

  private filtersToWire(filters: ToolListParams): JsonObject {
    if (filters === null || typeof filters !== 'object') {
      throw new ValidationError('tools.get needs a tool slug or a filters object');
    }
    const f = snakeKeys(filters) ?? {};
    const onlyToolkits =
      f.toolkits !== undefined && f.tools === undefined && f.search === undefined && f.tags === undefined && f.limit === undefined;
    if (onlyToolkits && f.important === undefined) f.important = true;
    return f;
  }

  /** Tools as the API describes them (camelCase), with schema modifiers applied. */
  async getRawComposioTools(query: ToolListParams, options: SchemaModifierOptions = {}): Promise<Tool[]> {
    return (await this.rawWire(query, options)).map(toolFromWire);
  }

  /** One tool by slug (custom tools first). */
  async getRawComposioToolBySlug(slug: string, options: SchemaModifierOptions & { version?: string } = {}): Promise<Tool> {
    try {
      const w = (await call(
        this.client.getTool(slug, options.version, schemaModifier(options.modifySchema), declarative(options.declarative)),
      )) as JsonObject;
      return toolFromWire(w);
    } catch (e) {
      if (e instanceof ComposioToolNotFoundError) throw e;
      const status = (e as { status?: number }).status;
      if (status === 404 || status === 400) {
        throw new ComposioToolNotFoundError(`Tool with slug ${slug} not found`, { cause: e, status });
      }
      throw e;
    }
  }

  /** Executes a tool; returns `{data, error, successful, logId?}`. */
  async execute(slug: string, body: ToolExecuteBody, modifiers: ExecuteToolModifiers = {}): Promise<ToolExecuteResponse> {
    if (body === null || typeof body !== 'object') throw new ValidationError('tools.execute needs a body object');
    const wire = (await call(
      this.client.execute(
        slug,
        paramsToWire(body as ToolExecuteBody & JsonObject),
        beforeModifier(modifiers.beforeExecute),
        afterModifier(modifiers.afterExecute),
        declarative(modifiers.declarative),
        beforeFileUploadModifier(modifiers.beforeFileUpload),
      ),
    )) as JsonObject;
    return resultFromWire(wire);
  }

  /** Every tool slug (`GET /tools/enum`). */
  async getToolsEnum(): Promise<any> {
    return camelize(await call(this.client.apiRequest('GET', ['tools', 'enum'], undefined, undefined)));
  }

  /** Arguments for a tool generated from natural language (`POST /tools/execute/{slug}/input`). */
  async getInput(slug: string, body: { text?: string; userId?: string; version?: string; [k: string]: unknown } = {}): Promise<any> {
    if (body === null || typeof body !== 'object') throw new ValidationError('tools.getInput needs a body object');
    const { userId: _u, ...rest } = body;
    void _u;
    return camelize(await call(this.client.apiRequest('POST', ['tools', 'execute', slug, 'input'], undefined, snakeKeys(rest) ?? {})));
  }

  /** The meta tools of a tool-router session (camelCase, schema modifiers applied). */
  async getRawToolRouterMetaTools(sessionId: string, options: SchemaModifierOptions = {}): Promise<Tool[]> {
    const session = await call(this.client.useSession(sessionId));
    const wire = (await call(
      session.tools(schemaModifier(options.modifySchema), declarative(options.declarative)),
    )) as JsonObject[];
    return wire.map(toolFromWire);
  }

  /** Executes a meta tool in a tool-router session. */
  async executeMetaTool(
    toolSlug: string,
    body: { sessionId: string; arguments?: JsonObject },
    modifiers: ExecuteToolModifiers = {},
  ): Promise<ToolExecuteResponse> {
    if (!body || typeof body.sessionId !== 'string') throw new ValidationError('executeMetaTool needs {sessionId}');
    const session = await call(this.client.useSession(body.sessionId));
    const w = (await call(
      session.executeMeta(toolSlug, body.arguments ?? {}, beforeModifier(modifiers.beforeExecute), afterModifier(modifiers.afterExecute)),
    )) as JsonObject;
    return resultFromWire(w);
  }

  /** Sends an HTTP request through a connected account (`POST /tools/execute/proxy`). */
  async proxyExecute(body: JsonObject): Promise<JsonObject> {
    return camelize(await call(this.client.proxy(proxyToWire(body)))) as JsonObject;
  }

  /** Registers a tool that runs in this process. Returns it as a `Tool`. */
  async createCustomTool(options: CustomToolOptions): Promise<Tool> {
    if (!options || typeof options.execute !== 'function') {
      throw new ComposioInvalidExecuteFunctionError('createCustomTool needs an execute function');
    }
    const schema = toJsonSchema(options.inputParams);
    const input: JsonObject = {
      title: options.name,
      type: 'object',
      description: options.description,
      properties: (schema.properties as JsonObject | undefined) ?? {},
      required: (schema.required as string[] | undefined) ?? [],
    };
    for (const [k, v] of Object.entries(schema)) {
      if (!(k in input) && k !== '$schema' && k !== 'additionalProperties') input[k] = v;
    }
    const user = options.execute;
    const tools = this;
    const handler = wrap(async (arg: { arguments: JsonObject; connectedAccount: JsonObject | null }) => {
      const account = arg.connectedAccount;
      const executeToolRequest = async (request: JsonObject): Promise<ToolExecuteResponse> => {
        if (!account) {
          throw new ComposioInvalidExecuteFunctionError(
            `custom tool ${options.slug} has no toolkit, so it cannot make authenticated requests`,
          );
        }
        const res = await tools.proxyExecute({ ...request, connectedAccountId: account.id });
        return { data: res.data as JsonObject, error: null, successful: true };
      };
      const result = await user(arg.arguments, (account?.state as JsonObject | undefined) ?? null, executeToolRequest);
      // Like @composio/core: a `{data, error, successful}` answer is the result
      // as it stands (a failure is returned, not thrown); anything else is data.
      if (result && typeof result === 'object' && 'successful' in result) {
        return { data: result.data ?? {}, error: result.error ?? null, successful: result.successful !== false };
      }
      return { data: result ?? {}, error: null, successful: true };
    });
    const def: JsonObject = {
      slug: options.slug,
      name: options.name,
      description: options.description,
      input_parameters: input,
      output_parameters: { type: 'object', title: `Response for ${options.name}`, properties: {} },
    };
    if (options.toolkitSlug && options.toolkitSlug.toLowerCase() !== 'custom') def.toolkit = options.toolkitSlug;
    const wire = callSync(() => this.client.registerCustomTool(def, handler)) as JsonObject;
    return toolFromWire(wire);
  }
}

/** `composio.toolkits`. */
export class Toolkits {
  /** @internal */
  constructor(private readonly client: native.NativeComposio) {}

  /** `get(slug)` → one toolkit; `get(query?)` → a list. */
  async get(slugOrQuery?: string | JsonObject): Promise<any> {
    if (typeof slugOrQuery === 'string') return camelize(await call(this.client.getToolkit(slugOrQuery)));
    const wire = (await call(this.client.listToolkits(snakeKeys(slugOrQuery)))) as JsonObject;
    return (wire.items as unknown[]).map(camelize);
  }

  /** Toolkit categories. */
  async listCategories(): Promise<any> {
    return camelize(await call(this.client.listToolkitCategories()));
  }

  /** Lists toolkits (same as `get(query)`). */
  async list(query?: JsonObject): Promise<any> {
    return this.get(query ?? {});
  }

  /**
   * Connects a user to a toolkit: with `authConfigId`, through that auth
   * config; otherwise with the toolkit's (possibly new) default one.
   */
  async authorize(userId: string, toolkitSlug: string, authConfigId?: string): Promise<ConnectionRequest> {
    if (authConfigId !== undefined) {
      return new ConnectionRequest(this.client, (await call(this.client.initiateConnection(userId, authConfigId, undefined))) as any);
    }
    return new ConnectionRequest(this.client, (await call(this.client.authorizeToolkit(userId, toolkitSlug))) as any);
  }

  /** Fields needed to create an auth config. */
  async getAuthConfigCreationFields(toolkit: string, authScheme: string, options: { requiredOnly?: boolean } = {}): Promise<any> {
    return camelize(await call(this.client.toolkitAuthFields(toolkit, authScheme, options.requiredOnly ?? false, false)));
  }

  /** Fields needed to initiate a connected account. */
  async getConnectedAccountInitiationFields(
    toolkit: string,
    authScheme: string,
    options: { requiredOnly?: boolean } = {},
  ): Promise<any> {
    return camelize(await call(this.client.toolkitAuthFields(toolkit, authScheme, options.requiredOnly ?? false, true)));
  }
}

function authConfigOptionsToWire(o: JsonObject | undefined): JsonObject | undefined {
  if (!o) return undefined;
  const w: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    w[toSnakeDeepKey(k)] = v;
  }
  return w;
}

function toSnakeDeepKey(k: string): string {
  return k.replace(/([A-Z])/g, '_$1').toLowerCase();
}

/** `composio.authConfigs`. */
export class AuthConfigs {
  /** @internal */
  constructor(private readonly client: native.NativeComposio) {}

  /** Lists auth configs. */
  async list(query?: JsonObject): Promise<Page<any>> {
    const q = snakeKeys(query);
    if (q && 'toolkit' in q) {
      q.toolkit_slug = q.toolkit;
      delete q.toolkit;
    }
    return page((await call(this.client.listAuthConfigs(q))) as JsonObject, camelize);
  }

  /** Creates an auth config (`{type: 'use_composio_managed_auth' | 'use_custom_auth', ...}`). */
  async create(toolkit: string, options?: JsonObject): Promise<{ id: string; authScheme: string; isComposioManaged: boolean; toolkit: string }> {
    const w = (await call(this.client.createAuthConfig(toolkit, authConfigOptionsToWire(options)))) as JsonObject;
    const ac = (w.auth_config as JsonObject | undefined) ?? {};
    const tk = (w.toolkit as JsonObject | undefined) ?? {};
    return {
      id: ac.id as string,
      authScheme: ac.auth_scheme as string,
      isComposioManaged: ac.is_composio_managed as boolean,
      toolkit: (tk.slug as string | undefined) ?? toolkit,
    };
  }

  /** One auth config. */
  async get(nanoid: string): Promise<any> {
    return camelize(await call(this.client.getAuthConfig(nanoid)));
  }

  /** Updates an auth config. */
  async update(nanoid: string, data: JsonObject): Promise<any> {
    return camelize(await call(this.client.updateAuthConfig(nanoid, authConfigOptionsToWire(data))));
  }

  /** Deletes an auth config. */
  async delete(nanoid: string): Promise<any> {
    return camelize(await call(this.client.authConfigAction(nanoid, 'delete')));
  }

  /** Enables an auth config. */
  async enable(nanoid: string): Promise<any> {
    return camelize(await call(this.client.authConfigAction(nanoid, 'enable')));
  }

  /** Disables an auth config. */
  async disable(nanoid: string): Promise<any> {
    return camelize(await call(this.client.authConfigAction(nanoid, 'disable')));
  }

  /** Sets the status (`ENABLED` / `DISABLED`). */
  async updateStatus(status: 'ENABLED' | 'DISABLED', nanoid: string): Promise<any> {
    return status === 'ENABLED' ? this.enable(nanoid) : this.disable(nanoid);
  }
}

/** `composio.connectedAccounts`. */
export class ConnectedAccounts {
  /** @internal */
  constructor(private readonly client: native.NativeComposio) {}

  /** Starts a connection. */
  async initiate(
    userId: string,
    authConfigId: string,
    options: { callbackUrl?: string; allowMultiple?: boolean; config?: JsonObject; alias?: string } = {},
  ): Promise<ConnectionRequest> {
    return new ConnectionRequest(
      this.client,
      (await call(this.client.initiateConnection(userId, authConfigId, snakeKeys(options)))) as any,
    );
  }

  /** Creates a hosted Connect Link. */
  async link(
    userId: string,
    authConfigId: string,
    options: { callbackUrl?: string; alias?: string; connectionData?: JsonObject } = {},
  ): Promise<ConnectionRequest> {
    return new ConnectionRequest(
      this.client,
      (await call(this.client.linkConnection(userId, authConfigId, snakeKeys(options)))) as any,
    );
  }

  /** Waits until a connected account is ACTIVE. */
  async waitForConnection(connectedAccountId: string, timeout = 60_000): Promise<any> {
    return camelize(await call(this.client.waitForConnection(connectedAccountId, timeout)));
  }

  /** One connected account. */
  async get(nanoid: string): Promise<any> {
    return camelize(await call(this.client.getConnectedAccount(nanoid)));
  }

  /** Lists connected accounts. */
  async list(query?: JsonObject): Promise<Page<any>> {
    return page((await call(this.client.listConnectedAccounts(snakeKeys(query)))) as JsonObject, camelize);
  }

  /** Deletes a connected account. */
  async delete(nanoid: string): Promise<any> {
    return camelize(await call(this.client.connectedAccountAction(nanoid, 'delete')));
  }

  /** Enables a connected account. */
  async enable(nanoid: string): Promise<any> {
    return camelize(await call(this.client.connectedAccountAction(nanoid, 'enable')));
  }

  /** Disables a connected account. */
  async disable(nanoid: string): Promise<any> {
    return camelize(await call(this.client.connectedAccountAction(nanoid, 'disable')));
  }

  /** Enables or disables a connected account. */
  async updateStatus(nanoid: string, params: { enabled: boolean }): Promise<any> {
    return params.enabled ? this.enable(nanoid) : this.disable(nanoid);
  }

  /** Refreshes a connected account's credentials. */
  async refresh(nanoid: string, options: { redirectUrl?: string; validateCredentials?: boolean } = {}): Promise<any> {
    return camelize(await call(this.client.refreshConnectedAccount(nanoid, snakeKeys(options))));
  }

  /** Updates a connected account's alias or connection state. */
  async update(nanoid: string, params: { alias?: string; connection?: { state?: JsonObject } }): Promise<any> {
    const wire: JsonObject = {};
    if (params.alias !== undefined) wire.alias = params.alias;
    if (params.connection?.state !== undefined) wire.state = params.connection.state;
    return camelize(await call(this.client.updateConnectedAccount(nanoid, wire)));
  }
}

/** Parameters of `triggers.verifyWebhook`. */
export interface VerifyWebhookParams {
  id: string;
  payload: string;
  secret: string;
  signature: string;
  timestamp: string;
  /** Seconds; `<= 0` disables the timestamp check (default 300). */
  tolerance?: number;
}

/** `composio.triggers`. */
export class Triggers {
  /** @internal */
  private subscription: native.NativeTriggerSubscription | null = null;

  /** @internal */
  constructor(private readonly client: native.NativeComposio) {}

  /**
   * Calls `fn` for every realtime trigger event that passes `filters`
   * (`@composio/core`'s filters). Resolves once the channel subscription
   * succeeded. While subscribed the process stays alive; `unsubscribe()`
   * releases it. A throwing `fn` is logged and does not end the
   * subscription. A second `subscribe` replaces the first.
   */
  async subscribe(fn: (data: IncomingTriggerPayload) => unknown, filters: TriggerSubscribeParams = {}): Promise<void> {
    if (typeof fn !== 'function') throw new ValidationError('triggers.subscribe needs a callback function');
    checkSubscribeFilters(filters);
    const sub = await startSubscription(this.client, fn, { ...filters });
    if (this.subscription) stopSubscription(this.subscription);
    this.subscription = sub;
  }

  /** Stops the realtime subscription (no-op when none). */
  async unsubscribe(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    if (sub) stopSubscription(sub);
  }

  /** Older name of {@link listTypes}. */
  async list(query?: { cursor?: string; limit?: number; toolkits?: string[] }): Promise<Page<any>> {
    return this.listTypes(query);
  }

  /** Verifies a webhook delivery and returns `{version, payload, rawPayload}`. */
  async verifyWebhook(params: VerifyWebhookParams & { now?: number }): Promise<{ version: string; payload: JsonObject; rawPayload: unknown }> {
    return verifyWebhookImpl(params as unknown as { [k: string]: unknown });
  }

  /**
   * Parses a webhook request (0.21): a fetch `Request`, or `{body, headers}` (body: string,
   * bytes or an already-parsed object; headers: `Headers` or a record). With `verifySecret` the
   * signature headers are checked through {@link verifyWebhook} (an empty secret is an error,
   * not a skipped check); without it the body is only parsed. Returns `{version, payload,
   * rawPayload}`.
   */
  async parse(
    request: Request | { body: unknown; headers: unknown },
    options?: { verifySecret?: string; tolerance?: number },
  ): Promise<{ version: string; payload: JsonObject; rawPayload: unknown }> {
    if (request === null || typeof request !== 'object') throw new ValidationError('triggers.parse needs a request');
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new ValidationError('triggers.parse options must be an object');
    for (const k of Object.keys(options ?? {})) {
      if (k !== 'verifySecret' && k !== 'tolerance') throw new ValidationError(`triggers.parse options: unknown option "${k}" (expected one of verifySecret, tolerance)`);
    }
    let body: string;
    let headers: unknown;
    if (typeof Request !== 'undefined' && request instanceof Request) {
      body = await request.text();
      headers = request.headers;
    } else {
      const raw = (request as { body: unknown }).body;
      if (typeof raw === 'string') body = raw;
      else if (raw instanceof Uint8Array) body = new TextDecoder().decode(raw);
      else if (raw === null || raw === undefined) body = '';
      else if (typeof raw === 'object') body = JSON.stringify(raw);
      else body = String(raw);
      headers = (request as { headers: unknown }).headers;
    }
    if (options === undefined || !('verifySecret' in options)) {
      const out = callSync(() => native.parseWebhookPayload(body)) as JsonObject;
      return { version: out.version as string, payload: out.payload as JsonObject, rawPayload: out.rawPayload };
    }
    const secret = options.verifySecret;
    if (!secret) {
      throw new ValidationError(
        "Cannot verify webhook: 'verifySecret' was provided but is empty — your COMPOSIO_WEBHOOK_SECRET is likely unset. " +
          "Set the secret, or omit 'verifySecret' entirely to parse without verification.",
      );
    }
    const header = (name: string): string | undefined => {
      if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
      if (headers === null || typeof headers !== 'object') return undefined;
      for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
        if (k.toLowerCase() !== name) continue;
        if (Array.isArray(v)) return v.find((x): x is string => typeof x === 'string');
        return typeof v === 'string' ? v : undefined;
      }
      return undefined;
    };
    const id = header('webhook-id');
    const timestamp = header('webhook-timestamp');
    const signature = header('webhook-signature');
    if (!id || !timestamp || !signature) {
      const missing = [!id && "'webhook-id'", !timestamp && "'webhook-timestamp'", !signature && "'webhook-signature'"].filter(Boolean);
      throw new ValidationError(
        `Cannot verify webhook: missing signature header(s) ${missing.join(', ')}. Pass the raw, unparsed request body and ensure the ` +
          "Composio signature headers (webhook-id, webhook-timestamp, webhook-signature) are forwarded to triggers.parse(). " +
          "To parse without verifying, omit 'verifySecret'.",
      );
    }
    return this.verifyWebhook({ id, payload: body, signature, timestamp, secret, ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}) });
  }

  /** Lists trigger types. */
  async listTypes(query?: { cursor?: string; limit?: number; toolkits?: string[] }): Promise<Page<any>> {
    const q = snakeKeys(query);
    if (q && 'toolkits' in q) {
      q.toolkit_slugs = q.toolkits;
      delete q.toolkits;
    }
    return page((await call(this.client.listTriggerTypes(q))) as JsonObject, camelize);
  }

  /** One trigger type. */
  async getType(slug: string): Promise<any> {
    return camelize(await call(this.client.getTriggerType(slug)));
  }

  /** Every trigger type slug. */
  async listEnum(): Promise<string[]> {
    return (await call(this.client.listTriggerEnum())) as string[];
  }

  /** Creates (or updates) a trigger instance for a user. */
  async create(userId: string, slug: string, body: { connectedAccountId?: string; triggerConfig?: JsonObject } = {}): Promise<any> {
    const wire: JsonObject = { user_id: userId };
    if (body.connectedAccountId !== undefined) wire.connected_account_id = body.connectedAccountId;
    if (body.triggerConfig !== undefined) wire.trigger_config = body.triggerConfig;
    return camelize(await call(this.client.createTrigger(slug, wire)));
  }

  /** Lists active trigger instances. */
  async listActive(query?: JsonObject): Promise<Page<any>> {
    return page((await call(this.client.listActiveTriggers(snakeKeys(query)))) as JsonObject, camelize);
  }

  /** Enables a trigger instance. */
  async enable(triggerId: string): Promise<any> {
    return camelize(await call(this.client.triggerAction(triggerId, 'enable')));
  }

  /** Disables a trigger instance. */
  async disable(triggerId: string): Promise<any> {
    return camelize(await call(this.client.triggerAction(triggerId, 'disable')));
  }

  /** Deletes a trigger instance. */
  async delete(triggerId: string): Promise<any> {
    return camelize(await call(this.client.triggerAction(triggerId, 'delete')));
  }

  /** Sets a trigger instance's status. */
  async update(triggerId: string, body: { status: 'enable' | 'disable' }): Promise<any> {
    return body.status === 'enable' ? this.enable(triggerId) : this.disable(triggerId);
  }
}

/** Configuration of `composio.create(userId, config)`. */
export interface SessionCreateConfig {
  toolkits?: string[] | { enable?: string[]; disable?: string[] };
  tools?: Record<string, string[] | { enable?: string[]; disable?: string[]; tags?: unknown }>;
  tags?: string[] | { enable?: string[]; disable?: string[] };
  manageConnections?:
    | boolean
    | { enable?: boolean; callbackUrl?: string; waitForConnections?: boolean; enableConnectionRemoval?: boolean };
  authConfigs?: Record<string, string>;
  connectedAccounts?: Record<string, string>;
  workbench?: { enable?: boolean; enableProxyExecution?: boolean; autoOffloadThreshold?: number };
  multiAccount?: { enable?: boolean; maxAccountsPerToolkit?: number; requireExplicitSelection?: boolean };
  /** Experimental settings; `customTools` / `customToolkits` run in this process (see `experimental_createTool`). */
  experimental?: JsonObject & { customTools?: SessionCustomTool[]; customToolkits?: SessionCustomToolkit[] };
  /**
   * Tool slugs to preload into `session.tools()` and the MCP tool list, or `"all"` to preload every
   * app tool allowed by the session filters (`"all"` requires a positive filter such as toolkits,
   * tools or tags; the API validates and caps the final set). With `"all"`, custom tools default to
   * preloaded too. Custom tool slugs do not belong here: set `preload` on the custom tool instead.
   */
  preload?: { tools?: string[] | 'all' };
}

function sessionConfigToWire(c: SessionCreateConfig | undefined): JsonObject | undefined {
  if (!c) return undefined;
  const w = snakeKeys(c) ?? {};
  for (const k of ['manage_connections', 'workbench', 'multi_account']) {
    const v = w[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) w[k] = snakeKeys(v);
  }
  return w;
}

function checkOptions(what: string, options: unknown, allowed: string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(`${what} must be an object`);
  }
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new ValidationError(`${what}: unknown option "${k}" (expected one of ${allowed.join(', ')})`);
  }
}

function deleted(w: JsonObject): { deleted: true; sessionId: string } {
  return { deleted: true, sessionId: w.session_id as string };
}

/** A tool-router session. */
export class ToolRouterSession<P extends BaseProvider<any, any> = OpenAIProvider> {
  /** @internal */
  constructor(
    private readonly inner: native.NativeSession,
    private readonly client: native.NativeComposio,
    private readonly provider: P,
  ) {}

  /** The session id. */
  get sessionId(): string {
    return this.inner.sessionId;
  }

  /** The session's configuration as the API echoes it (wire spelling); refreshed by {@link update}. */
  get config(): any {
    return this.inner.config;
  }

  /** The config version of the latest response (refreshed by {@link update}); pass it as `expectedConfigVersion`. */
  get configVersion(): number {
    return this.inner.configVersion;
  }

  /**
   * Partially updates the session configuration: only the options given change, `null` removes a stored
   * override, and maps given replace the stored ones. With `expectedConfigVersion` the update applies only
   * while the stored version still matches; otherwise it throws `ComposioSessionConfigConflictError` and
   * this object is left unchanged. Never retried. Returns the updated `config`.
   */
  async update(config: SessionUpdateConfig): Promise<any> {
    return await call(this.inner.update(sessionUpdateToWire(config)));
  }

  /** The session's config versions, newest first (`limit` at most 100). */
  async listConfigHistory(options: { cursor?: string; limit?: number } = {}): Promise<{
    items: { version: number; createdAt: string; isCurrent: boolean; config: any }[];
    nextCursor: string | null;
    totalPages: number;
    currentPage: number;
    totalItems: number;
  }> {
    checkOptions('listConfigHistory() options', options, ['cursor', 'limit']);
    const w = (await call(this.inner.configHistory(options.cursor, options.limit))) as JsonObject;
    return {
      items: (w.items as JsonObject[]).map((i) => ({
        version: i.version as number,
        createdAt: i.created_at as string,
        isCurrent: i.is_current as boolean,
        config: i.config,
      })),
      nextCursor: (w.next_cursor as string | null | undefined) ?? null,
      totalPages: w.total_pages as number,
      currentPage: w.current_page as number,
      totalItems: w.total_items as number,
    };
  }

  /** Deletes this session: `{deleted: true, sessionId}`; a second delete is a `NotFoundError`. */
  async delete(): Promise<{ deleted: true; sessionId: string }> {
    return deleted((await call(this.inner.delete())) as JsonObject);
  }

  /** `{type, url, headers}` for MCP clients. */
  get mcp(): { type: string; url: string; headers: Record<string, string> } {
    return this.inner.mcp as { type: string; url: string; headers: Record<string, string> };
  }

  /** The session's meta tools, wrapped for the provider. */
  async tools(modifiers: ProviderOptions = {}): Promise<ReturnType<P['wrapTools']>> {
    const wire = (await call(
      this.inner.tools(schemaModifier(modifiers.modifySchema), declarative(modifiers.declarative)),
    )) as JsonObject[];
    const execute: ExecuteToolFn = async (slug, input) => {
      const w = (await call(
        this.inner.executeMeta(slug, input as JsonObject, beforeModifier(modifiers.beforeExecute), afterModifier(modifiers.afterExecute)),
      )) as JsonObject;
      return resultFromWire(w);
    };
    return this.provider._formatWire(wire, execute) as ReturnType<P['wrapTools']>;
  }

  /** The session's custom tools (final `LOCAL_…` slugs), optionally of one toolkit. */
  customTools(options: { toolkit?: string } = {}): SessionCustomToolInfo[] {
    return (callSync(() => this.inner.customTools(options.toolkit)) as JsonObject[]).map((w) => toolInfoFromWire(w));
  }

  /** The session's custom toolkits with their tools. */
  customToolkits(): { slug: string; name: string; description: string; tools: SessionCustomToolInfo[] }[] {
    return (callSync(() => this.inner.customToolkits()) as JsonObject[]).map((tk) => ({
      slug: tk.slug as string,
      name: tk.name as string,
      description: tk.description as string,
      tools: (tk.tools as JsonObject[]).map((t) => toolInfoFromWire(t, tk.slug as string)),
    }));
  }

  /** Executes a tool in the session: `{data, error, logId}`. */
  async execute(toolSlug: string, args: JsonObject = {}): Promise<{ data: unknown; error: string | null; logId: string }> {
    const w = (await call(this.inner.execute(toolSlug, args))) as JsonObject;
    return { data: w.data ?? {}, error: (w.error as string | null | undefined) ?? null, logId: (w.log_id as string | undefined) ?? '' };
  }

  /** Searches tools for a use case. */
  async search(params: { query: string; toolkits?: string[]; model?: string }): Promise<any> {
    return camelize(await call(this.inner.search(snakeKeys(params) ?? {})));
  }

  /** Starts connecting the user to a toolkit. */
  async authorize(toolkit: string, options: { callbackUrl?: string; alias?: string } = {}): Promise<ConnectionRequest> {
    return new ConnectionRequest(this.client, (await call(this.inner.authorize(toolkit, snakeKeys(options)))) as any);
  }

  /** Toolkits with the user's connection status. */
  async toolkits(options: { toolkits?: string[]; cursor?: string; limit?: number; isConnected?: boolean; search?: string } = {}): Promise<{
    items: any[];
    nextCursor: string | null;
    totalPages: number;
  }> {
    const wire = (await call(this.inner.toolkits(snakeKeys(options)))) as JsonObject;
    return page(wire, (item) => {
      const { raw: _raw, ...rest } = item as JsonObject;
      void _raw;
      return camelize(rest);
    });
  }

  /** Sends an HTTP request through the session's connected account. */
  async proxyExecute(params: { toolkit: string; endpoint: string; method: string; body?: unknown; parameters?: JsonObject[] }): Promise<any> {
    const w: JsonObject = { ...params };
    if (params.parameters) {
      w.parameters = params.parameters.map((p) => ({ name: p.name, in: p.in ?? p.type, value: p.value }));
    }
    return camelize(await call(this.inner.proxyExecute(w)));
  }
}

/** `composio.sessions` / `composio.toolRouter`. */
export interface SessionsApi<P extends BaseProvider<any, any>> {
  /** Creates a session (same as `composio.create`). */
  create: Composio<P>['create'];
  /** Restores a session by id (same as `composio.use`). */
  use: Composio<P>['use'];
  /** Deletes a session by id: `{deleted: true, sessionId}`. */
  delete: (sessionId: string) => Promise<{ deleted: true; sessionId: string }>;
}

/** The Composio client. */
export class Composio<P extends BaseProvider<any, any> = OpenAIProvider> {
  /** The provider formatting tools. */
  readonly provider: P;
  /** Tools. */
  readonly tools: Tools<P>;
  /** Toolkits. */
  readonly toolkits: Toolkits;
  /** Auth configs. */
  readonly authConfigs: AuthConfigs;
  /** Connected accounts. */
  readonly connectedAccounts: ConnectedAccounts;
  /** Triggers and webhook verification. */
  readonly triggers: Triggers;
  /** Tool-router sessions (`create`, `use`, `delete`). */
  readonly toolRouter: SessionsApi<P>;
  /** Same as {@link toolRouter} (the 0.21 name). */
  readonly sessions: SessionsApi<P>;
  /** MCP server configurations. */
  readonly mcp: MCP;
  /** Manual file upload and download. */
  readonly files: Files;
  /** Webhook subscriptions and inbound webhook endpoints (0.21). */
  readonly webhooks: Webhooks;
  /** The project's saved Session configs (0.21). */
  readonly sessionConfigs: SessionConfigs;
  /** Older entry points kept for code written against them. */
  readonly experimental: {
    mcp: MCP;
    toolRouter: { createSession: (userId: string, config?: SessionCreateConfig) => Promise<{ sessionId: string; url: string }> };
  };
  /** @internal */
  private readonly native: native.NativeComposio;
  /** @internal */
  private readonly config: ComposioConfig<P>;

  constructor(config: ComposioConfig<P> = {}) {
    if (config === null || typeof config !== 'object') throw new ValidationError('Composio options must be an object');
    this.config = config;
    this.provider = (config.provider ?? new OpenAIProvider()) as P;
    if (!(this.provider instanceof BaseProvider)) {
      throw new ValidationError('provider must be one of the providers exported by composio-rs');
    }
    const options: JsonObject = {
      source: 'TYPESCRIPT_SDK',
      sdk_version: SDK_VERSION,
      framework: this.provider.name,
    };
    if (config.apiKey) options.api_key = config.apiKey;
    if (config.baseURL) options.base_url = config.baseURL;
    if (config.toolkitVersions !== undefined) options.toolkit_versions = config.toolkitVersions;
    if (config.defaultHeaders !== undefined) options.default_headers = config.defaultHeaders;
    const files = config.dangerouslyAllowAutoUploadDownloadFiles ?? config.autoUploadDownloadFiles;
    if (files !== undefined) options.auto_upload_download_files = files;
    if (config.fileDownloadDir !== undefined) options.file_download_dir = config.fileDownloadDir;
    if (config.sensitiveFileUploadProtection !== undefined)
      options.sensitive_file_upload_protection = config.sensitiveFileUploadProtection;
    if (config.fileUploadPathDenySegments !== undefined)
      options.file_upload_path_deny_segments = config.fileUploadPathDenySegments;
    if (config.fileUploadDirs !== undefined) options.file_upload_dirs = config.fileUploadDirs;
    if (config.timeout !== undefined) options.timeout_ms = config.timeout;
    if (config.maxRetries !== undefined) options.max_retries = config.maxRetries;
    this.native = callSync(() => new native.NativeComposio(options));
    this.provider._setClient(this.native);
    this.tools = new Tools(this.native, this.provider);
    this.toolkits = new Toolkits(this.native);
    this.authConfigs = new AuthConfigs(this.native);
    this.connectedAccounts = new ConnectedAccounts(this.native);
    this.triggers = new Triggers(this.native);
    this.toolRouter = {
      create: this.create.bind(this),
      use: this.use.bind(this),
      delete: async (sessionId: string) => deleted((await call(this.native.deleteSession(sessionId))) as JsonObject),
    };
    this.sessions = this.toolRouter;
    this.mcp = new MCP(this.native);
    this.files = new Files(this.native);
    this.webhooks = new Webhooks(this.native);
    this.sessionConfigs = new SessionConfigs(this.native);
    this.experimental = {
      mcp: this.mcp,
      toolRouter: {
        createSession: async (userId: string, cfg?: SessionCreateConfig) => {
          const s = await this.create(userId, cfg);
          return { sessionId: s.sessionId, url: s.mcp.url };
        },
      },
    };
  }

  /** A new client with the same options plus these request headers. */
  createSession(options: { headers?: Record<string, string> } = {}): Composio<P> {
    return new Composio<P>({ ...this.config, defaultHeaders: { ...(this.config.defaultHeaders ?? {}), ...(options.headers ?? {}) } });
  }

  /** Creates a tool-router session for a user. */
  async create(userId: string, config?: SessionCreateConfig): Promise<ToolRouterSession<P>> {
    let wireConfig = config;
    let local: ReturnType<typeof prepareLocalTools>;
    let session: ToolRouterSession<P> | undefined;
    const experimental = config?.experimental;
    if (experimental && typeof experimental === 'object' && ('customTools' in experimental || 'customToolkits' in experimental)) {
      const { customTools, customToolkits, ...rest } = experimental as JsonObject;
      local = prepareLocalTools(customTools, customToolkits, () => session);
      wireConfig = { ...config, experimental: rest };
      if (Object.keys(rest).length === 0) delete wireConfig.experimental;
    }
    const wire = sessionConfigToWire(wireConfig);
    const s = await call(this.native.createSession(userId, wire, local?.defs, local?.dispatch));
    session = new ToolRouterSession(s, this.native, this.provider);
    return session;
  }

  /**
   * Restores a session by id. With `customTools` / `customToolkits` (made by
   * `experimental_createTool` / `experimental_createToolkit`) they are attached to the session
   * (`POST /tool_router/session/{id}/attach`, as `@composio/core` 0.21 does) and run in this
   * process; each tool's `preload` (else its toolkit's, else the stored session's
   * `preload: {tools: "all"}`) decides whether `session.tools()` lists it. `mcp` is accepted for 0.21 code; sessions here always carry their MCP endpoint.
   */
  async use(
    sessionId: string,
    options: { customTools?: SessionCustomTool[]; customToolkits?: SessionCustomToolkit[]; mcp?: boolean } | null = {},
  ): Promise<ToolRouterSession<P>> {
    if (options === null) options = {};
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw new ValidationError('use() options must be an object');
    }
    for (const k of Object.keys(options)) {
      if (!['customTools', 'customToolkits', 'mcp'].includes(k)) {
        throw new ValidationError(`use() options: unknown option "${k}" (expected one of customTools, customToolkits, mcp)`);
      }
    }
    if (options.mcp !== undefined && typeof options.mcp !== 'boolean') throw new ValidationError('use() options: mcp must be a boolean');
    let session: ToolRouterSession<P> | undefined;
    const local = prepareLocalTools(options.customTools, options.customToolkits, () => session);
    const inner = local
      ? await call(this.native.attachSession(sessionId, local.defs, local.dispatch))
      : await call(this.native.useSession(sessionId));
    session = new ToolRouterSession(inner, this.native, this.provider);
    return session;
  }

  /**
   * Raw API calls (`get`, `post`, `put`, `patch`, `delete`) with this client's base URL, key and
   * headers. `@composio/core` returns its generated HTTP client here; see {@link ComposioClient}
   * for what this equivalent offers.
   */
  getClient(): ComposioClient {
    return new ComposioClient(this.native);
  }

  /** The options this client was built with. */
  getConfig(): ComposioConfig<P> {
    return this.config;
  }

  /** Telemetry flush (this SDK sends none); resolves at once. */
  async flush(): Promise<void> {}
}

