// GET /orders/{order_id} (getOrder): the stored order; a direct order keeps its bank payment_url. Unknown:
// 404 / 1006, MultiSafepay's "Invalid transaction ID".
import { orderNotFound } from "../errors.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const getOrder: OperationHandler = ({ store }, { params }) => {
  const stored = store.orders.get(params.order_id!);
  if (!stored) return orderNotFound();
  const data = stored.request.type === "direct" ? { ...stored.order, payment_url: stored.paymentUrl } : stored.order;
  return json({ success: true, data });
};
