// The whole retry and recovery rule, in one place. Which attempts are repeated, how long to wait, and what
// a create or a refund whose answer was lost turns into. pipeline.ts runs the attempts and asks here.
import { ERROR_CODES } from "../generated/spec-constants.js";
import {
  ApiError,
  ConnectionError,
  InvalidResponseError,
  MultiSafepayError,
  OrderExistsError,
  OutcomeUnknownError,
  RequestAbortedError,
} from "./errors.js";
import { parseJson } from "./json.js";
import type { Operation, RetryClass } from "./operations.js";
import type { Incoming } from "./senders/sender.js";
import type { Order, OrderRequest } from "./types.js";

/**
 * How a request may be repeated: its operation's retry class, from the spec (`x-retry` on each operation,
 * in the generated operation table, with the reason in the operation's description):
 * - `read` (GETs): after any failure, and after 429 and 5xx answers.
 * - `create` (POST /orders): after a failure with no answer. MultiSafepay refuses a second order with the
 *   same `order_id` (1006), so a repeat can never make a second order; recoverCreatedOrder turns that 1006
 *   back into the order this call made.
 * - `money-moving` (refunds, cancellations): only when the request provably never left, because nothing
 *   stops MultiSafepay from acting on it twice.
 */
export type RepeatRule = RetryClass;

/** The rule an operation of the spec is sent under. */
export function repeatRule(operation: Pick<Operation, "retry">): RepeatRule {
  return operation.retry;
}

/** What one attempt ended with: an answer, or a typed failure and whether the request may have arrived. */
export type AttemptResult = { answer: Incoming } | { failure: MultiSafepayError; sent: boolean };

export function shouldRetry(rule: RepeatRule, result: AttemptResult, retriesLeft: number): boolean {
  if (retriesLeft <= 0) return false;
  if ("failure" in result) {
    if (result.failure instanceof RequestAbortedError || result.failure instanceof InvalidResponseError) return false;
    return !result.sent || rule !== "money-moving";
  }
  if (rule !== "read" || !retryableStatus(result.answer.status)) return false;
  const hinted = retryAfterMs(result.answer.headers.get("retry-after"));
  return hinted === null || hinted <= MAX_RETRY_AFTER_MS;
}

/**
 * A request that may have reached MultiSafepay and must not be repeated says so, rather than "connection
 * error" or "aborted": the refund may have happened although the caller stopped waiting.
 */
export function finalFailure(
  rule: RepeatRule,
  result: { failure: MultiSafepayError; sent: boolean },
): MultiSafepayError {
  const { failure } = result;
  const undecided =
    failure instanceof ConnectionError ||
    failure instanceof RequestAbortedError ||
    failure instanceof InvalidResponseError;
  if (rule === "money-moving" && result.sent && undecided) return new OutcomeUnknownError(failure);
  return failure;
}

/**
 * Reads the final answer of a request. For one that must not be repeated (a refund, a cancellation), only two
 * kinds of answer are definite: the one it expects, and MultiSafepay's refusal (below). Any other answer
 * proves nothing about what MultiSafepay did (a proxy's 502 page can come after MultiSafepay made the refund)
 * and rejects with OutcomeUnknownError, with `accepted` when the body said `success: true`: the caller must
 * check the order before trying again, never simply retry.
 */
export function readAnswer<T>(sent: { answer: Incoming; rule: RepeatRule }, read: (answer: Incoming) => T): T {
  if (sent.rule !== "money-moving") return read(sent.answer);
  try {
    return read(sent.answer);
  } catch (error) {
    if (!(error instanceof MultiSafepayError) || isRefusal(error)) throw error;
    throw new OutcomeUnknownError(error, { accepted: saidSuccess(sent.answer.body) });
  }
}

/**
 * MultiSafepay's definite "no": its error envelope with an `error_code` on a status under 500 (404 / 1034
 * "cannot refund", 1032 wrong key…), or any 401/403 (whoever refused the key did not act). A 5xx, even with
 * an envelope, is a server failing, possibly after it acted; an error status without MultiSafepay's
 * `error_code` may be anybody's.
 */
function isRefusal(error: MultiSafepayError): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 401 || error.status === 403) return true;
  return error.errorCode !== null && error.status < 500;
}

function saidSuccess(body: string): boolean {
  try {
    return (parseJson(body) as { success?: unknown } | null)?.success === true;
  } catch {
    return false;
  }
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer pause than this is not retried: the caller is better told at once. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The server's Retry-After when it gave one, else full-jitter backoff: random in [0, min(8 s, 0.5 s · 2^n)]. */
export function retryDelay(retry: number, result: AttemptResult, random: () => number): number {
  const hinted = "answer" in result ? retryAfterMs(result.answer.headers.get("retry-after")) : null;
  return hinted ?? Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry));
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

// --- A create whose answer was lost ----------------------------------------------------------------------

/**
 * How a create whose final attempt failed is settled, when an earlier attempt may have reached MultiSafepay
 * and made the order: `duplicate` when the retry heard "order id in use" (1006), `unknown` when it heard
 * anything else that is not the created order (a 502 page, a 500); null when no earlier attempt can have
 * made an order, and the error stands.
 */
export function lostCreate(error: unknown, earlierAttemptMayHaveArrived: boolean): "duplicate" | "unknown" | null {
  if (!earlierAttemptMayHaveArrived) return null;
  if (error instanceof ApiError && error.errorCode === ERROR_CODES.INVALID_ORDER_ID) return "duplicate";
  return error instanceof ApiError || error instanceof InvalidResponseError ? "unknown" : null;
}

/** The read-back failed. After a 1006 the order exists, most likely made by this call; otherwise nothing is known. */
export function unreadableOrder(
  request: OrderRequest,
  lost: "duplicate" | "unknown",
  cause: unknown,
  original: unknown,
): unknown {
  if (cause instanceof RequestAbortedError) return cause;
  if (lost === "unknown") return original;
  return new OrderExistsError(request.order_id, null, { cause });
}

/**
 * Decides, from the order MultiSafepay holds under this `order_id`, what a create whose answer was lost
 * resolves to. The order is this call's only if it is still `initialized` (nobody can have paid it: its
 * payment link never left this call) and everything MultiSafepay echoes back matches the request. Then it
 * is returned when it carries a payment link; without one (MultiSafepay's GET gives none for redirect
 * orders) the call rejects with OrderExistsError carrying it. Anything else is an older order: the 1006 stands.
 */
export function recoverCreatedOrder(
  request: OrderRequest,
  existing: Order,
  original: unknown,
): Order & { payment_url: string } {
  if (!isSameOrder(request, existing)) throw original;
  const paymentUrl = (existing as { payment_url?: unknown }).payment_url;
  if (typeof paymentUrl !== "string") throw new OrderExistsError(request.order_id, existing);
  return existing as Order & { payment_url: string };
}

function isSameOrder(request: OrderRequest, existing: Order): boolean {
  const gateway = existing.payment_details?.type ?? existing.payment_methods?.[0]?.type;
  return (
    existing.status === "initialized" &&
    String(existing.order_id) === String(request.order_id) &&
    Number(existing.amount) === request.amount && // tolerant: MultiSafepay sends numbers as strings in places
    existing.currency === request.currency &&
    (existing.description ?? undefined) === (request.description ?? undefined) &&
    (gateway == null || request.gateway === undefined || gateway === request.gateway) &&
    (["var1", "var2", "var3"] as const).every((v) => (existing[v] ?? null) === (request[v] ?? null))
  );
}
