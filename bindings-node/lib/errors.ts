/**
 * Error classes, named as `@composio/core` names them, rebuilt from the
 * engine's error records.
 *
 * The native module throws plain `Error`s whose message is a marker plus a
 * JSON record (`{code, message, status?, requestId?, suggestedFix?,
 * callbackId?, details?}`). {@link fromNative} turns such an error into the
 * right subclass; when the record names a callback error id, it returns the
 * very object a user callback threw (see {@link rememberThrown}).
 */

const MARKER = '__COMPOSIO_ERROR__';

/** Options of every Composio error. */
export interface ComposioErrorOptions {
  /** The engine's stable error code (`TOOL_VERSION_REQUIRED`, `NOT_FOUND`, ...). */
  coreCode?: string;
  /** HTTP status, for API errors. */
  status?: number;
  /** The request id, when there was a request. */
  requestId?: string;
  /** The API's suggested fix, when it gave one. */
  suggestedFix?: string;
  /** Extra, error-specific details. */
  meta?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error this SDK throws. */
export class ComposioError extends Error {
  /** `TS-SDK::<CODE>` as in `@composio/core`. */
  readonly code: string;
  /** The engine's stable, language-neutral code. */
  readonly coreCode: string;
  /** HTTP status, for API errors. */
  readonly status?: number;
  /** Alias of {@link status} (the official SDK's name). */
  readonly statusCode?: number;
  /** The request id, when there was a request. */
  readonly requestId?: string;
  /** The API's suggested fix, when it gave one. */
  readonly suggestedFix?: string;
  /** Fixes to try, as the official SDK lists them. */
  readonly possibleFixes?: string[];
  /** Extra, error-specific details. */
  readonly meta?: Record<string, unknown>;

  constructor(message: string, code = 'COMPOSIO_ERROR', options: ComposioErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code.startsWith('TS-SDK::') ? code : `TS-SDK::${code}`;
    this.coreCode = options.coreCode ?? code;
    if (options.status !== undefined) {
      this.status = options.status;
      this.statusCode = options.status;
    }
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.suggestedFix !== undefined) {
      this.suggestedFix = options.suggestedFix;
      this.possibleFixes = [options.suggestedFix];
    }
    if (options.meta !== undefined) this.meta = options.meta;
  }
}

type Ctor = new (message: string, options?: ComposioErrorOptions) => ComposioError;

function define(name: string, tsCode: string, base: typeof ComposioError = ComposioError): Ctor {
  // One small class per official name, so `instanceof` and `name` work.
  const cls = {
    [name]: class extends base {
      constructor(message: string, options: ComposioErrorOptions = {}) {
        super(message, tsCode, options);
      }
    },
  }[name];
  return cls as unknown as Ctor;
}

/** No API key was given (argument or `COMPOSIO_API_KEY`). */
export class ComposioNoAPIKeyError extends ComposioError {
  constructor(message = 'No API key provided: pass apiKey or set COMPOSIO_API_KEY', options: ComposioErrorOptions = {}) {
    super(message, 'NO_API_KEY_PROVIDED', options);
  }
}
/** An input did not validate. */
export class ValidationError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'VALIDATION_ERROR', options);
  }
}
/** A manual execution resolved to toolkit version `latest`. */
export class ComposioToolVersionRequiredError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'TOOL_VERSION_REQUIRED', options);
  }
}
/** A tool does not exist. */
export class ComposioToolNotFoundError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'TOOL_NOT_FOUND', options);
  }
}
/** A toolkit does not exist. */
export const ComposioToolkitNotFoundError = define('ComposioToolkitNotFoundError', 'TOOLKIT_NOT_FOUND');
/** An auth config (or a toolkit's auth scheme) does not exist. */
export const ComposioAuthConfigNotFoundError = define('ComposioAuthConfigNotFoundError', 'AUTH_CONFIG_NOT_FOUND');
/** No connected account matched. */
export class ComposioConnectedAccountNotFoundError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'CONNECTED_ACCOUNT_NOT_FOUND', options);
  }
}
/** `initiate` found an active account and multiple accounts were not allowed. */
export class ComposioMultipleConnectedAccountsError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'MULTIPLE_CONNECTED_ACCOUNTS', options);
  }
}
/** `waitForConnection` timed out. */
export class ConnectionRequestTimeoutError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'CONNECTION_REQUEST_TIMEOUT', options);
  }
}
/** A connection ended FAILED or EXPIRED. */
export class ConnectionRequestFailedError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'CONNECTION_REQUEST_FAILED', options);
  }
}
/** A webhook's signature, timestamp or headers did not verify. */
export class ComposioWebhookSignatureVerificationError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'WEBHOOK_SIGNATURE_VERIFICATION_FAILED', options);
  }
}
/** A webhook body is not a known payload. */
export class ComposioWebhookPayloadError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'WEBHOOK_PAYLOAD_INVALID', options);
  }
}
/** A modifier is not a function. */
export class ComposioInvalidModifierError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'INVALID_MODIFIER', options);
  }
}
/** `beforeFileUpload` returned `false`. */
export class ComposioFileUploadAbortedError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'FILE_UPLOAD_ABORTED', options);
  }
}
/** A custom tool's `execute` is missing or misused. */
export class ComposioInvalidExecuteFunctionError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'INVALID_EXECUTE_FUNCTION', options);
  }
}
/** A tool execution failed. */
export class ComposioToolExecutionError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}) {
    super(message, 'TOOL_EXECUTION_ERROR', options);
  }
}
/** Uploading or downloading a file failed. */
export const ComposioFileUploadError = define('ComposioFileUploadError', 'FILE_UPLOAD_FAILED');
/** The realtime trigger subscription failed. */
export const ComposioRealtimeError = define('ComposioRealtimeError', 'REALTIME_ERROR');
/** A user callback failed without a JavaScript error to rethrow. */
export const ComposioCallbackError = define('ComposioCallbackError', 'CALLBACK_ERROR');
/** A response could not be decoded. */
export const ComposioDecodeError = define('ComposioDecodeError', 'DECODE_ERROR');
/** A bug in this SDK (for example a caught Rust panic). */
export const ComposioInternalError = define('ComposioInternalError', 'INTERNAL_ERROR');

