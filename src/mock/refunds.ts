// Refunds as MultiSafepay plays them (docs content/refunds.md): only a completed order can be refunded, by
// at most what is left and in the order's currency; the refund is a new transaction in the order's
// `related_transactions`, counted in `amount_refunded` at once, `initialized` until MultiSafepay passes it to
// the bank at midnight (here: `settle()`), then `completed`, and cancellable (`void`) until then. KBC's own
// status table (docs content/payment-methods/cbc-kbc.md) gives "Refund initiated" as Initialized / Initialized
// and "Refund complete" as Completed / Completed (the generic refund docs say `reserved`).
//
// Status and error code of each refusal, and why:
// - unknown order on POST .../refunds: 404 / 1006, as GET /orders/{order_id} answers an unknown order;
// - a body the spec refuses: 400 with the field's code (1001 amount, 1002 currency, 1008 description, ...),
//   as POST /orders;
// - the order cannot be refunded (not completed, fully refunded, more than what is left, or the same refund
//   again within 5 minutes): 404 / 1034 "Cannot refund" (docs api/general/error-reference.md: 1034 is "Cannot
//   refund transaction", checking "that the sum of any partial refunds doesn't exceed the original order
//   amount"). MultiSafepay's spec files every refund error under 404;
// - another currency than the order's: 404 / 1033. MultiSafepay documents no code for it (1033 is only "Error
//   fetching refund information"); the sandbox keeps 1033 so that it stays apart from the documented refusals;
// - `amount` missing or 0 refunds what is left (docs openapi/components/requestBody/Refund.yaml: "A full
//   refund will be processed if the `amount` parameter is omitted, left empty, or set to 0");
// - unknown refund on PATCH: 410 / 1000 "Not found", MultiSafepay's documented answer to a PATCH of
//   something that does not exist; a refund no longer initialized: 404 / 1000 (its spec's generic PATCH error).
//
// Notifications: MultiSafepay notifies refunds under the original order's `order_id` by default; the body
// is (unverified: no source shows it) the original order, whose `status` (partial_refunded / refunded), `amount_refunded` and
// `related_transactions` tell the refund apart from the payment (`financial_status` stays `completed`).
// The sandbox notifies when a refund is made, settled and cancelled. (With `refund_order_id`, MultiSafepay
// notifies the refund order under that id; the sandbox does not model refund orders as orders of their own.)
import { ERROR_CODES } from "../../generated/spec-constants.js";
import { errorResponse, invalidOrder, notJson, orderNotFound } from "./errors.js";
import { jsonBody, refundIssues, cancelRefundIssues } from "./bodies.js";
import { localTime, type StoredOrder } from "./orders.js";
import type { Order, RefundRequest } from "../types.js";

export type RefundStatus = "initialized" | "completed" | "void";

export interface StoredRefund {
  refundId: number;
  /** The refund order's id: `refund_order_id`, or the original order's. */
  orderId: string;
  amount: number;
  currency: string;
  description: string;
  status: RefundStatus;
  created: string;
  modified: string;
  /** When it was made (ms), for MultiSafepay's "no identical refund within 5 minutes" rule. */
  madeAt: number;
}

/** What one settled or cancelled refund led to: the order after it, and its notification. */
export interface RefundEvent<N> {
  order: Order;
  refundId: number;
  notification: N | null;
}

export interface RefundDeskOptions<N> {
  find(orderId: string): StoredOrder | undefined;
  /** Notifies and waits for the delivery (settle: its result is returned to the test). */
  notify(stored: StoredOrder): Promise<N | null>;
  /** Notifies after the API has answered, as MultiSafepay does. */
  notifyLater(stored: StoredOrder): void;
  now?: () => number;
  /** The next transaction id: the sandbox's one counter, shared with orders, as MultiSafepay's ids are. */
  nextTransactionId?: () => number;
}

const DUPLICATE_WINDOW_MS = 5 * 60 * 1000;
const REFUNDABLE_STATUSES = new Set(["completed", "partial_refunded", "refunded"]);

export const cannotRefund = (why: string) => errorResponse(404, ERROR_CODES.CANNOT_REFUND, `Cannot refund: ${why}`);
export const refundInfoError = (why: string) => errorResponse(404, ERROR_CODES.REFUND_INFO_ERROR, `Refund info error: ${why}`);
export const gone = () => errorResponse(410, ERROR_CODES.UNKNOWN_ERROR, "Not found");
export const cannotUpdate = (why: string) => errorResponse(404, ERROR_CODES.UNKNOWN_ERROR, `Cannot cancel: ${why}`);

