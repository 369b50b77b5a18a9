// `.withResponse()` on every resource method's promise. Inside, a resource method resolves with its data and
// the answer it came from (pipeline.ts's Answered); the client (client.ts) hands callers a promise of the data
// alone that also offers the whole: `await msp.orders.get(id)` is the order, as it always was, and
// `await msp.orders.get(id).withResponse()` is `{ data, response: { status, headers }, requestId }`.
import type { Answered } from "./pipeline.js";
import type { Incoming } from "./senders/sender.js";

/** A successful call's data with its answer's HTTP status and headers and the client's request id. */
export interface WithResponse<T> {
  data: T;
  response: { status: number; headers: Headers };
  /** The same id as in this call's events (msp.on). */
  requestId: string;
}

/** A resource method's promise: resolves with the data; `.withResponse()` resolves with the answer too. */
export interface ApiPromise<T> extends Promise<T> {
  withResponse(): Promise<WithResponse<T>>;
}

/** A resource's methods as they are made inside: resolving with Answered rather than the data alone. */
export type Internal<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => ApiPromise<infer T> ? (...args: A) => Promise<Answered<T>> : R[K];
};

function headersOf(headers: Incoming["headers"]): Headers {
  if (headers instanceof Headers) return headers;
  const made = new Headers();
  headers.forEach?.((value, name) => {
    made.append(name, value);
  });
  return made;
}

function apiPromise<T>(answered: Promise<Answered<T>>): ApiPromise<T> {
  const data = answered.then((a) => a.data) as ApiPromise<T>;
  // A caller who only uses withResponse() never awaits `data`: its rejection must not count as unhandled.
  data.catch(() => {});
  data.withResponse = () =>
    answered.then((a) => ({
      data: a.data,
      response: { status: a.response.status, headers: headersOf(a.response.headers) },
      requestId: a.requestId,
    }));
  return data;
}

/** Every method that returns a promise gets `.withResponse()`; others (an async iterator) pass as they are. */
export function answeredResource<R extends object>(resource: Internal<R>): R {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(resource)) {
    wrapped[name] =
      typeof member === "function"
        ? (...args: unknown[]) => {
            const result = (member as (...a: unknown[]) => unknown)(...args);
            return result instanceof Promise ? apiPromise(result as Promise<Answered<unknown>>) : result;
          }
        : member;
  }
  return wrapped as R;
}
