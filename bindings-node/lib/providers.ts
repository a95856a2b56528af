/**
 * Providers: model-native tool formats and tool-call handling, computed by
 * the engine in `@composio/core`'s (TypeScript) flavour.
 */
import * as native from '../native/native';
import { afterModifier, beforeFileUploadModifier, beforeModifier, declarative } from './callbacks';
import { snakeKeys, toolFromWire, toolToWire } from './convert';
import { call, callSync, ComposioError } from './errors';
import type { ExecuteToolFnOptions, ExecuteToolModifiers, JsonObject, Tool } from './types';

/** The native provider description. */
interface ProviderSpec {
  name: string;
  strict?: boolean;
  cache_tools?: boolean;
}

/** @internal How an agentic provider's tools execute (bound to a user or a session). */
export type ExecuteToolFn = (toolSlug: string, input: Record<string, unknown>) => Promise<unknown>;

/** Base of every provider. */
export abstract class BaseProvider<TTool = JsonObject, TToolCollection = TTool[]> {
  /** The provider's name (sent as `x-framework`). */
  abstract readonly name: string;
  /** Whether tools carry their own `execute` (agentic) or calls are handed back. */
  abstract readonly _isAgentic: boolean;
  /** @internal */
  protected _client?: native.NativeComposio;

  /** @internal Binds the provider to a client (done by `new Composio`). */
  _setClient(client: native.NativeComposio): void {
    this._client = client;
  }

  /** Wraps tools in the model's format (agentic providers also take the executor). */
  abstract wrapTools(tools: Tool[], executeTool?: ExecuteToolFn): TToolCollection;

  /** @internal Formats wire tools as `tools.get` / `session.tools()` return them. */
  abstract _formatWire(tools: JsonObject[], execute: ExecuteToolFn): TToolCollection;
}

/** Base of the built-in (non-agentic) providers. */
export abstract class BaseNonAgenticProvider<TTool = JsonObject, TToolCollection = TTool[]> extends BaseProvider<TTool, TToolCollection> {
  /** Always `false`: tool calls are handed back with `handleToolCalls`. */
  readonly _isAgentic = false;
  /** @internal The engine's description of this provider. */
  abstract _spec(): ProviderSpec;

  /** @internal */
  protected client(): native.NativeComposio {
    if (!this._client) {
      throw new ComposioError(
        'this provider is not attached to a Composio instance; pass it as `provider` to new Composio(...)',
        'GLOBAL_EXECUTE_TOOL_FN_NOT_SET',
      );
    }
    return this._client;
  }

  /** Wraps one tool in the model's format. */
  wrapTool(tool: Tool): TTool {
    return (callSync(() => native.wrapTools(this._spec(), [toolToWire(tool)])) as TTool[])[0] as TTool;
  }

  /** Wraps tools in the model's format. */
  wrapTools(tools: Tool[]): TToolCollection {
    return callSync(() => native.wrapTools(this._spec(), tools.map((t) => toolToWire(t)))) as TToolCollection;
  }

  /** @internal Formats wire tools as `tools.get` returns them. */
  _formatWire(tools: JsonObject[], _execute?: ExecuteToolFn): TToolCollection {
    return callSync(() => native.formatTools(this._spec(), tools)) as TToolCollection;
  }

  /** Formats an MCP server for this provider. */
  wrapMcpServerResponse(data: { url: string | URL; name: string }[]): unknown[] {
    return data.map((d) => callSync(() => native.wrapMcpServer(this._spec(), String(d.url), d.name)));
  }

  /** @internal Executes every tool call of a model response. */
  protected async _handle(
    userId: string,
    response: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<unknown[]> {
    return (await call(
      this.client().handleToolCalls(
        userId,
        this._spec(),
        response,
        snakeKeys(options),
        beforeModifier(modifiers?.beforeExecute),
        afterModifier(modifiers?.afterExecute),
        declarative(modifiers?.declarative),
        beforeFileUploadModifier(modifiers?.beforeFileUpload),
      ),
    )) as unknown[];
  }
}

/** An OpenAI Chat Completions function tool. */
export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonObject; strict?: boolean };
}

/** An OpenAI Responses API function tool. */
export interface OpenAIResponsesTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: JsonObject;
  strict?: boolean;
}

/** An Anthropic tool. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: JsonObject;
  cache_control?: JsonObject;
}

/** OpenAI Chat Completions (the default provider). */
export class OpenAIProvider extends BaseNonAgenticProvider<OpenAITool, OpenAITool[]> {
  readonly name = 'openai';

  /** @internal */
  _spec(): ProviderSpec {
    return { name: 'openai' };
  }

  /** Executes the tool calls of a chat completion; returns `tool` messages. */
  async handleToolCalls(
    userId: string,
    chatCompletion: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<JsonObject[]> {
    return (await this._handle(userId, chatCompletion, options, modifiers)) as JsonObject[];
  }
}

/** OpenAI Responses API (`@composio/openai`'s `OpenAIResponsesProvider`). */
export class OpenAIResponsesProvider extends BaseNonAgenticProvider<OpenAIResponsesTool, OpenAIResponsesTool[]> {
  readonly name = 'openai';
  /** Whether tools are strict (required properties only). */
  readonly strict: boolean;

  constructor(options: { strict?: boolean } = {}) {
    super();
    this.strict = options.strict ?? false;
  }

  /** @internal */
  _spec(): ProviderSpec {
    return { name: 'openai_responses', strict: this.strict };
  }

