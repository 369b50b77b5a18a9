// The sandbox's handler of each operation of the spec, by operationId (the router in sandbox.ts finds the
// operation in the generated table). "What does the sandbox do on a refund": refund-order.ts.
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
