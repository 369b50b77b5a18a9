// The sandbox's core: MultiSafepay's order API as a plain function from the core's own request to its answer
// (exchange.ts: `dispatch`), plus the shopper's side (`pay`) and notification delivery. A request is routed by
// the spec's operation table (generated/operations.js) to that operation's handler (src/mock/operations/, one
// file each), over the one store (store.ts) they share. msw handlers and the injected-fetch mock call it as
// `(Request) => Response` (`handle`, the Fetch adapter); the node:http server (server.ts) calls `dispatch`.
import { SERVERS } from "../../generated/spec-constants.js";
import { decodeSegment, matchOperation } from "../operations.js";
import type { Order, OrderRequest } from "../types.js";
import { findApiKey } from "./auth.js";
import { ignoredFields } from "./bodies.js";
import { authenticationProblem, internalError, invalidApiKey, notFound } from "./errors.js";
import { type Answer, type SandboxRequest, toResponse } from "./exchange.js";
import { type HistoryActor, type HistoryEntry, observeSync, record } from "./history.js";
import { applyOutcome, KBC_EXPIRY_MS, localTime, type PaymentOutcome, type StoredOrder } from "./orders.js";
import type { AmountLimits } from "./payment-methods.js";
import { createNotifier } from "./notify.js";
import { HANDLERS, MALFORMED_PATH, type SandboxContext, type WithPathParams } from "./operations/index.js";
import { settleRefunds, type RefundEvent } from "./refunds.js";
import { createStore } from "./store.js";

export type { PaymentOutcome } from "./orders.js";
export type { HistoryActor, HistoryEntry, NotificationAnswer } from "./history.js";

type FetchLike = (request: Request) => Promise<Response>;

type Environment = keyof typeof SERVERS;

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

/** What moving the clock did: the time it now shows, the orders that expired, the refunds settled at a midnight passed. */
export interface ClockChange {
  /** The sandbox's time, ISO 8601 in UTC. */
  now: string;
  /** The same moment as MultiSafepay stamps orders (Amsterdam time, no zone). */
  local: string;
  /** Whether the clock stands still (it was set or advanced) rather than following real time. */
  frozen: boolean;
  /** The `order_id`s of the unpaid orders whose 5 days ran out. Their notifications go out after the answer. */
  expired: string[];
  /** The refunds passed to the bank because the clock passed a midnight after they were made. */
  settled: RefundSettlement[];
}

/** An API call a control made (cancel, refund, cancel a refund) that MultiSafepay refused. */
export class SandboxControlError extends Error {
  override readonly name = "SandboxControlError";
  constructor(
    readonly status: number,
    readonly errorCode: number,
    readonly errorInfo: string,
  ) {
    super(`${errorInfo} (error ${errorCode}, HTTP ${status})`);
  }
}

