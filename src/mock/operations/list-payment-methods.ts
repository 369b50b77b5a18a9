// GET /payment-methods (listPaymentMethods): KBC and CBC, filtered by country, currency and amount as
// MultiSafepay filters (src/mock/payment-methods.ts).
import { filteredPaymentMethods } from "../payment-methods.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const listPaymentMethods: OperationHandler = ({ store }, { request }) => {
  const result = filteredPaymentMethods(request.query, store.paymentMethods);
  return "status" in result ? result : json({ success: true, data: result });
};
