// Webhook verification: the engine verifies and plans, JavaScript builds.
//
// `WebhookTape.verify` (the native fast path) checks the timestamp and
// signature over the raw text, parses the body into a build tape, detects
// the version and normalises (all of that in the Rust engine) and returns a
// small plan: the normalised event's strings and which parts of the body
// become `payload` and `originalPayload`. Here the body is built once from
// the tape (lib/tape.ts: exactly `JSON.parse`'s tree, faster) and the event
// from the plan and that one tree. A body the tape parse does not take is
// parsed with `JSON.parse`; one `JSON.parse` rejects goes to the engine's
// general path, which reports its own error for it. This file knows nothing
// about webhook versions or fields: it only interprets plans.

import * as native from '../native/native';
import { callSync, fromNative, ValidationError } from './errors';
import { buildFromTape, resetTape, tapeFor } from './tape';
import type { JsonObject } from './types';

/** A part of the parsed body (see `WebhookTape::verify` in src/webhooks.rs). */
type PlanPart = 'body' | { member: string } | { member_without: [string, string[]] } | { body_only: string[] };

interface WebhookPlan {
  version: string;
  event: JsonObject;
  fill: [string, PlanPart][];
}

/** What `triggers.verifyWebhook` returns. */
export interface VerifiedWebhook {
  version: string;
  payload: JsonObject;
  rawPayload: unknown;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** `out[k] = v` as an own data property, even for `__proto__`. */
function put(out: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  else out[k] = v;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function member(body: unknown, key: string): unknown {
  return isObject(body) && hasOwn(body, key) ? body[key] : null;
}

function selectPart(body: unknown, part: PlanPart): unknown {
  if (part === 'body') return body;
  if ('member' in part) return member(body, part.member);
  if ('member_without' in part) {
    const [key, omit] = part.member_without;
    const from = member(body, key);
    if (!isObject(from)) return null;
    const out: JsonObject = {};
    for (const k of Object.keys(from)) if (!omit.includes(k)) put(out, k, from[k]);
    return out;
  }
  const out: JsonObject = {};
  if (isObject(body)) for (const k of part.body_only) if (hasOwn(body, k)) put(out, k, body[k]);
  return out;
}

/** Fills a JSON-text plan from the parsed body. */
export function applyWebhookPlan(planText: string, raw: unknown): VerifiedWebhook {
  const plan = JSON.parse(planText) as WebhookPlan;
  for (const [key, part] of plan.fill) put(plan.event, key, selectPart(raw, part));
  return { version: plan.version, payload: plan.event, rawPayload: raw };
}

// The last `m` part's code and its key (see `memberKey`).
let lastMemberCode = '';
let lastMemberKey = '';

/** The key of an `m` part; the last one is kept, as a key V8 has already looked up is faster. */
function memberKey(code: string): string {
  if (code !== lastMemberCode) {
    lastMemberCode = code;
    lastMemberKey = code.slice(1);
  }
  return lastMemberKey;
}

/** A part in `WebhookTape.verify`'s encoding (see src/webhooks.rs). */
function selectCoded(body: unknown, code: string): unknown {
  const kind = code.charCodeAt(0);
  if (kind === 109 /* m */) return member(body, memberKey(code));
  if (kind === 98 /* b */) return body;
  const names = code.slice(1).split('\x01');
  if (kind === 119 /* w */) return selectPart(body, { member_without: [names[0], names.slice(1)] });
  return selectPart(body, { body_only: names });
}

/**
 * Fills a `WebhookTape.verify` plan (fields joined by NUL: version, the
 * event's ten distinct strings in `PLAN_FIELDS` order, the payload part, the
 * original-payload part or `""`) from the body, parsed here once. The object
 * shapes and key order are `IncomingTriggerPayload`'s, as the engine's
 * `to_ts_json` writes them.
 */
export function applyWebhookFields(text: string, raw: unknown): VerifiedWebhook {
  // `indexOf` + `slice` (optimised inline) rather than `split` (a runtime call).
  let at = 0;
  const next = (): string => {
    const end = text.indexOf('\0', at);
    const s = end < 0 ? text.slice(at) : text.slice(at, end);
    at = end < 0 ? text.length : end + 1;
    return s;
  };
  const version = next();
  const id = next();
  const uuid = next();
  const triggerSlug = next();
  const toolkitSlug = next();
  const userId = next();
  const metadataId = next();
  const accountId = next();
  const accountUuid = next();
  const authConfigId = next();
  const status = next();
  const payloadPart = next();
  const originalPart = next();
  const connectedAccount = { id: accountId, uuid: accountUuid, authConfigId, authConfigUUID: authConfigId, userId, status };
  const metadata = { id: metadataId, uuid, toolkitSlug, triggerSlug, triggerConfig: {}, connectedAccount };
  const payload = selectCoded(raw, payloadPart);
  const event: JsonObject =
    originalPart === ''
      ? { id, uuid, triggerSlug, toolkitSlug, userId, payload, metadata }
      : { id, uuid, triggerSlug, toolkitSlug, userId, payload, originalPayload: selectCoded(raw, originalPart), metadata };
  return { version, payload: event, rawPayload: raw };
}

/** Whether every own key of `params` is a known parameter. */
function knownKeys(params: object): boolean {
  for (const k in params) {
    switch (k) {
      case 'id':
      case 'payload':
      case 'secret':
      case 'signature':
      case 'timestamp':
      case 'tolerance':
      case 'now':
        break;
      default:
        if (hasOwn(params, k)) return false;
    }
  }
  return true;
}

/** The general path: the engine reads the params object and reports any problem. */
function verifyGeneral(params: { [k: string]: unknown }): VerifiedWebhook {
  const { now: clock, ...rest } = params;
  const out = callSync(() => native.verifyWebhook(rest, clock as number | undefined)) as JsonObject;
  return { version: out.version as string, payload: out.payload as JsonObject, rawPayload: out.rawPayload };
}

/**
 * `triggers.verifyWebhook`. Well-formed params (five strings, a finite
 * `tolerance` if any, a numeric `now` if any, nothing else) take the fast
 * path; anything else goes through the engine's general entry point, which
 * reports the problem.
 */
export function verifyWebhook(params: { [k: string]: unknown }): VerifiedWebhook {
  if (params === null || typeof params !== 'object') throw new ValidationError('verifyWebhook needs a params object');
  const { id, payload, secret, signature, timestamp, tolerance, now } = params;
  if (
    typeof id === 'string' &&
    typeof payload === 'string' &&
    typeof secret === 'string' &&
    typeof signature === 'string' &&
    typeof timestamp === 'string' &&
    (tolerance === undefined || (typeof tolerance === 'number' && Number.isFinite(tolerance))) &&
    (now === undefined || (typeof now === 'number' && Number.isSafeInteger(now))) &&
    knownKeys(params)
  ) {
    // The engine checks the signature and parses the body into a tape, or
    // only skims it (then `JSON.parse` validates it, and a body it rejects
    // goes down the general path, whose full parse reports the engine's own
    // error for it).
    const [context, tape] = tapeFor(payload.length);
    let plan: string;
    try {
      plan = context.verify(id, payload, secret, signature, timestamp, tolerance, now, tape);
    } catch (e) {
      throw fromNative(e);
    }
    let raw: unknown;
    if (tape[0] > 0) {
      // The engine validated the body and wrote its tape.
      try {
        raw = buildFromTape(payload, tape);
      } catch {
        resetTape();
        raw = JSON.parse(payload);
      }
    } else {
      try {
        raw = JSON.parse(payload);
      } catch {
        return verifyGeneral(params);
      }
    }
    return plan.charCodeAt(0) === 123 /* { */ ? applyWebhookPlan(plan, raw) : applyWebhookFields(plan, raw);
  }
  return verifyGeneral(params);
}
