// The sandbox's handler of each operation of the spec, by operationId (the router in sandbox.ts finds the
// operation in the generated table). "What does the sandbox do on a refund": refund-order.ts.
import type { OperationId, OPERATIONS } from "../../operations.js";
import type { Answer } from "../exchange.js";
import { noGateway, notFound, orderNotFound } from "../errors.js";
import type { OperationHandlers } from "./context.js";
import { cancelOrder } from "./cancel-order.js";
import { cancelRefund } from "./cancel-refund.js";
import { createOrder } from "./create-order.js";
import { getGateway } from "./get-gateway.js";
import { getOrder } from "./get-order.js";
import { getPaymentMethod } from "./get-payment-method.js";
import { listGateways } from "./list-gateways.js";
import { listPaymentMethods } from "./list-payment-methods.js";
import { listTransactions } from "./list-transactions.js";
import { refundOrder } from "./refund-order.js";

export type { OperationHandler, OperationRequest, SandboxContext } from "./context.js";

export const HANDLERS: OperationHandlers = {
  createOrder,
  getOrder,
  cancelOrder,
  refundOrder,
  cancelRefund,
  listGateways,
  getGateway,
  listTransactions,
  listPaymentMethods,
  getPaymentMethod,
};

/** The operations whose path template has parameters. */
export type WithPathParams = {
  [Id in OperationId]: (typeof OPERATIONS)[Id]["pathParams"] extends readonly [] ? never : Id;
}[OperationId];

/**
 * What the router answers a path parameter with a malformed %-escape (it names nothing; the handler never
 * sees the request): a 404 everywhere. The reads and the refund answer it as an unknown id, as their handlers
 * do; the cancellations, whose unknown order or refund is 410, answer 404 / 1000 "Not found".
 */
export const MALFORMED_PATH: { readonly [Id in WithPathParams]: () => Answer } = {
  getOrder: orderNotFound,
  cancelOrder: notFound,
  refundOrder: orderNotFound,
  cancelRefund: notFound,
  getGateway: noGateway,
  getPaymentMethod: noGateway,
};