  /** Executes function calls (a response or its output items); returns `function_call_output` items. */
  async handleToolCalls(
    userId: string,
    output: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<JsonObject[]> {
    return (await this._handle(userId, output, options, modifiers)) as JsonObject[];
  }

  /** Executes the function calls of a whole response. */
  async handleResponse(
    userId: string,
    response: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<JsonObject[]> {
    return this.handleToolCalls(userId, response, options, modifiers);
  }
}

/** Anthropic Messages API (`@composio/anthropic`'s `AnthropicProvider`). */
export class AnthropicProvider extends BaseNonAgenticProvider<AnthropicTool, AnthropicTool[]> {
  readonly name = 'anthropic';
  /** Whether `cache_control` is attached. */
  readonly cacheTools: boolean;

  constructor(options: { cacheTools?: boolean } = {}) {
    super();
    this.cacheTools = options.cacheTools ?? false;
  }

  /** @internal */
  _spec(): ProviderSpec {
    return { name: 'anthropic', cache_tools: this.cacheTools };
  }

  /** Executes the `tool_use` blocks of a message; returns one `user` message with `tool_result` blocks (or `[]`). */
  async handleToolCalls(
    userId: string,
    message: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<JsonObject[]> {
    return (await this._handle(userId, message, options, modifiers)) as JsonObject[];
  }
}

/** Google Gemini (`@composio/google`'s `GoogleProvider`). */
export class GoogleProvider extends BaseNonAgenticProvider {
  readonly name = 'google';

  /** @internal */
  _spec(): ProviderSpec {
    return { name: 'google' };
  }

  /** Executes one function call; returns the result as a JSON string. */
  async executeToolCall(
    userId: string,
    tool: { name: string; args?: unknown },
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<string> {
    const response = { candidates: [{ content: { parts: [{ function_call: { name: tool.name, args: tool.args ?? {} } }] } }] };
    const out = (await this._handle(userId, response, options, modifiers)) as string[];
    return out[0] ?? '';
  }

  /** Executes every function call of a response; returns one JSON string per call. */
  async handleToolCalls(
    userId: string,
    response: unknown,
    options?: ExecuteToolFnOptions,
    modifiers?: ExecuteToolModifiers,
  ): Promise<string[]> {
    return (await this._handle(userId, response, options, modifiers)) as string[];
  }
}

/** Base of agentic providers: every tool carries an `execute` running through the engine. */
export abstract class BaseAgenticProvider<TTool = unknown, TToolCollection = unknown> extends BaseProvider<TTool, TToolCollection> {
  /** Always `true`. */
  readonly _isAgentic = true;

  /** Wraps one tool with its executor. */
  abstract wrapTool(tool: Tool, executeTool: ExecuteToolFn): TTool;

  /** Wraps tools with their executor. */
  abstract override wrapTools(tools: Tool[], executeTool: ExecuteToolFn): TToolCollection;

  /** @internal */
  _formatWire(tools: JsonObject[], execute: ExecuteToolFn): TToolCollection {
    return this.wrapTools(tools.map(toolFromWire), execute);
  }
}

/** The parts of the `ai` package the Vercel provider uses. */
interface AiModule {
  tool: (t: { description?: string; inputSchema: unknown; execute: (input: any, options?: unknown) => Promise<unknown> }) => unknown;
  jsonSchema: (
    schema: JsonObject,
    options?: { validate?: (value: unknown) => { success: true; value: unknown } | { success: false; error: Error } },
  ) => unknown;
}

function loadAi(): AiModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('ai') as AiModule;
  } catch (e) {
    throw new ComposioError(
      'VercelProvider needs the `ai` package (Vercel AI SDK): npm install ai',
      'PROVIDER_DEPENDENCY_MISSING',
      { cause: e },
    );
  }
}

function requiredOnly(schema: JsonObject): JsonObject {
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const props = (schema.properties as JsonObject | undefined) ?? {};
  const kept: JsonObject = {};
  for (const k of required) if (k in props) kept[k] = props[k];
  return { ...schema, properties: kept };
}

/** A Vercel AI SDK tool (what `ai`'s `tool()` returns). */
export type VercelTool = ReturnType<AiModule['tool']>;
/** Vercel AI SDK tools keyed by slug. */
export type VercelToolCollection = Record<string, VercelTool>;

/**
 * Vercel AI SDK provider (`@composio/vercel`'s `VercelProvider`): tools are
 * `ai`'s `tool({description, inputSchema, execute})` objects keyed by slug,
 * whose `execute` runs the tool through the engine.
 */
export class VercelProvider extends BaseAgenticProvider<VercelTool, VercelToolCollection> {
  readonly name = 'vercel';
  /** Whether only required properties are offered to the model. */
  readonly strict: boolean;

  constructor(options: { strict?: boolean } = {}) {
    super();
    this.strict = options.strict ?? false;
  }

  /** Wraps one tool as an `ai` tool. */
  wrapTool(tool: Tool, executeTool: ExecuteToolFn): VercelTool {
    const ai = loadAi();
    const input = (tool.inputParameters as JsonObject | undefined) ?? { type: 'object', properties: {} };
    const schema = this.strict && input.type === 'object' ? requiredOnly(input) : input;
    const slug = tool.slug;
    return ai.tool({
      description: tool.description,
      // The engine checks the model's input against the JSON Schema (ai
      // reports a failure as a tool error and execute does not run).
      inputSchema: ai.jsonSchema(schema, {
        validate: (value: unknown) => {
          try {
            callSync(() => native.validateArguments(slug, schema, value));
            return { success: true, value };
          } catch (error) {
            return { success: false, error: error as Error };
          }
        },
      }),
      execute: async (params: Record<string, unknown>) => executeTool(tool.slug, params ?? {}),
    });
  }

  /** Wraps tools as `{[slug]: tool}`. */
  wrapTools(tools: Tool[], executeTool: ExecuteToolFn): VercelToolCollection {
    const out: VercelToolCollection = {};
    for (const t of tools) out[t.slug] = this.wrapTool(t, executeTool);
    return out;
  }
}
