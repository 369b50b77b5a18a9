// The sandbox's core: MultiSafepay's order API as a plain `(Request) => Response` function over in-memory
// orders, plus the shopper's side (`pay`) and notification delivery. msw handlers, the injected-fetch mock
// and the `npm start` server all call this one function.
import { ERROR_CODES, SERVERS } from "../../generated/spec-constants.js";
import type { Gateway, Order, OrderRequest } from "../types.js";
import { signNotification } from "../webhooks.js";
import { findApiKey } from "./auth.js";
import type { BodySchema } from "../issues.js";
import { acceptedOrderIssues, ignoredFields, NOT_JSON, readJson } from "./bodies.js";
import { cartDoesNotAddUp } from "./cart.js";
import { normalizeOrderBody } from "./order-body.js";
import { authenticationProblem, cartAmountMismatch, errorResponse, internalError, invalidApiKey, invalidOrder, notFound, notJson, orderIdInUse, orderNotFound } from "./errors.js";
import { phpJson } from "./php-json.js";
import { applyOutcome, createdAnswer, newOrder, type PaymentOutcome, type StoredOrder } from "./orders.js";
import { kbcPaymentMethods, paymentMethodsRoute, type AmountLimits } from "./payment-methods.js";
import { listTransactions, orderRows, refundRows } from "./transactions.js";
import { cancelOrder } from "./cancel-order.js";
import { createRefundDesk, type RefundEvent } from "./refunds.js";
import { decodeSegment } from "./segments.js";
import { LOOPBACK_NAMES, notifyAllowed } from "./hosts.js";

export type { PaymentOutcome } from "./orders.js";

type Environment = keyof typeof SERVERS;
type FetchLike = (request: Request) => Promise<Response>;

export interface SandboxOptions {
  /**
   * The only key accepted. Without it any key that passes the client's rule (`apiKeyProblem`: at least 5
   * characters) is accepted. Read from the `api_key` header, `?api_key=` or `Authorization: Bearer`.
   */
  apiKey?: string;
  /** Which MultiSafepay hosts to answer for. Default "test". */
  environment?: Environment | Environment[];
  /** Extra API base URLs to answer for, e.g. a local server's `http://127.0.0.1:4010/v1/json`. */
  baseUrl?: string | string[];
  /** Delivers notifications. Default: the global fetch (so msw handlers or a real server receive them). */
  fetch?: FetchLike;
  /** Extra deliveries after a notification is not acknowledged with `OK`. Default 3, as MultiSafepay. */
  notificationRetries?: number;
  /** How long one delivery may take before it counts as failed. Default 10 000 ms. */
  notificationTimeoutMs?: number;
  /** Pause between deliveries. MultiSafepay waits 15 minutes; the sandbox defaults to 0. */
  notificationRetryDelayMs?: number;
  /** KBC's and CBC's amount limits in integer cents, as a website may set them. Default: none (min 0, max null). */
  amountLimits?: AmountLimits;
  /**
   * Told what a developer should see: each field of an accepted request that MultiSafepay ignores (an
   * unknown name, a typo), e.g. "order o-1: ignored customer.firstname: ...". The sandbox server logs it.
   */
  log?: (message: string) => void;
  /**
   * Which hosts a `notification_url` may name. "any" (the default here and in `createMultiSafepayMock`, whose
   * deliveries go through `fetch`, yours or msw's) or a list: loopback (localhost, 127.0.0.0/8, [::1]) plus
   * these names. The HTTP sandbox (bin, `npm start`) passes a list, so it never probes other hosts for a
   * caller. A refused target is not delivered to; the order and the delivery result say why.
   */
  allowNotify?: "any" | readonly string[];
}

export interface NotificationDelivery {
  url: string;
  method: "POST" | "GET";
  attempts: number;
  acknowledged: boolean;
  /** Set when the sandbox did not deliver at all: why (a host it may not reach). attempts is then 0. */
  refused?: string;
}

export interface PaymentResult {
  order: Order;
  notification: NotificationDelivery | null;
}

/** A refund passed to the bank by `settleRefunds()`: the order after it, and the notification it sent. */
export type RefundSettlement = RefundEvent<NotificationDelivery>;

const GATEWAYS: Gateway[] = [
  { id: "KBC", description: "KBC" },
  { id: "CBC", description: "CBC" },
];
/**
 * MultiSafepay's spec files every POST /orders error under HTTP 404 (docs openapi/paths/orders.yaml: its only
 * error response, `404Error.yaml`), input errors included: the sandbox's 400 refusals of an order go out as 404.
 */
async function filedUnder404(answer: Response): Promise<Response> {
  return answer.status === 400 ? Response.json(await answer.json(), { status: 404 }) : answer;
}

