// What `msp.on("request" | "response" | "retry", listener)` hands listeners: one object per attempt, made by the
// pipeline (src/pipeline.ts) for resources and `msp.api` alike. Events carry no API key and no body, so a
// listener may ship them anywhere. Listeners are called synchronously and never awaited: one that throws, or
// returns a promise that rejects, is reported (`onListenerError`) and the call goes on as if it were not there.
import { ValidationError, type MultiSafepayErrorCode } from "./errors.js";
import type { OperationId } from "./operations.js";

/** What every event of one attempt says. */
export interface CallEvent {
  /** Made by the client, the same for every attempt of one call (and on `.withResponse()`). */
  readonly requestId: string;
  /** The spec's operation id, e.g. "getOrder". */
  readonly operationId: OperationId;
  readonly method: string;
  /** The path template, e.g. "/orders/{order_id}". */
  readonly path: string;
  /** The full URL (never holds the API key: it travels in a header). */
  readonly url: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Whether the operation moves money (refunds, cancellations): such a call is never repeated once it may have arrived. */
  readonly movesMoney: boolean;
}

export interface RequestEvent extends CallEvent {}

export interface ResponseEvent extends CallEvent {
  /** The answer's HTTP status; null when no answer came (a connection error, a timeout, an abort). */
  readonly status: number | null;
  /** From sending the attempt to its answer read (or its failure). */
  readonly durationMs: number;
  /** MultiSafepay's `error_code`, when its answer had one. */
  readonly errorCode: number | null;
  /** "ok", or the `code` of the error this attempt ended with. */
  readonly outcome: "ok" | MultiSafepayErrorCode;
  /** True when this attempt's outcome is the call's (no retry follows). */
  readonly final: boolean;
}

export interface RetryEvent extends CallEvent {
  /** Why the attempt numbered `attempt` is repeated: the error code it ended with, or "status 503". */
  readonly reason: string;
  /** The pause before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

export interface CallEvents {
  request: RequestEvent;
  response: ResponseEvent;
  retry: RetryEvent;
}

export type CallEventName = keyof CallEvents;

/** `msp.on`: subscribes, and returns the function that unsubscribes. */
export type On = <N extends CallEventName>(name: N, listener: (event: CallEvents[N]) => void) => () => void;

/**
 * An internal subscriber (logging) that also sees the raw attempt: the request as sent and the answer, which
 * may hold the key and bodies. Public listeners never get the second argument.
 */
export type Tap = { [N in CallEventName]?: (event: CallEvents[N], raw?: unknown) => void };

type Listener = (event: never, raw?: unknown) => unknown;

export function createEvents(onListenerError: (error: unknown) => void) {
  const listeners: Record<CallEventName, Set<Listener>> = { request: new Set(), response: new Set(), retry: new Set() };
  const taps: Tap[] = [];
  let count = 0;
  const report = (error: unknown) => {
    try {
      onListenerError(error);
    } catch {
      // A logger that throws is not the call's business either.
    }
  };

  const on: On = (name, listener) => {
    const set = Object.hasOwn(listeners, name) ? listeners[name] : undefined;
    if (!set || typeof listener !== "function")
      throw new ValidationError(
        [
          {
            path: set ? "/listener" : "/event",
            message: set ? "must be a function" : "must be one of request, response, retry",
          },
        ],
        "msp.on",
      );
    // A wrapper of its own, so one listener subscribed twice runs twice and each `off` removes one.
    const own: Listener = (event) => listener(event as never);
    set.add(own);
    count++;
    let subscribed = true;
    return () => {
      if (subscribed && set.delete(own)) count--;
      subscribed = false;
    };
  };

  return {
    on,
    /** Adds an internal subscriber for good (the client's logging). */
    tap(tap: Tap): void {
      taps.push(tap);
      count++;
    },
    /** Whether anyone listens: when nobody does, the pipeline makes no events at all. */
    get active(): boolean {
      return count > 0;
    },
    emit<N extends CallEventName>(name: N, event: CallEvents[N], raw?: unknown): void {
      Object.freeze(event);
      for (const tap of taps) {
        try {
          tap[name]?.(event, raw);
        } catch (error) {
          report(error);
        }
      }
      for (const listener of [...listeners[name]]) {
        try {
          const result = listener(event as never);
          // Never awaited; a rejection is reported instead of becoming an unhandled one.
          if (result && typeof (result as PromiseLike<unknown>).then === "function")
            (result as Promise<unknown>).then(undefined, report);
        } catch (error) {
          report(error);
        }
      }
    },
  };
}

export type Events = ReturnType<typeof createEvents>;
