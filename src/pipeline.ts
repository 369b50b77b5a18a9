// Every request to MultiSafepay goes through here, one way. `call` (the resource methods) takes an operation of
// the spec's table (src/operations.ts) by id, or as a method and path template typed by `paths`, builds its
// request with openapi-fetch's URL helpers (safePathSerializer on every path) and sends it under that
// operation's retry class; `send` takes a request openapi-fetch already built (`msp.api`, src/api-fetch.ts).
// Sending is attempts through the Sender, each under its own timeout and the caller's signal, with retry.ts
// deciding whether to try again and how long to pause. It resolves with the final answer, unread, and whether
// an earlier attempt may have reached MultiSafepay; the caller reads the envelope (envelope.ts, retry.ts
// readAnswer). A failure rejects with a typed error. close() starts nothing new, lets the calls in flight
// finish and releases the sender's sockets. With anyone listening (msp.on, logging, OpenTelemetry) each attempt
// is told to src/events.ts: its request, its response (the final one once the caller has read the answer,
// so its outcome is the call's own) and each retry.
import { answering, namingHost } from "./advice.js";
import { readEnvelope } from "./envelope.js";
import type { Events } from "./events.js";
import {
  ApiError,
  ConnectionError,
  MultiSafepayError,
  RequestAbortedError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "./url.js";
import {
  finalFailure,
  readAnswer,
  repeatRule,
  retryDelay,
  shouldRetry,
  type AttemptResult,
  type RepeatRule,
} from "./retry.js";
import { Cancellation, SendFailure, type Incoming, type Outgoing, type Sender } from "./senders/sender.js";
import { CONTROL, CONTROL_MESSAGE, LONE_MESSAGE, checkedHeaders, loneSurrogateAt } from "./validation.js";
import { OPERATIONS, operationOf, type CallInput, type Operation, type OperationId } from "./operations.js";

export interface PipelineConfig {
  baseUrl: string;
  apiKey: string;
  sender: Sender;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  /** Waits between attempts; tests replace it to run without real delays. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random?: () => number;
  /** Where attempts are told (msp.on, logging); nothing is made for them while nobody listens. */
  events?: Events;
  /** Sent on every request (client.ts: the package, its version, the runtime, the caller's appInfo). */
  userAgent?: string;
  /** Makes a text key-free (redact.ts): the URL in events goes through it. */
  redact?: (text: string) => string;
}

export interface RequestOptions {
  /** Aborts the call (every attempt, and the waits between them). */
  signal?: AbortSignal;
  /** Per attempt, in milliseconds, including reading the whole answer. */
  timeoutMs?: number;
  /** Retries after the first attempt, where the retry rule allows one (see the README). */
  maxRetries?: number;
  /**
   * Sends body fields this package's spec does not know (yet) instead of refusing them. MultiSafepay ignores
   * names it does not know, so use it for a field MultiSafepay documents that the spec lacks, not for typos.
   * Every other check still applies.
   */
  allowUnknownFields?: boolean;
  /**
   * Headers added to this call's requests (a trace id, an idempotency note for your proxy). The headers the
   * client controls (api_key, accept, content-type, content-length, host, connection, transfer-encoding,
   * user-agent) cannot be set: a ValidationError names the one given. Name your app with `appInfo` instead.
   */
  headers?: Record<string, string>;
}

/**
 * A request in the spec's terms, typed by `paths` as openapi-fetch types its paths: a method and path template
 * of one operation (anything else does not compile), its parameters and body. The resources name operations
 * by id instead (`pipeline.call("refundOrder", { path: { order_id }, body })`), which types the body too.
 */
export type Call = {
  [Id in OperationId]: {
    method: (typeof OPERATIONS)[Id]["method"];
    path: (typeof OPERATIONS)[Id]["path"];
    params?: { path?: CallInput<Id>["path"]; query?: CallInput<Id>["query"] };
    body?: unknown;
  };
}[OperationId];

/**
 * The final answer, whether an earlier attempt may have reached MultiSafepay (create recovery needs it), and
 * the rule it was sent under (retry.ts's readAnswer needs it).
 */
export interface Sent {
  answer: Incoming;
  earlierAttemptMayHaveArrived: boolean;
  rule: RepeatRule;
  /** Made by the client, the same for every attempt of the call. */
  requestId: string;
  /**
   * Reads the answer (under retry.ts's readAnswer, so a money-moving call's unclear answer is outcome_unknown)
   * and tells the call's final response event with the outcome: `ok`, or the code of what `read` threw.
   */
  read<T>(read: (answer: Incoming) => T, options?: { holdFailure?: boolean }): Answered<T>;
  /**
   * Tells the final response event, held by `read(…, { holdFailure: true })` when reading failed: with what
   * the call ended with after all (undefined: ok), e.g. a create whose lost answer was recovered.
   */
  settle(error: unknown): void;
}

/** A successful call's data, with its answer's status and headers (`.withResponse()`). */
export interface Answered<T> {
  data: T;
  response: { status: number; headers: Incoming["headers"] };
  requestId: string;
}

/** The headers the client sets and a caller's `headers` may not replace (compared without case). */
const CONTROLLED = new Set([
  "api_key",
  "accept",
  "content-type",
  "content-length",
  "host",
  "connection",
  "transfer-encoding",
  "user-agent",
]);

/** Whether the client sets this header itself (and a caller may not). */
export const clientControlled = (name: string): boolean => CONTROLLED.has(name.toLowerCase());

/** A ValidationError naming each header (by its place under `field`) that the client controls. */
export function checkedCallHeaders(headers: unknown, field = "headers"): void {
  if (headers === undefined) return;
  if (typeof headers !== "object" || headers === null)
    throw new ValidationError(
      [{ path: `/${field}`, message: "must be an object of header names and values" }],
      "headers",
    );
  checkedHeaders(headers, field);
  const names =
    headers instanceof Headers
      ? [...headers.keys()]
      : Array.isArray(headers)
        ? headers.map((pair) => String((pair as unknown[])[0]))
        : Object.keys(headers);
  const issues = names.filter(clientControlled).map((name) => ({
    path: `/${field}/${name}`,
    message:
      name.toLowerCase() === "api_key"
        ? "is set by the client from its apiKey and cannot be overridden per call"
        : name.toLowerCase() === "user-agent"
          ? "is set by the client: name your app with createMultiSafepay({ appInfo: { name, version } })"
          : "is set by the client and cannot be overridden",
  }));
  if (issues.length) throw new ValidationError(issues, "headers");
}

let sequence = 0;
let processPart: string | undefined;
/**
 * Unique per process: a random part and a counter. The random part is drawn once, at the first call, and the
 * counter makes every id of the process its own: a randomUUID per call was 4 % of an in-process create (node
 * --cpu-prof). It comes from Math.random, not Web Crypto: the id only tells calls apart in events and logs and is
 * never sent, and the first read of globalThis.crypto makes Node 20 load its Web Crypto, 2.5–4 ms of a cold start.
 */
function newRequestId(): string {
  processPart ??= `${randomHex(8)}-${randomHex(4)}`;
  return `req_${processPart}${(++sequence).toString(36)}`;
}

const randomHex = (digits: number): string =>
  Math.floor(Math.random() * 16 ** digits)
    .toString(16)
    .padStart(digits, "0");

const now = (): number => (typeof performance === "undefined" ? Date.now() : performance.now());

/** What an answer amounts to as MultiSafepay's envelope, for an attempt that is repeated (so never read). */
function envelopeError(answer: Incoming): unknown {
  try {
    readEnvelope(answer);
  } catch (error) {
    return error;
  }
}

const querySerializer = createQuerySerializer();

/**
 * openapi-fetch's path serializer, refusing the path values that URL parsing would turn into another path
 * ("." and ".."), those with a lone surrogate (which encodeURIComponent cannot encode) and those with a control
 * character: every request, `msp.api`'s included, is built with it.
 */
export function safePathSerializer(pathname: string, params: Record<string, unknown>): string {
  for (const [name, value] of Object.entries(params)) {
    if (value === "." || value === "..")
      throw new ValidationError([{ path: `/${name}`, message: 'must not be "." or ".."' }], "path parameter");
    const bad = loneSurrogateAt(value);
    if (bad !== undefined)
      throw new ValidationError([{ path: `/${name}${bad}`, message: LONE_MESSAGE }], "path parameter");
    if (typeof value === "string" && CONTROL.test(value))
      throw new ValidationError([{ path: `/${name}`, message: CONTROL_MESSAGE }], "path parameter");
  }
  return defaultPathSerializer(pathname, params);
}

export function createPipeline(config: PipelineConfig) {
  const sleep = config.sleep ?? abortableSleep;
  const random = config.random ?? Math.random;
  const headers: Record<string, string> = {
    api_key: config.apiKey,
    accept: "application/json",
    ...(config.userAgent ? { "user-agent": config.userAgent } : {}),
  };
  const withBody: Record<string, string> = { ...headers, "content-type": "application/json" };
  let closed = false;
  // Cut short when the client is closed: the pauses between attempts under way.
  const pauses = new Set<AbortController>();
  const inFlight = new Set<Promise<unknown>>();
  const watch = signalWatcher();

  /** The request of one operation of the spec: its method and path template (from the table), parameters and body. */
  // An operation without path or query parameters (a create) has one URL per client: built once (2.6 % of a
  // loopback create in a profile).
  const plainUrls = new Map<Operation, string>();
  function build(
    operation: Operation,
    input: { path?: object; query?: object; body?: unknown; bodyText?: string },
  ): Outgoing {
    const plain = !input.path && !input.query;
    let url = plain ? plainUrls.get(operation) : undefined;
    if (url === undefined) {
      const params = {
        ...(input.path ? { path: input.path as Record<string, unknown> } : {}),
        ...(input.query ? { query: input.query as Record<string, unknown> } : {}),
      };
      url = createFinalURL(operation.path, {
        baseUrl: config.baseUrl,
        params,
        querySerializer,
        pathSerializer: safePathSerializer,
      });
      if (plain) plainUrls.set(operation, url);
    }
    if (input.body === undefined) return { method: operation.method, url, headers };
    return { method: operation.method, url, headers: withBody, body: input.bodyText ?? JSON.stringify(input.body) };
  }

  /** Builds and sends a call of the spec, by operation id (typed from the spec) or as a method and template. */
  // `bodyText`: the body's JSON text when the caller has it already (a resource's wire copy, validation.ts
  // wireJson), sent as it is; `body` is that text parsed.
  function call<Id extends OperationId>(
    id: Id,
    input: CallInput<Id> & { bodyText?: string },
    options?: RequestOptions,
  ): Promise<Sent>;
  function call(call: Call, options?: RequestOptions): Promise<Sent>;
  function call(first: OperationId | Call, second?: object, third?: RequestOptions): Promise<Sent> {
    let operation: Operation | undefined;
    let input: { path?: object; query?: object; body?: unknown; bodyText?: string };
    let options: RequestOptions | undefined;
    if (typeof first === "string") {
      operation = OPERATIONS[first];
      input = (second ?? {}) as typeof input;
      options = third;
    } else {
      operation = operationOf(first.method, first.path);
      input = { ...first.params, body: first.body };
      options = second as RequestOptions | undefined;
    }
    if (!operation)
      return Promise.reject(new ValidationError([{ path: "", message: "is not an operation of the spec" }], "request"));
    let outgoing: Outgoing;
    try {
      outgoing = build(operation, input);
    } catch (error) {
      return Promise.reject(error);
    }
    return send(outgoing, operation, options);
  }

  /** Sends under the operation's retry rule; resolves with the final answer, or rejects typed. */
  function send(outgoing: Outgoing, operation: Operation, options: RequestOptions = {}): Promise<Sent> {
    if (closed) return Promise.reject(closedError());
    if (options.headers !== undefined) {
      let own: Record<string, string>;
      try {
        checkedCallHeaders(options.headers);
        // A Headers instance or a list of pairs (as msp.api's init takes them) as names and values: spread, a
        // Headers has none and a list has "0", "1".
        own =
          options.headers instanceof Headers || Array.isArray(options.headers)
            ? Object.fromEntries(new Headers(options.headers as HeadersInit))
            : options.headers;
      } catch (error) {
        return Promise.reject(
          error instanceof ValidationError
            ? error
            : new ValidationError([{ path: "/headers", message: "must be header names and values" }], "headers"),
        );
      }
      outgoing = { ...outgoing, headers: { ...own, ...outgoing.headers } };
    }
    const call = attempts(outgoing, operation, options);
    inFlight.add(call);
    const forget = () => inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  async function attempts(outgoing: Outgoing, operation: Operation, options: RequestOptions): Promise<Sent> {
    const rule = repeatRule(operation);
    const maxRetries = options.maxRetries ?? config.maxRetries;
    const timeoutMs = options.timeoutMs ?? config.timeoutMs;
    const requestId = newRequestId();
    const events = config.events?.active ? config.events : undefined;
    const base = events && {
      requestId,
      operationId: operation.id,
      method: operation.method,
      path: operation.path,
      url: config.redact ? config.redact(outgoing.url) : outgoing.url,
      movesMoney: rule === "money-moving",
    };
    let mayHaveArrived = false;
    let started = 0;
    // One response event; `error` is what the attempt, or reading its answer, ended with (none: "ok").
    const respond = (attempt: number, answer: Incoming | undefined, error: unknown, final: boolean) => {
      if (!events) return;
      let errorCode: number | null = null;
      // outcome_unknown keeps the ApiError it came from as its cause.
      for (let e = error, depth = 0; e && depth < 3; e = (e as Error).cause, depth++)
        if (e instanceof ApiError) {
          errorCode = e.errorCode;
          break;
        }
      const status = answer ? answer.status : (error as { status?: unknown }).status;
      events.emit(
        "response",
        {
          ...base!,
          attempt,
          status: typeof status === "number" ? status : null,
          durationMs: now() - started,
          errorCode,
          outcome: error === undefined ? "ok" : error instanceof MultiSafepayError ? error.code : "connection_error",
          final,
        },
        answer,
      );
    };
    const failed = (attempt: number, result: { failure: MultiSafepayError; sent: boolean }): MultiSafepayError => {
      const failure = finalFailure(rule, result);
      respond(attempt, undefined, failure, true);
      return failure;
    };
    const sent = (attempt: number, answer: Incoming): Sent => {
      let told = !events;
      const settle = (error: unknown) => {
        if (!told) respond(attempt, answer, error, true);
        told = true;
      };
      return {
        answer,
        earlierAttemptMayHaveArrived: mayHaveArrived,
        rule,
        requestId,
        read(read, options) {
          let data: ReturnType<typeof read>;
          try {
            data = readAnswer({ answer, rule }, read);
          } catch (error) {
            if (!options?.holdFailure) settle(error);
            throw error;
          }
          settle(undefined);
          return { data, response: { status: answer.status, headers: answer.headers }, requestId };
        },
        settle,
      };
    };
    for (let attempt = 0; ; attempt++) {
      if (events) {
        started = now();
        events.emit("request", { ...base!, attempt: attempt + 1 }, outgoing);
      }
      const result = await attemptOnce(outgoing, timeoutMs, options.signal);
      // A closed client finishes the attempt under way but starts no other.
      if (closed || !shouldRetry(rule, result, maxRetries - attempt)) {
        if ("failure" in result) throw failed(attempt + 1, result);
        return sent(attempt + 1, result.answer);
      }
      mayHaveArrived ||= "failure" in result ? result.sent : true;
      const delayMs = retryDelay(attempt, result, random);
      if (events) {
        const answer = "answer" in result ? result.answer : undefined;
        respond(attempt + 1, answer, answer ? envelopeError(answer) : (result as { failure: unknown }).failure, false);
        const reason = answer ? `status ${answer.status}` : (result as { failure: MultiSafepayError }).failure.code;
        events.emit("retry", { ...base!, attempt: attempt + 1, reason, delayMs });
      }
      try {
        await pause(delayMs, options.signal);
      } catch (error) {
        if (!closed) {
          // Aborted while pausing: the call ends here, and says so.
          respond(attempt + 1, undefined, error, true);
          throw error;
        }
      }
      // Closed while pausing: the last attempt's outcome is the call's.
      if (closed) {
        if ("failure" in result) throw failed(attempt + 1, result);
        return sent(attempt + 1, result.answer);
      }
    }
  }

  /**
   * One pause between attempts, on a signal of its own that the caller's signal and close() abort. Not
   * AbortSignal.any over a shared signal: every sleeping call would add a listener to it, and past 10 Node
   * prints a MaxListenersExceededWarning ("memory leak") into the merchant's logs.
   */
  async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const controller = new AbortController();
    pauses.add(controller);
    const unwatch = signal ? watch(signal, () => controller.abort(signal.reason)) : undefined;
    try {
      await sleep(ms, controller.signal);
    } finally {
      unwatch?.();
      pauses.delete(controller);
    }
  }

  /** One attempt under its own timeout (which covers reading the whole answer) and the caller's signal. */
  async function attemptOnce(
    outgoing: Outgoing,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptResult> {
    if (signal?.aborted) return { failure: new RequestAbortedError({ cause: signal.reason }), sent: false };
    const cancellation = new Cancellation();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancellation.cancel();
    }, timeoutMs);
    const unwatch = signal ? watch(signal, () => cancellation.cancel()) : undefined;
    try {
      // Settles on cancellation even when a custom fetch ignores its signal and never answers (one promise
      // rather than Promise.race, which costs ~9 µs a call: npm run bench).
      const answer = await new Promise<Incoming>((resolve, reject) => {
        cancellation.onCancel(() => reject(new SendFailure(cancellation.dispatched, "cancelled")));
        config.sender.send(outgoing, { cancellation, maxResponseBytes: config.maxResponseBytes }).then(resolve, reject);
      });
      return { answer: answering(answer, outgoing, config.baseUrl) };
    } catch (error) {
      const sent = !(error instanceof SendFailure) || error.sent;
      return { failure: namingHost(typedFailure(error, signal, timedOut, timeoutMs), outgoing.url), sent };
    } finally {
      clearTimeout(timer);
      unwatch?.();
    }
  }

  return {
    send,
    /** Builds and sends a call of the spec under its operation's retry class (retry.ts). */
    call,
    /** Starts no new call or retry, lets the calls in flight finish, then releases the sender's sockets. */
    async close() {
      closed = true;
      for (const controller of pauses) controller.abort();
      await Promise.allSettled(inFlight);
      await config.sender.close();
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;

const closedError = (): ConnectionError =>
  new ConnectionError("This client was closed (msp.close()); create a new one");

function typedFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
): MultiSafepayError {
  if (signal?.aborted) return new RequestAbortedError({ cause: signal.reason });
  if (timedOut) return new TimeoutError(timeoutMs);
  if (error instanceof SendFailure) return new ConnectionError(undefined, { cause: error.cause ?? error });
  if (error instanceof MultiSafepayError) return error;
  return new ConnectionError(undefined, { cause: error });
}

/**
 * Calls back when a signal aborts, with one listener per signal however many calls wait on it (a caller may
 * pass one signal to many concurrent calls): one listener each would pass Node's limit of 10 and print a
 * false "memory leak" warning. Per pipeline, so no state is shared between clients.
 */
function signalWatcher() {
  const watched = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();
  return (signal: AbortSignal, callback: () => void): (() => void) => {
    if (signal.aborted) {
      callback();
      return () => {};
    }
    let entry = watched.get(signal);
    if (!entry) {
      const callbacks = new Set<() => void>();
      const listener = () => {
        watched.delete(signal);
        for (const fn of [...callbacks]) fn();
      };
      entry = { callbacks, listener };
      watched.set(signal, entry);
      signal.addEventListener("abort", listener, { once: true });
    }
    // A wrapper of its own, so one callback registered twice is removed once.
    const own = () => callback();
    entry.callbacks.add(own);
    return () => {
      const current = watched.get(signal);
      if (!current?.callbacks.delete(own) || current.callbacks.size > 0) return;
      watched.delete(signal);
      signal.removeEventListener("abort", current.listener);
    };
  };
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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
