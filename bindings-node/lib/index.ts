/**
 * composio-rs: Composio for Node.js on a Rust engine. A drop-in for
 * `@composio/core`: change the import, keep the code.
 */
import * as native from '../native/native';

export {
  Composio,
  ConnectionRequest,
  Tools,
  Toolkits,
  AuthConfigs,
  ConnectedAccounts,
  Triggers,
  ToolRouterSession,
} from './composio';
export { MCP, Files, Webhooks, WebhookSubscriptions } from './extras';
export { WebhookEndpoints, SessionConfigs, ComposioClient } from './v31';
export type { WebhookEndpoint, WebhookEndpointListItem, SessionConfigSummary, SavedSessionConfig, RawRequestOptions } from './v31';
export type { SessionUpdateConfig } from './sessionUpdate';
export { experimental_createTool, experimental_createToolkit } from './sessionTools';
export type {
  CreateSessionToolOptions,
  SessionContext,
  SessionCustomTool,
  SessionCustomToolkit,
  SessionCustomToolInfo,
} from './sessionTools';
export type {
  MCPConfigCreationParams,
  MCPUpdateParams,
  MCPListParams,
  MCPItem,
  MCPServerInstance,
  MCPToolkitConfig,
  TriggerSubscribeParams,
  IncomingTriggerPayload,
  WebhookSubscription,
} from './extras';
export type {
  ComposioConfig,
  ToolListParams,
  ToolExecuteBody,
  CustomToolOptions,
  VerifyWebhookParams,
  SessionCreateConfig,
} from './composio';
export {
  BaseProvider,
  BaseNonAgenticProvider,
  BaseAgenticProvider,
  VercelProvider,
  OpenAIProvider,
  OpenAIResponsesProvider,
  AnthropicProvider,
  GoogleProvider,
} from './providers';
export type { ExecuteToolFn, VercelTool, VercelToolCollection, OpenAITool, OpenAIResponsesTool, AnthropicTool } from './providers';
export * from './errors';
export type * from './types';

/** Webhook event types (`WebhookEventTypes` in `@composio/core`). */
export const WebhookEventTypes = {
  TRIGGER_MESSAGE: 'composio.trigger.message',
  CONNECTION_EXPIRED: 'composio.connected_account.expired',
} as const;

/** Connected account statuses. */
export const ConnectionStatuses = {
  INITIALIZING: 'INITIALIZING',
  INITIATED: 'INITIATED',
  ACTIVE: 'ACTIVE',
  FAILED: 'FAILED',
  EXPIRED: 'EXPIRED',
  INACTIVE: 'INACTIVE',
} as const;

/** The version of the Rust engine this package was built from. */
export const engineVersion: string = native.engineVersion();

/** @internal Test hook: panics inside the engine (synchronously or in a future). */
export function __debugPanic(inFuture: boolean): Promise<void> {
  return native.debugPanic(inFuture).catch((e: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    throw (require('./errors') as typeof import('./errors')).fromNative(e);
  });
}
