// The fetch that openapi-fetch calls: timeouts, caller aborts and retries live here, beneath openapi-fetch,
// because a request body can be read only once (each attempt sends a clone).
import { ConnectionError, RequestAbortedError, TimeoutError } from "./errors.js";

export type FetchLike = (input: Request) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxRetries: number;
  /** Waits between attempts; tests replace it to run without real delays. */
  sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>;
  random?: () => number;
}

/**
 * What one call's transport saw: how many attempts it made (so the client recognises a retried create) and
 * the final answer's body, already read in full, so the client parses it once and exactly (big ids).
 */
export interface CallRecord {
  attempts: number;
  body?: string;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer pause than this is not retried: the caller is better told at once. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * GET is retried on connection failures, timeouts, 429 and 5xx. Anything else (POST /orders) is retried
 * only when no answer came back at all; MultiSafepay's unique `order_id` makes that safe, and the client
 * turns a retried create's "order id in use" (1006) into the order that the first attempt created.
 */
export function createTransport(options: TransportOptions, record?: CallRecord): FetchLike {
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;

  return async function transport(request: Request): Promise<Response> {
    const idempotent = request.method === "GET" || request.method === "HEAD";
    for (let attempt = 0; ; attempt++) {
      if (record) record.attempts = attempt + 1;
      const retriesLeft = attempt < options.maxRetries;
      let response: Response;
      let body: ArrayBuffer;
      try {
        ({ response, body } = await attemptOnce(options.fetch, request, options.timeoutMs));
      } catch (error) {
        if (error instanceof RequestAbortedError || !retriesLeft) throw error;
        await sleep(backoff(attempt, random), request.signal);
        continue;
      }
      const hinted = retryAfterMs(response.headers.get("retry-after"));
      const final = !idempotent || !retriesLeft || !retryableStatus(response.status) || (hinted !== null && hinted > MAX_RETRY_AFTER_MS);
      if (final) {
        if (record) record.body = new TextDecoder().decode(body);
        return response;
      }
      await sleep(hinted ?? backoff(attempt, random), request.signal);
    }
  };
}

/**
 * One attempt, under its own timeout, with the whole body read before returning: a body cut short is a
 * connection failure (retryable), not a truncated answer for the caller to misread.
 */
async function attemptOnce(fetch: FetchLike, request: Request, timeoutMs: number): Promise<{ response: Response; body: ArrayBuffer }> {
  const callerSignal = request.signal;
  if (callerSignal.aborted) throw new RequestAbortedError({ cause: callerSignal.reason });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = () => controller.abort();
  callerSignal.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const response = await fetch(new Request(request.clone(), { signal: controller.signal }));
    const body = await response.arrayBuffer();
    const buffered = new Response(nullBodyStatus(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    return { response: buffered, body };
  } catch (cause) {
    if (callerSignal.aborted) throw new RequestAbortedError({ cause: callerSignal.reason });
    if (timedOut) throw new TimeoutError(timeoutMs);
    throw new ConnectionError(undefined, { cause });
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener("abort", onCallerAbort);
  }
}

function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Full-jitter exponential backoff: a random wait in [0, min(8 s, 0.5 s · 2^attempt)]. */
function backoff(attempt: number, random: () => number): number {
  return Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function abortableSleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RequestAbortedError({ cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RequestAbortedError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
