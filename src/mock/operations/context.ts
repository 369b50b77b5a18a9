// What every operation handler of the sandbox gets: the one store, the notifier, the sandbox's options, and
// the request with its path parameters (decoded once, by the router in sandbox.ts).
import type { OperationId } from "../../operations.js";
import type { Answer, SandboxRequest } from "../exchange.js";
import type { StoredOrder } from "../orders.js";
import type { Notifier } from "../notify.js";
import type { SandboxOptions } from "../sandbox.js";
import type { Store } from "../store.js";

export interface SandboxContext {
  store: Store;
  notifier: Notifier;
  options: SandboxOptions;
  /** MultiSafepay's payment host for the sandbox's environment. */
  paymentHost: string;
  /** Keeps what MultiSafepay would have ignored in a request with the order, and logs it. */
  noteIgnored(stored: StoredOrder, lines: string[]): void;
}

export interface OperationRequest {
  /** The path parameters by name, decoded once (a malformed escape never gets here: the router answers it 404). */
  params: Record<string, string>;
  /** Its method, path, query, headers and body text (the URL it was reached at, for links: `reached()`). */
  request: SandboxRequest;
  apiKey: string;
  /** Where the shopper's payment pages are, when the sandbox serves its own. */
  pages: string | undefined;
}

/** Synchronous: the body is read before dispatch, and nothing a handler does waits (notifications go out later). */
export type OperationHandler = (context: SandboxContext, request: OperationRequest) => Answer;

/** One handler per operation of the spec: a new operation does not compile until it has one. */
export type OperationHandlers = { readonly [Id in OperationId]: OperationHandler };
