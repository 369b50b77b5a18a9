// GET /payment-methods (listPaymentMethods): KBC and CBC, filtered by country, currency and amount as
// MultiSafepay filters (src/mock/payment-methods.ts).
import { filteredPaymentMethods } from "../payment-methods.js";
import type { OperationHandler } from "./context.js";

export const listPaymentMethods: OperationHandler = ({ store }, { url }) => {
  const result = filteredPaymentMethods(url.searchParams, store.paymentMethods);
  return result instanceof Response ? result : Response.json({ success: true, data: result });
};
