// PATCH /orders/{order_id}/refunds/{refund_id} (cancelRefund): a refund MultiSafepay has not yet passed to the
// bank (`initialized`) becomes `void`, its amount refundable again, and the order is notified. An unknown
// refund (or order) is 410 / 1000 "Not found", MultiSafepay's documented answer to a PATCH of something that
// does not exist; a refund no longer initialized is 404 / 1000 (its spec's generic PATCH error).
import { acceptedBody } from "../bodies.js";
import { cannotUpdate, gone } from "../errors.js";
import { localTime } from "../orders.js";
import { syncRefunds } from "../store.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const cancelRefund: OperationHandler = ({ store, notifier }, { params, request }) => {
  const stored = store.orders.get(params.order_id!);
  const refund =
    stored && store.refunds.get(stored.order.order_id)?.find((r) => String(r.refundId) === params.refund_id);
  if (!stored || !refund) return gone();
  const accepted = acceptedBody(request, "CancelRefundRequest");
  if ("status" in accepted) return accepted;
  if (refund.status !== "initialized") return cannotUpdate(`the refund is ${refund.status}`);
  refund.status = "void";
  refund.modified = localTime(new Date(store.now()));
  syncRefunds(store, stored);
  notifier.notifyLater(stored);
  return json({ success: true, data: {} });
};
