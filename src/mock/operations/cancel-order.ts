// PATCH /orders/{order_id} (cancelOrder) with {status: "cancelled", exclude_order: true}: the merchant ends an
// unpaid order. Only an `initialized` order can be cancelled; it becomes void / void (KBC's status table), as
// when the shopper cancels, and MultiSafepay notifies it. An unknown order is 410 / 1000 "Not found"
// (MultiSafepay's documented PATCH answer); an order past `initialized` is 404 / 1000, its spec's generic
// PATCH error.
import { acceptedBody } from "../bodies.js";
import { cannotUpdate, gone } from "../errors.js";
import { applyOutcome } from "../orders.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const cancelOrder: OperationHandler = ({ store, notifier }, { params, request }) => {
  const stored = store.orders.get(params.order_id!);
  if (!stored) return gone();
  const accepted = acceptedBody(request, "CancelOrderRequest");
  if ("status" in accepted) return accepted;
  if (stored.order.status !== "initialized") return cannotUpdate(`the order is ${stored.order.status}`);
  applyOutcome(stored, "cancelled", "", store.now());
  stored.order.reason = "Cancelled by merchant";
  notifier.notifyLater(stored);
  return json({ success: true, data: {} });
};