/**
 * A session update was rejected with HTTP 409: the configuration changed since it was read (a stale
 * `expectedConfigVersion`). `meta` has `sessionId`, `expectedConfigVersion` and, when a saved Session
 * config was being applied, `sessionConfigId`. Re-fetch the session with `composio.sessions.use()` and retry.
 */
export const ComposioSessionConfigConflictError = define('ComposioSessionConfigConflictError', 'SESSION_CONFIG_CONFLICT');

/** The API answered with an error status. */
export class APIError extends ComposioError {
  constructor(message: string, options: ComposioErrorOptions = {}, code = 'API_ERROR') {
    super(message, code, options);
  }
}
function apiClass(name: string, code: string): typeof APIError {
  const cls = {
    [name]: class extends APIError {
      constructor(message: string, options: ComposioErrorOptions = {}) {
        super(message, options, code);
      }
    },
  }[name];
  return cls as unknown as typeof APIError;
}
/** HTTP 400. */
export const BadRequestError = apiClass('BadRequestError', 'BAD_REQUEST');
/** HTTP 401. */
export const AuthenticationError = apiClass('AuthenticationError', 'AUTHENTICATION_FAILED');
/** HTTP 403. */
export const PermissionDeniedError = apiClass('PermissionDeniedError', 'PERMISSION_DENIED');
/** HTTP 404. */
export const NotFoundError = apiClass('NotFoundError', 'NOT_FOUND');
/** HTTP 409. */
export const ConflictError = apiClass('ConflictError', 'CONFLICT');
/** HTTP 422. */
export const UnprocessableEntityError = apiClass('UnprocessableEntityError', 'UNPROCESSABLE_ENTITY');
/** HTTP 429. */
export const RateLimitError = apiClass('RateLimitError', 'RATE_LIMITED');
/** HTTP 5xx. */
export const InternalServerError = apiClass('InternalServerError', 'SERVER_ERROR');
/** The request could not be completed at the network level. */
export const APIConnectionError = apiClass('APIConnectionError', 'NETWORK_ERROR');
/** The request timed out. */
export const APIConnectionTimeoutError = apiClass('APIConnectionTimeoutError', 'TIMEOUT');

// ---------------------------------------------------------------------------
// Errors thrown by user callbacks
// ---------------------------------------------------------------------------

const MAX_KEPT = 10_000;
const thrown = new Map<number, unknown>();
let nextId = 1;

/** Keeps an error a user callback threw and returns its id. */
export function rememberThrown(error: unknown): number {
  const id = nextId;
  nextId = nextId >= 0x7fffffff ? 1 : nextId + 1;
  if (thrown.size >= MAX_KEPT) {
    const oldest = thrown.keys().next();
    if (!oldest.done) thrown.delete(oldest.value);
  }
  thrown.set(id, error);
  return id;
}

