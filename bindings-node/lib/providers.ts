/**
 * Providers: model-native tool formats and tool-call handling, computed by
 * the engine in `@composio/core`'s (TypeScript) flavour.
 */
import * as native from '../native/native';
import { afterModifier, beforeModifier, declarative } from './callbacks';
import { snakeKeys, toolToWire } from './convert';
import { call, callSync, ComposioError } from './errors';
import type { ExecuteToolFnOptions, ExecuteToolModifiers, JsonObject, Tool } from './types';

/** The native provider description. */
interface ProviderSpec {
  name: string;
  strict?: boolean;
  cache_tools?: boolean;
}

/** Base of the built-in (non-agentic) providers. */
export abstract class BaseNonAgenticProvider<TTool = JsonObject, TToolCollection = TTool[]> {
  /** The provider's name (sent as `x-framework`). */
  abstract readonly name: string;
  /** Always `false`: tool calls are handed back with `handleToolCalls`. */
  readonly _isAgentic = false;
  /** @internal */
  protected _client?: native.NativeComposio;

  /** @internal The engine's description of this provider. */
  abstract _spec(): ProviderSpec;

  /** @internal Binds the provider to a client (done by `new Composio`). */
  _setClient(client: native.NativeComposio): void {
    this._client = client;
  }

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
  _formatWire(tools: JsonObject[]): TToolCollection {
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
      ),
    )) as unknown[];
  }
}

/** OpenAI Chat Completions (the default provider). */
export class OpenAIProvider extends BaseNonAgenticProvider {
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
export class OpenAIResponsesProvider extends BaseNonAgenticProvider {
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
export class AnthropicProvider extends BaseNonAgenticProvider {
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
