/** Public types of the SDK, shaped like `@composio/core`'s. */

/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/** A tool as the SDK presents it (camelCase). */
export interface Tool {
  slug: string;
  name: string;
  description?: string;
  inputParameters?: JsonObject;
  outputParameters?: JsonObject;
  toolkit?: { slug: string; name?: string; logo?: string };
  version?: string;
  availableVersions?: string[];
  isDeprecated?: boolean;
  isNoAuth?: boolean;
  tags?: string[];
  scopes?: string[];
}

/** What `beforeExecute` sees and returns. */
export interface ToolExecuteParams {
  arguments?: JsonObject;
  userId?: string;
  connectedAccountId?: string;
  customAuthParams?: JsonObject;
  customConnectionData?: JsonObject;
  version?: string;
  text?: string;
  dangerouslySkipVersionCheck?: boolean;
  allowTracing?: boolean;
}

/**
 * The result of a tool execution.
 *
 * `data` is what `JSON.parse` makes of the API's JSON, as in
 * `@composio/core`: an integer beyond ±(2^53 − 1) is the nearest JavaScript
 * number (never a `BigInt`), so `JSON.stringify(result)` always works. The
 * same holds for every other result (`tools.get`, `proxyExecute`, ...).
 */
export interface ToolExecuteResponse {
  data: JsonObject | unknown;
  error: string | null;
  successful: boolean;
  logId?: string;
  sessionInfo?: unknown;
}

/** A declarative modifier: runs inside the engine, no callback. */
export type DeclarativeModifier = (
  | { type: 'hide_parameter'; name: string }
  | { type: 'rename_parameter'; from: string; to: string }
  | { type: 'set_default'; name: string; value: unknown }
  | { type: 'fix_value'; name: string; value: unknown }
  | { type: 'make_required'; name: string }
  | { type: 'replace_description'; description: string }
  | { type: 'append_description'; text: string }
  | { type: 'set_parameter_description'; name: string; description: string }
  | { type: 'keep_result_fields'; pointers: string[] }
) & { tools?: string[]; toolkits?: string[] };

type MaybePromise<T> = T | Promise<T>;

/** `modifySchema` callback. */
export type TransformToolSchemaModifier = (context: {
  toolSlug: string;
  toolkitSlug: string;
  schema: Tool;
}) => MaybePromise<Tool>;

/** `beforeExecute` callback. */
export type BeforeExecuteModifier = (context: {
  toolSlug: string;
  toolkitSlug: string;
  params: ToolExecuteParams;
}) => MaybePromise<ToolExecuteParams>;

/** `afterExecute` callback. */
export type AfterExecuteModifier = (context: {
  toolSlug: string;
  toolkitSlug: string;
  result: ToolExecuteResponse;
}) => MaybePromise<ToolExecuteResponse>;

/** Modifiers of `tools.get` / `getRawComposioTools` / `session.tools`. */
export interface ProviderOptions {
  modifySchema?: TransformToolSchemaModifier;
  /** Called before each file argument is uploaded (automatic file handling). */
  beforeFileUpload?: BeforeFileUploadModifier;
  beforeExecute?: BeforeExecuteModifier;
  afterExecute?: AfterExecuteModifier;
  /** Declarative modifiers (engine-side, no callback). */
  declarative?: DeclarativeModifier[];
}

/** `beforeFileUpload({path, source, toolSlug, toolkitSlug})`. */
export type BeforeFileUploadModifier = (context: {
  path: string;
  source: 'path' | 'url';
  toolSlug: string;
  toolkitSlug: string;
}) => string | false | Promise<string | false>;

/** Modifiers of `tools.execute` / `handleToolCalls`. */
export interface ExecuteToolModifiers {
  /** Called before each file argument is uploaded (automatic file handling): return the path/URL to upload, or `false` to abort. */
  beforeFileUpload?: BeforeFileUploadModifier;
  beforeExecute?: BeforeExecuteModifier;
  afterExecute?: AfterExecuteModifier;
  declarative?: DeclarativeModifier[];
}

/** Schema modifiers. */
export interface SchemaModifierOptions {
  modifySchema?: TransformToolSchemaModifier;
  declarative?: DeclarativeModifier[];
}

/** Execution options of `handleToolCalls`. */
export interface ExecuteToolFnOptions {
  connectedAccountId?: string;
  customAuthParams?: JsonObject;
  customConnectionData?: JsonObject;
}

/** A page of results. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  totalPages: number;
}
