// Errors that say what to do. MultiSafepay's own words are terse and sometimes misleading: a reused `order_id`
// on create reads "Invalid transaction ID", a test key on live "Invalid API key" with no word of which server
// refused it. The client knows what the server does not say: which operation it called, which order_id it sent,
// which environment and host it talked to. The texts that use that knowledge are made here; MultiSafepay's own
// text stays on `errorInfo` (errors.ts), and these are only ever put in front of it.
//
// The pipeline remembers, per answer, the request it answers (one property on the answer, no copy); only when
// an answer turns out to be an error is that request looked at again (envelope.ts asks `advisedDetails`).
import { ERROR_CODES, SERVERS } from "../generated/spec-constants.js";
import {
  COULD_NOT_REACH,
  ConnectionError,
  TimeoutError,
  type ApiErrorDetails,
  type MultiSafepayError,
} from "./errors.js";
import { OPERATIONS } from "./operations.js";
import type { Incoming, Outgoing } from "./senders/sender.js";

interface Asked {
  outgoing: Outgoing;
  baseUrl: string;
}

// On the answer itself, under a symbol: the answer is the sender's own object, never the caller's (and never
// given out: `.withResponse()` copies status and headers). A WeakMap entry per answer was 1.7 % of an
// in-process create (node --cpu-prof), and each entry is an ephemeron the garbage collector must trace.
const ASKED = Symbol("asked");
type AnswerOf = Incoming & { [ASKED]?: Asked };

/** Remembers which request (to which base URL) `answer` answers, for the error it may turn out to be. */
export function answering(answer: Incoming, outgoing: Outgoing, baseUrl: string): Incoming {
  (answer as AnswerOf)[ASKED] = { outgoing, baseUrl };
  return answer;
}

/** Where a request went: the host, and which of the spec's environments (SERVERS) that is, if any. */
export interface Server {
  host: string;
  environment: keyof typeof SERVERS | null;
}

export function serverOf(url: string): Server {
  const environment =
    (Object.keys(SERVERS) as (keyof typeof SERVERS)[]).find(
      (name) => url === SERVERS[name] || url.startsWith(`${SERVERS[name]}/`),
    ) ?? null;
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    // Every URL the pipeline sends was parsed before; a custom sender's odd one gets no host rather than a throw.
  }
  return { host, environment };
}

/** "MultiSafepay's live environment (api.multisafepay.com)", or "the server at 127.0.0.1:4010 (your baseUrl)". */
export function describeServer({ host, environment }: Server): string {
  return environment
    ? `MultiSafepay's ${environment} environment (${host})`
    : `the server at ${host || "your baseUrl"}${host ? " (your baseUrl)" : ""}`;
}

/**
 * The error's details with `advice` when the client can say more than MultiSafepay did: a 1006 on create (the
 * order_id is taken) or on reading an order (there is none), a refused key (which environment and host).
 */
export function advisedDetails(answer: Incoming, details: ApiErrorDetails, refusedKey: boolean): ApiErrorDetails {
  const request = (answer as AnswerOf)[ASKED];
  if (!request) return details;
  const advice = refusedKey
    ? keyAdvice(serverOf(request.outgoing.url))
    : details.errorCode === ERROR_CODES.INVALID_ORDER_ID
      ? orderIdAdvice(request)
      : undefined;
  return advice ? { ...details, advice } : details;
}

function keyAdvice(server: Server): string {
  const where = describeServer(server);
  const other = server.environment === "live" ? "test" : "live";
  const hint =
    server.environment === null
      ? "is it the key this server expects? (MultiSafepay's test and live keys are separate, and each belongs to one website)"
      : `a ${other} key on ${server.environment}? Test and live keys are separate, and each belongs to one website: use this website's ${server.environment} key, or environment: "${other}" for a ${other} key`;
  return `${capitalized(where)} refused the API key: ${hint}`;
}

function orderIdAdvice({ outgoing, baseUrl }: Asked): string | undefined {
  const { createOrder, getOrder } = OPERATIONS;
  const relative = pathBelow(outgoing.url, baseUrl);
  if (outgoing.method === createOrder.method && relative === createOrder.path) {
    const orderId = sentOrderId(outgoing.body);
    const which = orderId === undefined ? "This order_id" : `order_id ${JSON.stringify(orderId)}`;
    return `${which} is already used on this website: every order needs an order_id of its own, so create this one under a new order_id${orderId === undefined ? "" : ` (orders.get(${JSON.stringify(orderId)}) reads the order that has it)`}`;
  }
  if (outgoing.method === getOrder.method && relative !== undefined) {
    const prefix = getOrder.path.slice(0, getOrder.path.indexOf("{"));
    const segment = relative.startsWith(prefix) ? relative.slice(prefix.length) : "";
    if (segment === "" || segment.includes("/")) return undefined;
    const orderId = decoded(segment);
    return `No order ${JSON.stringify(orderId)} on this website in ${describeServer(serverOf(outgoing.url))}: check the order_id, and that the key and environment are those the order was created with`;
  }
  return undefined;
}

/** The path of `url` below the base URL's path (`/orders/o-1`), or undefined when it is not below it. */
function pathBelow(url: string, baseUrl: string): string | undefined {
  try {
    const base = new URL(baseUrl).pathname.replace(/\/+$/, "");
    const path = new URL(url).pathname;
    return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
  } catch {
    return undefined;
  }
}

function sentOrderId(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const id = (JSON.parse(body) as { order_id?: unknown } | null)?.order_id;
    return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A failure to reach the server, as one that names it: a ConnectionError with the generic message ("Could not
 * reach MultiSafepay") becomes one naming the host, the environment and the system's code for why, and a
 * TimeoutError names who did not answer. Any other failure (an abort, a more specific message) is returned as
 * it is.
 */
export function namingHost(failure: MultiSafepayError, url: string): MultiSafepayError {
  if (failure instanceof TimeoutError)
    return failure.message === new TimeoutError(failure.timeoutMs).message
      ? new TimeoutError(failure.timeoutMs, capitalized(describeServer(serverOf(url))))
      : failure;
  if (
    !(failure instanceof ConnectionError) ||
    failure.code !== "connection_error" ||
    failure.message !== COULD_NOT_REACH
  )
    return failure;
  return new ConnectionError(connectionMessage(url, failure.cause), { cause: failure.cause });
}

/**
 * The message of a ConnectionError: which host could not be reached, and the system's code for why
 * (ECONNREFUSED, ENOTFOUND…) when the cause chain has one.
 */
export function connectionMessage(url: string, cause: unknown): string {
  const server = serverOf(url);
  const code = systemCode(cause);
  const why = code ? ` (${code})` : "";
  const hint = server.environment
    ? "check the network, DNS and any proxy or firewall between this process and it"
    : "is it running, and is the baseUrl right?";
  return `Could not reach ${describeServer(server)}${why}: ${hint}`;
}

/** The first system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`) down a cause chain, if any. */
function systemCode(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
