// The transport beneath openapi-fetch: timeouts, caller aborts and retries. Retries live here rather than
// in middleware because a Request body can be read only once; here the body is read once, as a string, and
// each attempt sends it afresh.
import { ConnectionError, RequestAbortedError, TimeoutError } from "./errors.js";

export type FetchLike = (input: Request) => Promise<Response>;

/** A request as the transport sends it: the parts, not a Request object (which costs a body stream each). */
export interface Outgoing {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** An answer, read in full. `headers.get` is all the client needs; Headers are built only for `msp.api`. */
export interface Incoming {
  status: number;
  statusText: string;
  headers: Headers | { get(name: string): string | null; toHeaders(): Headers };
  body: string;
}

/**
 * Cancels one attempt (its timeout, or the caller's signal). Plain callbacks rather than an AbortController,
 * which costs a few µs a call; only the fetch path, which needs a real signal, makes one.
 */
export class Cancellation {
  private readonly listeners: (() => void)[] = [];
  cancelled = false;

  onCancel(listener: () => void): void {
    this.listeners.push(listener);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of this.listeners) listener();
  }
}

/** Sends one attempt; `cancellation` stops it. Rejects when no complete answer came. */
export type Sender = (outgoing: Outgoing, cancellation: Cancellation) => Promise<Incoming>;

/** A Sender over any fetch (the global one, or the `fetch` option). */
export function fetchSender(fetch: FetchLike): Sender {
  return async (outgoing, cancellation) => {
    const controller = new AbortController();
    cancellation.onCancel(() => controller.abort());
    const response = await fetch(new Request(outgoing.url, { method: outgoing.method, headers: outgoing.headers, body: outgoing.body, signal: controller.signal }));
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: await response.text() };
  };
}

/**
 * The cheap Request that the client's own openapi-fetch instance builds (its documented `Request` option):
 * it keeps the parts as given, so no body stream is made and read back on every call.
 */
export class LightRequest implements Outgoing {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | null;

  constructor(url: string, init: { method?: string; headers?: Headers; body?: string; signal?: AbortSignal | null }) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers ?? new Headers();
    this.body = init.body;
    this.signal = init.signal ?? null;
  }
}

/** The answer handed back to openapi-fetch when the client reads the body from the CallRecord itself. */
class BodylessResponse {
  readonly body = null;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Incoming["headers"];

  constructor(incoming: Incoming) {
    this.status = incoming.status;
    this.statusText = incoming.statusText;
    this.ok = incoming.status >= 200 && incoming.status < 300;
    this.headers = incoming.headers;
  }

  async text(): Promise<string> {
    return "";
  }
}

export interface TransportOptions {
  send: Sender;
  timeoutMs: number;
  maxRetries: number;
  /** Waits between attempts; tests replace it to run without real delays. */
  sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>;
  random?: () => number;
}

/**
 * What one call's transport saw: how many attempts it made (so the client recognises a retried create) and
 * the final answer's body, so the client parses it once and exactly (big ids), without a Response body.
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

  return async function transport(request: Request | LightRequest): Promise<Response> {
    const outgoing = request instanceof LightRequest ? request : await readOutgoing(request);
    const signal = request.signal;
    const idempotent = outgoing.method === "GET" || outgoing.method === "HEAD";
    for (let attempt = 0; ; attempt++) {
      if (record) record.attempts = attempt + 1;
      const retriesLeft = attempt < options.maxRetries;
      let incoming: Incoming;
      try {
        incoming = await attemptOnce(options.send, outgoing, signal, options.timeoutMs);
      } catch (error) {
        if (error instanceof RequestAbortedError || !retriesLeft) throw error;
        await sleep(backoff(attempt, random), signal);
        continue;
      }
      const hinted = retryAfterMs(incoming.headers.get("retry-after"));
      const final = !idempotent || !retriesLeft || !retryableStatus(incoming.status) || (hinted !== null && hinted > MAX_RETRY_AFTER_MS);
      if (final) {
        if (!record) return toResponse(incoming);
        record.body = incoming.body;
        return new BodylessResponse(incoming) as unknown as Response;
      }
      await sleep(hinted ?? backoff(attempt, random), signal);
    }
  };
}

async function readOutgoing(request: Request): Promise<Outgoing> {
  return { url: request.url, method: request.method, headers: request.headers, body: request.body ? await request.text() : undefined };
}

function toResponse(incoming: Incoming): Response {
  const headers = incoming.headers instanceof Headers ? incoming.headers : incoming.headers.toHeaders();
  const empty = incoming.status === 204 || incoming.status === 205 || incoming.status === 304;
  return new Response(empty ? null : incoming.body, { status: incoming.status, statusText: incoming.statusText, headers });
}

/** One attempt, under its own timeout (which covers reading the whole answer) and the caller's signal. */
async function attemptOnce(send: Sender, outgoing: Outgoing, callerSignal: AbortSignal | null, timeoutMs: number): Promise<Incoming> {
  if (callerSignal?.aborted) throw new RequestAbortedError({ cause: callerSignal.reason });
  const cancellation = new Cancellation();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    cancellation.cancel();
  }, timeoutMs);
  const onCallerAbort = () => cancellation.cancel();
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  // Settles the attempt on cancellation even when a custom fetch ignores its signal and never answers.
  const whenCancelled = new Promise<never>((_, reject) => cancellation.onCancel(() => reject(new Error("cancelled"))));
  try {
    return await Promise.race([send(outgoing, cancellation), whenCancelled]);
  } catch (cause) {
    if (callerSignal?.aborted) throw new RequestAbortedError({ cause: callerSignal.reason });
    if (timedOut) throw new TimeoutError(timeoutMs);
    throw new ConnectionError(undefined, { cause });
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
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
