// POST /orders (createOrder): the body checked as MultiSafepay accepts it, the cart's total, a unique order_id;
// the order is stored `initialized` with its payment link. MultiSafepay's spec files every POST /orders error
// under HTTP 404 (docs openapi/paths/orders.yaml: its only error response, `404Error.yaml`), input errors
// included: the sandbox's 400 refusals of an order go out as 404.
import type { OrderRequest } from "../../types.js";
import { acceptedOrderIssues, ignoredFields, NOT_JSON, readJson } from "../bodies.js";
import { cartDoesNotAddUp } from "../cart.js";
import { cartAmountMismatch, invalidOrder, notJson, orderIdInUse } from "../errors.js";
import { normalizeOrderBody } from "../order-body.js";
import { createdAnswer, newOrder } from "../orders.js";
import { type Answer, json, type SandboxRequest } from "../exchange.js";
import type { OperationHandler, SandboxContext } from "./context.js";

export const createOrder: OperationHandler = (context, { request, apiKey, pages }) => {
  const answer = create(context, request, apiKey, pages);
  return answer.status === 400 ? { ...answer, status: 404 } : answer;
};

function create(
  { store, notifier, options, paymentHost, noteIgnored }: SandboxContext,
  request: SandboxRequest,
  apiKey: string,
  pages: string | undefined,
): Answer {
  const parsed = readJson(request.body);
  if (parsed === NOT_JSON) return notJson();
  const body = normalizeOrderBody(parsed);
  const issues = acceptedOrderIssues(body);
  if (issues.length) return invalidOrder(issues);
  const order = body as OrderRequest;
  if (cartDoesNotAddUp(order)) return cartAmountMismatch();
  const orderId = String(order.order_id);
  if (store.orders.has(orderId)) return orderIdInUse();
  const transactionId = store.nextTransactionId();
  const stored = newOrder(
    order,
    { transactionId, sessionId: sessionId(store.sequence) },
    { payment: paymentHost, ...(pages ? { local: pages } : {}) },
    apiKey,
    store.now(),
  );
  store.addOrder(stored);
  noteIgnored(stored, ignoredFields("OrderRequest", body));
  const target = order.payment_options?.notification_url;
  const refused = target ? notifier.notificationRefusal(target) : null;
  if (refused) {
    stored.notificationRefused = `notification_url ${target}: ${refused}`;
    options.log?.(`order ${orderId}: ${stored.notificationRefused}`);
  }
  return json({ success: true, data: createdAnswer(stored) });
}

function sessionId(sequence: number): string {
  return `sbx${sequence.toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 12)}`;
}
