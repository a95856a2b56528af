/**
 * `session.update()` options of `@composio/core` 0.21, spelled for the wire.
 *
 * Only the spelling is converted here (camelCase option names to the API's
 * snake_case); the engine checks the patch (conflicting fields, `null` where
 * it is not allowed, the precondition) and normalises shorthand forms.
 */
import { ValidationError } from './errors';
import type { JsonObject } from './types';

type Nullable<T> = T | null;

/** Options of `session.update()`: omit a key to keep it, `null` removes the stored override. */
export interface SessionUpdateConfig {
  /** Toolkit policy: an allowlist, `{enable}` or `{disable}`; `null` restores the unrestricted default. */
  toolkits?: Nullable<string[] | { enable: string[] } | { disable: string[] }>;
  /** Replaces the whole per-toolkit tools map. */
  tools?: Nullable<Record<string, string[] | { enable?: string[]; disable?: string[]; tags?: unknown }>>;
  /** Replaces the global tag policy. */
  tags?: Nullable<string[] | { enable?: string[]; disable?: string[] }>;
  /** Replaces the whole auth config map (toolkit → `ac_…`). */
  authConfigs?: Nullable<Record<string, string>>;
  /** Replaces the whole connected account map (toolkit → `ca_…` or a list of them). */
  connectedAccounts?: Nullable<Record<string, string | string[]>>;
  /** `true`/`false`, or the subfields to change (`callbackUrl: null` removes only the callback URL). */
  manageConnections?: Nullable<
    | boolean
    | { enable?: boolean; callbackUrl?: string | null; waitForConnections?: boolean; enableConnectionRemoval?: boolean | null }
  >;
  /** Sandbox (code execution) settings; only the subfields given change. */
  sandbox?: Nullable<{ enable?: boolean; enableProxyExecution?: boolean; autoOffloadThreshold?: number; sandboxSize?: string }>;
  /** Backwards-compatible alias of {@link sandbox}. */
  workbench?: SessionUpdateConfig['sandbox'];
  /** Multi-account mode. */
  multiAccount?: Nullable<{ enable?: boolean; maxAccountsPerToolkit?: number | null; requireExplicitSelection?: boolean }>;
  /** Experimental premium usage policy; `false` disables it. */
  premiumUsage?: false | { toolkits?: unknown; tools?: unknown; returnPremiumCharge?: boolean };
  /** Replaces the stored preload. */
  preload?: Nullable<{ tools?: string[] | 'all' }>;
  /** Replaces the search block. */
  search?: Nullable<{ enable?: boolean }>;
  /** Replaces the execute block. */
  execute?: Nullable<{ enableMultiExecute?: boolean }>;
  /** Experimental settings. */
  experimental?: Nullable<{
    permissions?: unknown;
    linkUrlOverwrite?: string | null;
    fastMode?: boolean | null;
    submitFeedback?: { enable: boolean } | null;
    sessionConfigId?: string;
  }>;
  /** Precondition: apply only while the stored version is this one; `false` = none. */
  expectedConfigVersion?: number | false;
}

/** Option name → wire name, per block; a block not listed is sent as given. */
const TOP: Record<string, string> = {
  toolkits: 'toolkits',
  tools: 'tools',
  tags: 'tags',
  authConfigs: 'auth_configs',
  connectedAccounts: 'connected_accounts',
  manageConnections: 'manage_connections',
  sandbox: 'sandbox',
  workbench: 'workbench',
  multiAccount: 'multi_account',
  premiumUsage: 'premium_usage',
  preload: 'preload',
  search: 'search',
  execute: 'execute',
  experimental: 'experimental',
  expectedConfigVersion: 'expected_config_version',
};

const NESTED: Record<string, Record<string, string>> = {
  manageConnections: {
    enable: 'enable',
    callbackUrl: 'callback_url',
    waitForConnections: 'enable_wait_for_connections',
    enableConnectionRemoval: 'enable_connection_removal',
  },
  sandbox: {
    enable: 'enable',
    enableProxyExecution: 'enable_proxy_execution',
    autoOffloadThreshold: 'auto_offload_threshold',
    sandboxSize: 'sandbox_size',
  },
  multiAccount: {
    enable: 'enable',
    maxAccountsPerToolkit: 'max_accounts_per_toolkit',
    requireExplicitSelection: 'require_explicit_selection',
  },
  premiumUsage: { toolkits: 'toolkits', tools: 'tools', returnPremiumCharge: 'return_premium_charge' },
  execute: { enableMultiExecute: 'enable_multi_execute' },
  experimental: {
    permissions: 'permissions',
    linkUrlOverwrite: 'link_url_overwrite',
    fastMode: 'fast_mode',
    submitFeedback: 'submit_feedback',
    sessionConfigId: 'session_config_id',
  },
};
NESTED.workbench = NESTED.sandbox;

function rename(what: string, value: JsonObject, names: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const wire = names[k];
    if (wire === undefined) {
      throw new ValidationError(`${what}: unknown option "${k}" (expected one of ${Object.keys(names).join(', ')})`);
    }
    if (v !== undefined) out[wire] = v;
  }
  return out;
}

/** The wire patch of a `session.update()` config (unknown options are a `ValidationError`). */
export function sessionUpdateToWire(config: SessionUpdateConfig): JsonObject {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ValidationError('session.update() config must be an object');
  }
  const wire = rename('session.update() config', config as unknown as JsonObject, TOP);
  for (const [option, names] of Object.entries(NESTED)) {
    const key = TOP[option];
    const v = wire[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      wire[key] = rename(`session.update() ${option}`, v as JsonObject, names);
    }
  }
  return wire;
}
