// Webhook verification: the engine verifies and plans, JavaScript parses.
//
// `native.verifyWebhookPlan` checks the timestamp and signature over the raw
// text, validates the body exactly as a full parse would, detects the
// version and normalises (all of that in the Rust engine) and returns a
// small plan: the normalised event with `null` where parts of the body go,
// and which parts go there. Here the body is parsed once with `JSON.parse`
// and the plan is filled from that one tree. This file knows nothing about
// webhook versions or fields: it only interprets plans.

import * as native from '../native/native';
import { callSync, ValidationError } from './errors';
import type { JsonObject } from './types';

/** A part of the parsed body (see `verify_webhook_plan` in src/webhooks.rs). */
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

/** Fills a plan from the body (parsed here, once). */
export function applyWebhookPlan(planText: string, body: string): VerifiedWebhook {
  const plan = JSON.parse(planText) as WebhookPlan;
  const raw: unknown = JSON.parse(body);
  for (const [key, part] of plan.fill) put(plan.event, key, selectPart(raw, part));
  return { version: plan.version, payload: plan.event, rawPayload: raw };
}

const PARAM_KEYS = new Set(['id', 'payload', 'secret', 'signature', 'timestamp', 'tolerance', 'now']);

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
    Object.keys(params).every((k) => PARAM_KEYS.has(k))
  ) {
    const plan = callSync(() => native.verifyWebhookPlan(id, payload, secret, signature, timestamp, tolerance, now));
    return applyWebhookPlan(plan, payload);
  }
  const { now: clock, ...rest } = params;
  const out = callSync(() => native.verifyWebhook(rest, clock as number | undefined)) as JsonObject;
  return { version: out.version as string, payload: out.payload as JsonObject, rawPayload: out.rawPayload };
}
