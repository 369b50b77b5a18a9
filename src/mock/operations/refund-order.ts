// POST /orders/{order_id}/refunds (refundOrder): refunds as MultiSafepay plays them (docs content/refunds.md).
// Only a completed order can be refunded, by at most what is left and in the order's currency; the refund is
// a new transaction in the order's `related_transactions`, counted in `amount_refunded` at once, `initialized`
// until MultiSafepay passes it to the bank at midnight (the sandbox's settleRefunds(), src/mock/refunds.ts),
// then `completed`, and cancellable (`void`, cancel-refund.ts) until then. KBC's own status table (docs
// content/payment-methods/cbc-kbc.md) gives "Refund initiated" as Initialized / Initialized and "Refund
// complete" as Completed / Completed (the generic refund docs say `reserved`).
//
// Status and error code of each refusal, and why:
// - unknown order: 404 / 1006, as GET /orders/{order_id} answers an unknown order;
// - a body the spec refuses: 400 with the field's code (1001 amount, 1002 currency, 1008 description, ...),
//   as POST /orders;
// - the order cannot be refunded (not completed, fully refunded, more than what is left, or the same refund
//   again within 5 minutes): 404 / 1034 "Cannot refund" (docs api/general/error-reference.md: 1034 is "Cannot
//   refund transaction", checking "that the sum of any partial refunds doesn't exceed the original order
//   amount"). MultiSafepay's spec files every refund error under 404;
// - another currency than the order's: 404 / 1033. MultiSafepay documents no code for it (1033 is only "Error
//   fetching refund information"); the sandbox keeps 1033 so that it stays apart from the documented refusals;
// - `amount` missing or 0 refunds what is left (docs openapi/components/requestBody/Refund.yaml: "A full
//   refund will be processed if the `amount` parameter is omitted, left empty, or set to 0").
//
// Notifications: MultiSafepay notifies refunds under the original order's `order_id` by default; the body
// is (unverified: no source shows it) the original order, whose `status` (partial_refunded / refunded), `amount_refunded` and
// `related_transactions` tell the refund apart from the payment (`financial_status` stays `completed`).
// The sandbox notifies when a refund is made, settled and cancelled. (With `refund_order_id`, MultiSafepay
// notifies the refund order under that id; the sandbox does not model refund orders as orders of their own.)
import type { RefundRequest } from "../../types.js";
import { acceptedBody } from "../bodies.js";
import { cannotRefund, orderNotFound, refundInfoError } from "../errors.js";
import { localTime } from "../orders.js";
import { leftToRefund, syncRefunds, type StoredRefund } from "../store.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

const DUPLICATE_WINDOW_MS = 5 * 60 * 1000;
const REFUNDABLE_STATUSES = new Set(["completed", "partial_refunded", "refunded"]);

export const refundOrder: OperationHandler = ({ store, notifier }, { params, request }) => {
  const stored = store.orders.get(params.order_id!);
  if (!stored) return orderNotFound();
  const accepted = acceptedBody(request, "RefundRequest");
  if ("status" in accepted) return accepted;
  const body = accepted.accepted as RefundRequest;
  const { order } = stored;
  const left = leftToRefund(store, stored);
  if (order.financial_status !== "completed" || !REFUNDABLE_STATUSES.has(String(order.status)))
    return cannotRefund(`the order is ${order.status}, not completed`);
  if (left <= 0) return cannotRefund("the order is fully refunded");
  // Undocumented by MultiSafepay: which code another currency earns (1033 is the sandbox's choice).
  if (body.currency !== order.currency) return refundInfoError(`the currency must be the order's (${order.currency})`);
  // 0 is a full refund, as a missing amount (once the body check lets 0 through).
  const amount = body.amount === undefined || body.amount === 0 ? left : body.amount;
  if (amount > left) return cannotRefund(`the amount exceeds what is left to refund (${left})`);
  const description = body.description ?? "";
  const list = store.refunds.get(order.order_id) ?? [];
  const now = store.now();
  const twin = list.find(
    (r) =>
      r.status !== "void" &&
      r.amount === amount &&
      r.description === description &&
      now - r.madeAt < DUPLICATE_WINDOW_MS,
  );
  if (twin) return cannotRefund("an identical refund was made less than 5 minutes ago");

  const time = localTime(new Date(now));
  const refund: StoredRefund = {
    refundId: store.nextTransactionId(),
    orderId: body.refund_order_id ?? order.order_id,
    amount,
    currency: body.currency,
    description,
    status: "initialized",
    created: time,
    modified: time,
    madeAt: now,
  };
  store.addRefund(order.order_id, refund);
  syncRefunds(store, stored);
  notifier.notifyLater(stored);
  // Both forms MultiSafepay documents: the node SDK's {transaction_id, refund_id} and the docs' order_id.
  return json({
    success: true,
    data: { transaction_id: order.transaction_id, refund_id: refund.refundId, order_id: refund.orderId },
  });
};