/** GET /gateways/{gateway_id}: ids are not case-sensitive; an unknown one is 404 / 1023 (MultiSafepay docs `paths/gateways@{gateway_id}.yaml`). */
function gateway(id: string): Response {
  const found = GATEWAYS.find((g) => g.id === id.toUpperCase());
  return found ? Response.json({ success: true, data: found }) : errorResponse(404, ERROR_CODES.NO_GATEWAY, "No gateway (payment method) available");
}
const PAYMENT_HOSTS: Record<Environment, string> = { test: "https://testpayv2.multisafepay.com", live: "https://payv2.multisafepay.com" };

export interface HandleContext {
  /** The origin the request reached a hosting server by (e.g. `http://127.0.0.1:4010`). */
  publicOrigin?: string;
}

/** Where a hosting server serves the shopper's payment page: `<origin>/sandbox/pay/<session_id>`. */
export const SHOPPER_PAGE_PATH = "/sandbox/pay";

/** What one order keeps of the fields MultiSafepay would have ignored in its requests. */
const MAX_IGNORED_LINES = 50;

export function createSandbox(options: SandboxOptions = {}) {
  const environments = [options.environment ?? "test"].flat();
  const bases = [...environments.map((e) => SERVERS[e]), ...[options.baseUrl ?? []].flat()].map((b) => b.replace(/\/+$/, ""));
  const paymentHost = PAYMENT_HOSTS[environments[0] ?? "test"];
  const multisafepayBases = new Set(Object.values(SERVERS).map((b) => b.replace(/\/+$/, "")));

  /**
   * payment_urls on MultiSafepay's own hosts keep MultiSafepay's URLs (tests may assert them); a sandbox
   * reached at a local base, or through a server that says where it is, sends the shopper to its own page.
   */
  function shopperPages(base: string, context: HandleContext): string | undefined {
    if (context.publicOrigin) return `${context.publicOrigin.replace(/\/+$/, "")}${SHOPPER_PAGE_PATH}`;
    return multisafepayBases.has(base) ? undefined : `${new URL(base).origin}${SHOPPER_PAGE_PATH}`;
  }
  const orders = new Map<string, StoredOrder>();
  const paymentMethods = kbcPaymentMethods(options.amountLimits);
  let sequence = 0;
  const refunds = createRefundDesk<NotificationDelivery>({ find: (id) => orders.get(id), notify, notifyLater, nextTransactionId: () => 4_000_000_000 + ++sequence });

  /**
   * Answers a request to one of the sandbox's bases; undefined for any other URL. Never throws.
   * `publicOrigin` is where a server that hosts the sandbox is reached (its shopper pages live there).
   */
  async function handle(request: Request, context: HandleContext = {}): Promise<Response | undefined> {
    const url = new URL(request.url);
    const base = bases.find((b) => url.href === b || url.href.startsWith(`${b}/`) || url.href.startsWith(`${b}?`));
    if (!base) return undefined;
    try {
      const path = url.pathname.slice(new URL(base).pathname.length) || "/";
      const found = findApiKey(request, url);
      if ("problem" in found) return authenticationProblem(found.problem);
      const apiKey = found.key;
      if (options.apiKey !== undefined && apiKey !== options.apiKey) return invalidApiKey();
      // Links in answers (the transaction pager's) point where the caller reached the sandbox, path and all.
      const reached = context.publicOrigin ? new URL(`${url.pathname}${url.search}`, context.publicOrigin) : url;
      return await route(request.method, path, reached, request, apiKey, shopperPages(base, context));
    } catch {
      return internalError();
    }
  }

  async function route(method: string, path: string, url: URL, request: Request, apiKey: string, pages: string | undefined): Promise<Response> {
    if (path === "/orders" && method === "POST") return filedUnder404(await createOrder(request, apiKey, pages));
    const orderPath = /^\/orders\/([^/]+)$/.exec(path);
    if (orderPath && method === "GET") {
      const stored = orders.get(decodeSegment(orderPath[1]!));
      if (!stored) return orderNotFound();
      const data = stored.request.type === "direct" ? { ...stored.order, payment_url: stored.paymentUrl } : stored.order;
      return Response.json({ success: true, data });
    }
    if (orderPath && method === "PATCH") {
      const stored = orders.get(decodeSegment(orderPath[1]!));
      return noting(stored, "CancelOrderRequest", request, () => cancelOrder(stored, request, notifyLater));
    }
    const refundsPath = /^\/orders\/([^/]+)\/refunds$/.exec(path);
    if (refundsPath && method === "POST") {
      const orderId = decodeSegment(refundsPath[1]!);
      return noting(orders.get(orderId), "RefundRequest", request, () => refunds.create(orderId, request));
    }
    const refundPath = /^\/orders\/([^/]+)\/refunds\/([^/]+)$/.exec(path);
    if (refundPath && method === "PATCH") {
      const orderId = decodeSegment(refundPath[1]!);
      return noting(orders.get(orderId), "CancelRefundRequest", request, () => refunds.cancel(orderId, decodeSegment(refundPath[2]!), request));
    }
    if (path === "/gateways" && method === "GET") {
      const country = url.searchParams.get("country");
      return Response.json({ success: true, data: country && country !== "BE" ? [] : GATEWAYS });
    }
    const gatewayPath = /^\/gateways\/([^/]+)$/.exec(path);
    if (gatewayPath && method === "GET") return gateway(decodeSegment(gatewayPath[1]!));
    if (path === "/transactions" && method === "GET") return listTransactions(url, [...orderRows(orders.values()), ...refundRows(orders.values())]);
    return paymentMethodsRoute(method, path, url, paymentMethods) ?? notFound();
  }

  async function createOrder(request: Request, apiKey: string, pages: string | undefined): Promise<Response> {
    const parsed = readJson(await request.text());
    if (parsed === NOT_JSON) return notJson();
    const body = normalizeOrderBody(parsed);
    const issues = acceptedOrderIssues(body);
    if (issues.length) return invalidOrder(issues);
    const order = body as OrderRequest;
    if (cartDoesNotAddUp(order)) return cartAmountMismatch();
    const orderId = String(order.order_id);
    if (orders.has(orderId)) return orderIdInUse();
    sequence += 1;
    const stored = newOrder(order, { transactionId: 4_000_000_000 + sequence, sessionId: sessionId(sequence) }, { payment: paymentHost, ...(pages ? { local: pages } : {}) }, apiKey);
    orders.set(orderId, stored);
    noteIgnored(stored, ignoredFields("OrderRequest", body));
    const target = order.payment_options?.notification_url;
    const refused = target ? notificationRefusal(target) : null;
    if (refused) {
      stored.notificationRefused = `notification_url ${target}: ${refused}`;
      options.log?.(`order ${orderId}: ${stored.notificationRefused}`);
    }
    return Response.json({ success: true, data: createdAnswer(stored) });
  }

  /** Runs a handler of a body about an order; once the body was accepted, notes what MultiSafepay ignored in it. */
  async function noting(stored: StoredOrder | undefined, schema: BodySchema, request: Request, handle: () => Promise<Response>): Promise<Response> {
    const text = stored ? await request.clone().text() : "";
    const response = await handle();
    if (stored && response.status === 200) {
      try {
        noteIgnored(stored, ignoredFields(schema, JSON.parse(text)));
      } catch {
        // an accepted body is JSON; nothing to note otherwise
      }
    }
    return response;
  }

  /** Keeps what MultiSafepay would have ignored with the order (its view shows it) and logs it. */
  function noteIgnored(stored: StoredOrder, lines: string[]): void {
    // Bounded: a body of thousands of unknown names keeps the first few and a count, not a line each.
    const room = Math.max(0, MAX_IGNORED_LINES - stored.ignored.length);
    const kept = lines.length > room ? [...lines.slice(0, Math.max(0, room - 1)), `and ${lines.length - Math.max(0, room - 1)} more ignored fields`] : lines;
    for (const line of room ? kept : []) {
      stored.ignored.push(line);
      options.log?.(`order ${stored.order.order_id}: ${line}`);
    }
  }

  /** Plays the shopper's outcome at the bank, then notifies the merchant the way MultiSafepay does. */
  async function pay(orderId: string, { status }: { status: PaymentOutcome }): Promise<PaymentResult> {
    const stored = orders.get(orderId);
    if (!stored) throw new Error(`No sandbox order ${JSON.stringify(orderId)}`);
    if (stored.order.status !== "initialized") throw new Error(`Order ${JSON.stringify(orderId)} is already ${stored.order.status}`);
    applyOutcome(stored, status, String(900_000_000 + stored.order.transaction_id));
    const order = structuredClone(stored.order);
    return { order, notification: await notify(stored) };
  }

  const deliveries = new Set<Promise<unknown>>();

  /**
   * A notification for an API call (a refund, a cancellation) goes out after the answer, as MultiSafepay's do:
   * a merchant whose one process is busy waiting for that answer must not deadlock the sandbox.
   */
  function notifyLater(stored: StoredOrder): void {
    // A delivery that fails in the sandbox's own code is a failed delivery, never an unhandled rejection.
    const delivery = notify(stored).catch(() => null);
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  }

  /** Why the sandbox will not deliver to `target`, or null when it may. */
  function notificationRefusal(target: string): string | null {
    const allowed = options.allowNotify ?? "any";
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return "notification_url is not a URL";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return `notification_url must be http or https, not ${url.protocol.slice(0, -1)}`;
    if (allowed === "any" || notifyAllowed(url.hostname, allowed)) return null;
    return `not delivered: the sandbox delivers notifications only to loopback (${LOOPBACK_NAMES})${allowed.length ? ` and ${allowed.join(", ")}` : ""}; to deliver to ${url.hostname}, start it with --allow-notify ${url.hostname} (or MSP_SANDBOX_ALLOW_NOTIFY=${url.hostname})`;
  }

  async function notify(stored: StoredOrder): Promise<NotificationDelivery | null> {
    const target = stored.request.payment_options?.notification_url;
    if (!target) return null;
    const method = stored.request.payment_options?.notification_method ?? "GET";
    const refused = notificationRefusal(target);
    if (refused) return { url: target, method, attempts: 0, acknowledged: false, refused };
    // The state at the time of the event: later changes get notifications of their own. Written as
    // MultiSafepay's PHP backend writes it (php-json.ts), so re-serializing before verifying fails here too.
    const body = phpJson(stored.order);
    const fetch = options.fetch ?? ((r: Request) => globalThis.fetch(r));
    const retries = options.notificationRetries ?? 3;
    let url = target;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      // Every delivery is freshly stamped and signed, as MultiSafepay's retries are.
      const timestamp = Math.floor(Date.now() / 1000);
      url = `${target}${target.includes("?") ? "&" : "?"}transactionid=${encodeURIComponent(stored.order.order_id)}&timestamp=${timestamp}`;
      if (await deliver(fetch, url, method, body, stored.apiKey, timestamp)) return { url, method, attempts: attempt, acknowledged: true };
      if (attempt <= retries && options.notificationRetryDelayMs) await new Promise((r) => setTimeout(r, options.notificationRetryDelayMs));
    }
    return { url, method, attempts: retries + 1, acknowledged: false };
  }

  async function deliver(fetch: FetchLike, url: string, method: "POST" | "GET", body: string, apiKey: string, timestamp: number): Promise<boolean> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // An endpoint that never answers counts as a failed delivery, even when its fetch ignores the signal.
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(false);
      }, options.notificationTimeoutMs ?? 10_000);
    });
    const attempt = async () => {
      const headers = method === "POST" ? { "content-type": "application/json", auth: await signNotification({ body, apiKey, timestamp }) } : undefined;
      // With a host list, a redirect is not followed: it could lead anywhere (a 3xx is then not acknowledged).
      const redirect = options.allowNotify === undefined || options.allowNotify === "any" ? "follow" : "manual";
      const response = await fetch(new Request(url, { method, ...(method === "POST" ? { body } : {}), headers, signal: controller.signal, redirect }));
      // MultiSafepay's rule: HTTP 200 with "OK" in the first 100 characters of the body.
      return response.status === 200 && (await response.text()).slice(0, 100).includes("OK");
    };
    try {
      return await Promise.race([attempt(), timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    bases,
    handle,
    /** The order a shopper page's session belongs to (a copy), for hosts that serve those pages. */
    session(sessionId: string): { order: Order; request: OrderRequest } | undefined {
      const stored = [...orders.values()].find((s) => s.sessionId === sessionId);
      return stored && structuredClone({ order: stored.order, request: stored.request });
    },
    pay,
    settleRefunds: refunds.settle,
    /** Resolves once every notification sent after an API call (refund, cancellation) has been delivered or given up. */
    notificationsDelivered: async (): Promise<void> => {
      while (deliveries.size) await Promise.allSettled([...deliveries]);
    },
    orders: {
      get: (orderId: string): Order | undefined => {
        const stored = orders.get(orderId);
        return stored && structuredClone(stored.order);
      },
      list: (): Order[] => [...orders.values()].map((s) => structuredClone(s.order)),
      /** What MultiSafepay would have ignored in the requests about an order (unknown field names). */
      ignoredFields: (orderId: string): string[] => [...(orders.get(orderId)?.ignored ?? [])],
      /** Why the sandbox will not deliver this order's notifications (its notification_url's host), or null. */
      notificationRefused: (orderId: string): string | null => orders.get(orderId)?.notificationRefused ?? null,
    },
    reset: () => {
      orders.clear();
      refunds.reset();
      sequence = 0;
    },
  };
}

function sessionId(sequence: number): string {
  return `sbx${sequence.toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 12)}`;
}