interface ErrorRecord {
  code: string;
  message: string;
  status?: number;
  requestId?: string;
  suggestedFix?: string;
  callbackId?: number;
  details?: Record<string, unknown>;
}

function parseRecord(error: unknown): ErrorRecord | undefined {
  if (!(error instanceof Error)) return undefined;
  const i = error.message.indexOf(MARKER);
  if (i < 0) return undefined;
  try {
    return JSON.parse(error.message.slice(i + MARKER.length)) as ErrorRecord;
  } catch {
    return undefined;
  }
}

/** The class of an engine error code. */
function classFor(record: ErrorRecord): Ctor {
  const kind = typeof record.details?.kind === 'string' ? record.details.kind : undefined;
  switch (record.code) {
    case 'MISSING_API_KEY':
      return ComposioNoAPIKeyError;
    case 'INVALID_CONFIG':
    case 'VALIDATION_ERROR':
      return ValidationError;
    case 'TOOL_VERSION_REQUIRED':
      return ComposioToolVersionRequiredError;
    case 'CONNECTED_ACCOUNT_NOT_FOUND':
      return ComposioConnectedAccountNotFoundError;
    case 'MULTIPLE_CONNECTED_ACCOUNTS':
      return ComposioMultipleConnectedAccountsError;
    case 'CONNECTION_REQUEST_TIMEOUT':
      return ConnectionRequestTimeoutError;
    case 'CONNECTION_REQUEST_FAILED':
      return ConnectionRequestFailedError;
    case 'WEBHOOK_SIGNATURE_VERIFICATION_FAILED':
      return ComposioWebhookSignatureVerificationError;
    case 'WEBHOOK_PAYLOAD_INVALID':
      return ComposioWebhookPayloadError;
    case 'NOT_FOUND':
      if (record.status === undefined) {
        if (kind === 'tool' || kind === 'custom tool') return ComposioToolNotFoundError;
        if (kind === 'toolkit') return ComposioToolkitNotFoundError;
        if (kind === 'auth scheme' || kind === 'auth config') return ComposioAuthConfigNotFoundError;
        if (kind === 'connected account') return ComposioConnectedAccountNotFoundError;
        return ComposioError as unknown as Ctor;
      }
      return NotFoundError;
    case 'BAD_REQUEST':
      return BadRequestError;
    case 'AUTHENTICATION_FAILED':
      return AuthenticationError;
    case 'PERMISSION_DENIED':
      return PermissionDeniedError;
    case 'CONFLICT':
      return ConflictError;
    case 'SESSION_CONFIG_CONFLICT':
      return ComposioSessionConfigConflictError;
    case 'UNPROCESSABLE_ENTITY':
      return UnprocessableEntityError;
    case 'RATE_LIMITED':
      return RateLimitError;
    case 'SERVER_ERROR':
      return InternalServerError;
    case 'REQUEST_TIMEOUT':
    case 'API_ERROR':
      return APIError as unknown as Ctor;
    case 'NETWORK_ERROR':
      return APIConnectionError;
    case 'TIMEOUT':
      return APIConnectionTimeoutError;
    case 'DECODE_ERROR':
      return ComposioDecodeError;
    case 'CALLBACK_ERROR':
      return ComposioCallbackError;
    case 'FILE_ERROR':
      return ComposioFileUploadError;
    case 'REALTIME_ERROR':
      return ComposioRealtimeError;
    default:
      return ComposioInternalError;
  }
}

/**
 * Turns an error thrown by the native module into the SDK's error (or the
 * original error a user callback threw). Other errors are returned as they
 * are.
 */
export function fromNative(error: unknown): unknown {
  const record = parseRecord(error);
  if (record === undefined) return error;
  if (record.callbackId !== undefined && thrown.has(record.callbackId)) {
    const original = thrown.get(record.callbackId);
    thrown.delete(record.callbackId);
    return original;
  }
  const Cls = classFor(record);
  const options: ComposioErrorOptions = { coreCode: record.code };
  if (record.status !== undefined) options.status = record.status;
  if (record.requestId !== undefined) options.requestId = record.requestId;
  if (record.suggestedFix !== undefined) options.suggestedFix = record.suggestedFix;
  if (record.details !== undefined) options.meta = record.details;
  if (Cls === (ComposioError as unknown as Ctor)) {
    return new ComposioError(record.message, record.code, options);
  }
  return new Cls(record.message, options);
}

/** Awaits a native promise, converting its error. */
export async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    throw fromNative(e);
  }
}

/** Runs a synchronous native call, converting its error. */
export function callSync<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fromNative(e);
  }
}