const PAYMENT_HOSTS: Record<Environment, string> = {
  test: "https://testpayv2.multisafepay.com",
  live: "https://payv2.multisafepay.com",
};

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
  const bases = [...environments.map((e) => SERVERS[e]), ...[options.baseUrl ?? []].flat()].map((b) =>
    b.replace(/\/+$/, ""),
  );
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
  const store = createStore(options);
  // Every delivery is kept in its order's history, with each attempt's answer.
  const notifier = createNotifier(options, (stored, delivery, answers) => {
    // A delivery that outlived a reset belongs to an order that is gone, not to a new one with its id.
    if (store.orders.get(stored.order.order_id) !== stored) return;
    const { refused, ...rest } = delivery;
    record(store, stored.order.order_id, {
      at: localTime(new Date(store.now())),
      type: "notification",
      ...rest,
      ...(refused ? { refused } : {}),
      answers,
    });
  });
  /** Unpaid orders whose expiry has started, and the earliest deadline among them (a read checks it in O(1)). */
  const expiring = new Set<StoredOrder>();
  let nextDeadline = Number.POSITIVE_INFINITY;
  const watchExpiry = (stored: StoredOrder) => {
    if (stored.expiresAt === undefined || stored.order.status !== "initialized") return;
    expiring.add(stored);
    nextDeadline = Math.min(nextDeadline, stored.expiresAt);
  };

  /**
   * Expires every unpaid order whose 5 days have run out on the sandbox's clock (status and financial_status
   * `expired`, as KBC's status table has them, and a notification). Run before every request is answered and
   * every control acts, and when the clock moves: an order past its deadline is expired when it is next read.
   */
  function expireDue(): string[] {
    const now = store.now();
    if (now < nextDeadline) return [];
    const expired: string[] = [];
    nextDeadline = Number.POSITIVE_INFINITY;
    for (const stored of expiring) {
      if (stored.order.status !== "initialized" || orders.get(stored.order.order_id) !== stored) {
        expiring.delete(stored);
      } else if (stored.expiresAt! <= now) {
        expiring.delete(stored);
        observeSync(store, stored, "clock", () => applyOutcome(stored, "expired", "", now));
        notifier.notifyLater(stored);
        expired.push(stored.order.order_id);
      } else nextDeadline = Math.min(nextDeadline, stored.expiresAt!);
    }
    return expired;
  }
  const context: SandboxContext = { store, notifier, options, paymentHost, noteIgnored };
  const { orders } = store;

  /**
   * Answers a request to one of the sandbox's bases; undefined for any other URL. Never throws.
   * `publicOrigin` is where a server that hosts the sandbox is reached (its shopper pages live there).
   */
  async function handle(request: Request, context: HandleContext = {}): Promise<Response | undefined> {
    const url = new URL(request.url);
    const base = bases.find((b) => url.href === b || url.href.startsWith(`${b}/`) || url.href.startsWith(`${b}?`));
    if (!base) return undefined;
    let body = "";
    try {
      if (request.method !== "GET" && request.method !== "HEAD") body = await request.text();
    } catch {
      return toResponse(internalError());
    }
    const path = url.pathname.slice(new URL(base).pathname.length) || "/";
    // Links in answers (the transaction pager's) point where the caller reached the sandbox, path and all.
    const reached = () => (context.publicOrigin ? new URL(`${url.pathname}${url.search}`, context.publicOrigin) : url);
    const answer = dispatch(
      { method: request.method, path, query: url.searchParams, headers: request.headers, body, reached },
      { ...context, base },
    );
    return toResponse(answer);
  }

  /**
   * Answers a request to the API under `base` (default: the sandbox's first base), `request.path` being the
   * part under it. Never throws. The node:http server calls this directly, with no Fetch objects on the way.
   */
  function dispatch(request: SandboxRequest, context: HandleContext & { base?: string } = {}): Answer {
    try {
      const found = findApiKey(request);
      if ("problem" in found) return authenticationProblem(found.problem);
      const apiKey = found.key;
      if (options.apiKey !== undefined && apiKey !== options.apiKey) return invalidApiKey();
      expireDue();
      return route(request, apiKey, shopperPages(context.base ?? bases[0]!, context));
    } catch {
      return internalError();
    }
  }

  /**
   * The operation of the spec this request is (by the generated table), to its handler, with its path
   * parameters decoded once; any other request is 404 / 1000. A path parameter with a malformed %-escape is
   * answered 404 here (operations/index.ts MALFORMED_PATH), and its handler never sees the request.
   */
  function route(request: SandboxRequest, apiKey: string, pages: string | undefined, by: HistoryActor = "api"): Answer {
    const found = matchOperation(request.method, request.path);
    if (!found) return notFound();
    const { operation, raw } = found;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      const decoded = decodeSegment(value);
      if (decoded === undefined) return MALFORMED_PATH[operation.id as WithPathParams]();
      params[name] = decoded;
    }
    const handle = () => HANDLERS[operation.id](context, { params, request, apiKey, pages });
    if (operation.id === "createOrder") {
      const sequence = store.sequence;
      const answer = handle();
      // An accepted create hands out the next transaction id: the newest order is this call's.
      if (answer.status === 200 && store.sequence !== sequence) noteCreated(store.transactions.at(-1)?.stored, by);
      return answer;
    }
    // A read changes nothing (an expiry it would see was made before routing, expireDue).
    const stored = params.order_id !== undefined && request.method !== "GET" ? orders.get(params.order_id) : undefined;
    if (!stored) return handle();
    // What the call changed (status, refunds) goes into the order's history.
    const answer = observeSync(store, stored, by, handle);
    // A body about an existing order, once accepted: what MultiSafepay ignored in it is noted with the order.
    if ("schema" in operation && answer.status === 200) {
      try {
        noteIgnored(stored, ignoredFields(operation.schema, JSON.parse(request.body)));
      } catch {
        // an accepted body is JSON; nothing to note otherwise
      }
    }
    return answer;
  }

  /** A new order: its history starts, and a direct order's 5 days are counted from now. */
  function noteCreated(stored: StoredOrder | undefined, by: HistoryActor): void {
    if (!stored) return;
    record(store, stored.order.order_id, {
      at: String(stored.order.created),
      type: "created",
      status: "initialized",
      by,
    });
    watchExpiry(stored);
  }

  /** Keeps what MultiSafepay would have ignored with the order (its view shows it) and logs it. */
  function noteIgnored(stored: StoredOrder, lines: string[]): void {
    // Bounded: a body of thousands of unknown names keeps the first few and a count, not a line each.
    const room = Math.max(0, MAX_IGNORED_LINES - stored.ignored.length);
    const kept =
      lines.length > room
        ? [...lines.slice(0, Math.max(0, room - 1)), `and ${lines.length - Math.max(0, room - 1)} more ignored fields`]
        : lines;
    for (const line of room ? kept : []) {
      stored.ignored.push(line);
      options.log?.(`order ${stored.order.order_id}: ${line}`);
    }
  }

  /** Plays the shopper's outcome at the bank, then notifies the merchant the way MultiSafepay does. */
  async function pay(orderId: string, { status }: { status: PaymentOutcome }): Promise<PaymentResult> {
    expireDue();
    const stored = orders.get(orderId);
    if (!stored) throw new Error(`No sandbox order ${JSON.stringify(orderId)}`);
    if (stored.order.status !== "initialized")
      throw new Error(`Order ${JSON.stringify(orderId)} is already ${stored.order.status}`);
    observeSync(store, stored, "shopper", () =>
      applyOutcome(stored, status, String(900_000_000 + stored.order.transaction_id), store.now()),
    );
    const order = structuredClone(stored.order);
    return { order, notification: await notifier.notify(stored) };
  }

  /**
   * The shopper selects the payment method on the payment page (the sandbox's page stands for that moment):
   * a redirect order's 5 days start now. Once only; a direct order's started at creation.
   */
  function selectMethod(orderId: string, by: HistoryActor = "shopper"): Order {
    expireDue();
    const stored = orders.get(orderId);
    if (!stored) throw new Error(`No sandbox order ${JSON.stringify(orderId)}`);
    if (stored.expiresAt === undefined && stored.order.status === "initialized") {
      const now = store.now();
      stored.expiresAt = now + KBC_EXPIRY_MS;
      record(store, orderId, {
        at: localTime(new Date(now)),
        type: "method_selected",
        expires: localTime(new Date(stored.expiresAt)),
        by,
      });
      watchExpiry(stored);
    }
    return structuredClone(stored.order);
  }

  /** One of the API's calls, made by a control (the overview's buttons, the mock's functions), with the order's key. */
  async function apiCall(method: string, path: string, body: unknown, orderId: string): Promise<Response> {
    expireDue();
    const base = bases[0];
    if (base === undefined) throw new Error("The sandbox answers for no base URL");
    const url = new URL(`${base}${path}`);
    const request: SandboxRequest = {
      method,
      path,
      query: url.searchParams,
      headers: new Headers({ "content-type": "application/json" }),
      body: JSON.stringify(body),
      reached: () => url,
    };
    const apiKey = options.apiKey ?? orders.get(orderId)?.apiKey ?? "sandbox-control";
    return toResponse(route(request, apiKey, undefined, "sandbox"));
  }

  /** The API's answer to a control's call as its data, or a SandboxControlError with MultiSafepay's refusal. */
  async function controlData(response: Response): Promise<Record<string, unknown>> {
    const answer = (await response.json()) as {
      success?: boolean;
      data?: Record<string, unknown>;
      error_code?: number;
      error_info?: string;
    };
    if (answer.success) return answer.data ?? {};
    throw new SandboxControlError(response.status, answer.error_code ?? 0, answer.error_info ?? "Refused");
  }

  const orderPath = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;
  const controls = {
    /** PATCH /orders/{order_id} {status: "cancelled", exclude_order: true}, the API's answer as is. */
    cancel: (orderId: string) =>
      apiCall("PATCH", orderPath(orderId), { status: "cancelled", exclude_order: true }, orderId),
    /** POST /orders/{order_id}/refunds in the order's currency; no amount refunds what is left. */
    refund: (orderId: string, { amount, description }: { amount?: number; description?: string } = {}) =>
      apiCall(
        "POST",
        `${orderPath(orderId)}/refunds`,
        {
          currency: orders.get(orderId)?.order.currency ?? "EUR",
          ...(amount === undefined ? {} : { amount }),
          description: description ?? "Refund from the sandbox",
        },
        orderId,
      ),
    /** PATCH /orders/{order_id}/refunds/{refund_id} {status: "void"}. */
    cancelRefund: (orderId: string, refundId: string | number) =>
      apiCall(
        "PATCH",
        `${orderPath(orderId)}/refunds/${encodeURIComponent(String(refundId))}`,
        { status: "void" },
        orderId,
      ),
  };

  /** Moves the clock, then does what the time passed brings: expiries, and the refunds' midnight. */
  async function moveClock(move: () => void): Promise<ClockChange> {
    const before = localTime(new Date(store.now())).slice(0, 10);
    move();
    const expired = expireDue();
    const today = localTime(new Date(store.now())).slice(0, 10);
    // MultiSafepay passes refunds to the bank at midnight (docs content/refunds.md, as refunds.ts): a refund made
    // before a midnight the clock passed is settled. Only when the clock is moved, so real time passing midnight
    // never surprises a running test; settleRefunds() settles at any time.
    const settled =
      today > before ? await settleRefunds(store, notifier, { madeBefore: `${today}T00:00:00`, by: "clock" }) : [];
    return { ...clockState(), expired, settled };
  }

  const clockState = () => {
    const now = new Date(store.now());
    return { now: now.toISOString(), local: localTime(now), frozen: store.clock.frozen };
  };

  return {
    bases,
    handle,
    dispatch,
    /** The store itself, for the repo's own tests and bench (not part of the mock's public API). */
    store,
    /** The order a shopper page's session belongs to (a copy), for hosts that serve those pages. */
    session(sessionId: string): { order: Order; request: OrderRequest } | undefined {
      expireDue();
      const stored = store.sessions.get(sessionId);
      return stored && structuredClone({ order: stored.order, request: stored.request });
    },
    pay,
    selectMethod,
    controls,
    controlData,
    expireDue,
    settleRefunds: (): Promise<RefundSettlement[]> => {
      expireDue();
      return settleRefunds(store, notifier);
    },
    clock: {
      /** The sandbox's time. */
      now: (): Date => new Date(store.now()),
      state: clockState,
      /** Sets the clock to `date` (it then stands still there). */
      set: (date: Date | string | number): Promise<ClockChange> => {
        const ms = new Date(date).getTime();
        if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${JSON.stringify(date)}`);
        return moveClock(() => store.clock.set(ms));
      },
      /** Moves the clock `seconds` forward (or back, when negative); it then stands still. */
      advance: (seconds: number): Promise<ClockChange> => {
        if (!Number.isFinite(seconds)) throw new RangeError(`Not a number of seconds: ${seconds}`);
        return moveClock(() => store.clock.advance(seconds));
      },
    },
    /** Resolves once every notification sent after an API call (refund, cancellation) has been delivered or given up. */
    notificationsDelivered: notifier.delivered,
    orders: {
      get: (orderId: string): Order | undefined => {
        expireDue();
        const stored = orders.get(orderId);
        return stored && structuredClone(stored.order);
      },
      list: (): Order[] => {
        expireDue();
        return [...orders.values()].map((s) => structuredClone(s.order));
      },
      /** What happened to the order, oldest first: status changes, refunds, notification deliveries. */
      history: (orderId: string): HistoryEntry[] => structuredClone(store.history.get(orderId) ?? []),
      /** What MultiSafepay would have ignored in the requests about an order (unknown field names). */
      ignoredFields: (orderId: string): string[] => [...(orders.get(orderId)?.ignored ?? [])],
      /** Why the sandbox will not deliver this order's notifications (its notification_url's host), or null. */
      notificationRefused: (orderId: string): string | null => orders.get(orderId)?.notificationRefused ?? null,
    },
    /** Forgets every order and its history, and lets the clock follow real time again. */
    reset: (): void => {
      store.reset();
      expiring.clear();
      nextDeadline = Number.POSITIVE_INFINITY;
    },
  };
}