export function createRefundDesk<N>(options: RefundDeskOptions<N>) {
  const now = options.now ?? Date.now;
  const refunds = new Map<string, StoredRefund[]>();
  let sequence = 0;
  const nextTransactionId = options.nextTransactionId ?? (() => 5_000_000_000 + ++sequence);

  const left = (stored: StoredOrder) => (stored.order.amount ?? 0) - refunded(stored);
  const refunded = (stored: StoredOrder) => (refunds.get(stored.order.order_id) ?? []).filter((r) => r.status !== "void").reduce((sum, r) => sum + r.amount, 0);

  /** POST /orders/{order_id}/refunds */
  async function create(orderId: string, request: Request): Promise<Response> {
    const stored = options.find(orderId);
    if (!stored) return orderNotFound();
    const parsed = await jsonBody(request);
    if (!parsed) return notJson();
    const issues = refundIssues(parsed.body);
    if (issues.length) return invalidOrder(issues);
    const body = parsed.body as RefundRequest;
    const { order } = stored;
    if (order.financial_status !== "completed" || !REFUNDABLE_STATUSES.has(String(order.status))) return cannotRefund(`the order is ${order.status}, not completed`);
    if (left(stored) <= 0) return cannotRefund("the order is fully refunded");
    // Undocumented by MultiSafepay: which code another currency earns (1033 is the sandbox's choice).
    if (body.currency !== order.currency) return refundInfoError(`the currency must be the order's (${order.currency})`);
    // 0 is a full refund, as a missing amount (once the body check lets 0 through).
    const amount = body.amount === undefined || body.amount === 0 ? left(stored) : body.amount;
    if (amount > left(stored)) return cannotRefund(`the amount exceeds what is left to refund (${left(stored)})`);
    const description = body.description ?? "";
    const list = refunds.get(order.order_id) ?? [];
    const twin = list.find((r) => r.status !== "void" && r.amount === amount && r.description === description && now() - r.madeAt < DUPLICATE_WINDOW_MS);
    if (twin) return cannotRefund("an identical refund was made less than 5 minutes ago");

    const time = localTime(new Date(now()));
    const refund: StoredRefund = {
      refundId: nextTransactionId(),
      orderId: body.refund_order_id ?? order.order_id,
      amount,
      currency: body.currency,
      description,
      status: "initialized",
      created: time,
      modified: time,
      madeAt: now(),
    };
    refunds.set(order.order_id, [...list, refund]);
    sync(stored);
    options.notifyLater(stored);
    // Both forms MultiSafepay documents: the node SDK's {transaction_id, refund_id} and the docs' order_id.
    return Response.json({ success: true, data: { transaction_id: order.transaction_id, refund_id: refund.refundId, order_id: refund.orderId } });
  }

  /** PATCH /orders/{order_id}/refunds/{refund_id} */
  async function cancel(orderId: string, refundId: string, request: Request): Promise<Response> {
    const stored = options.find(orderId);
    const refund = stored && refunds.get(stored.order.order_id)?.find((r) => String(r.refundId) === refundId);
    if (!stored || !refund) return gone();
    const parsed = await jsonBody(request);
    if (!parsed) return notJson();
    const issues = cancelRefundIssues(parsed.body);
    if (issues.length) return invalidOrder(issues);
    if (refund.status !== "initialized") return cannotUpdate(`the refund is ${refund.status}`);
    refund.status = "void";
    refund.modified = localTime(new Date(now()));
    sync(stored);
    options.notifyLater(stored);
    return Response.json({ success: true, data: {} });
  }

  /** Passes every initialized refund to the bank, as MultiSafepay does at midnight; notifies each order once. */
  async function settle(): Promise<RefundEvent<N>[]> {
    const events: RefundEvent<N>[] = [];
    for (const [orderId, list] of refunds) {
      const reserved = list.filter((r) => r.status === "initialized");
      const stored = options.find(orderId);
      if (!reserved.length || !stored) continue;
      for (const refund of reserved) Object.assign(refund, { status: "completed", modified: localTime(new Date(now())) });
      sync(stored);
      const notification = await options.notify(stored);
      for (const refund of reserved) events.push({ order: structuredClone(stored.order), refundId: refund.refundId, notification });
    }
    return events;
  }

  /** Writes the refunds into the order: status, amount_refunded, related_transactions. */
  function sync(stored: StoredOrder): void {
    const { order } = stored;
    const list = refunds.get(order.order_id) ?? [];
    const total = refunded(stored);
    order.amount_refunded = total;
    // A refunded order keeps financial_status "completed" (MultiSafepay's refunded example shows exactly that).
    order.status = total === 0 ? "completed" : total >= (order.amount ?? 0) ? "refunded" : "partial_refunded";
    order.modified = localTime(new Date(now()));
    order.related_transactions = list.map((r) => ({
      transaction_id: r.refundId,
      order_id: r.orderId,
      type: "refund",
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      description: r.description,
      created: r.created,
      modified: r.modified,
    }));
  }

  return {
    create,
    cancel,
    settle,
    reset: () => {
      refunds.clear();
      sequence = 0;
    },
  };
}
