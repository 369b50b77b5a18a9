// GET /payment-methods/{payment_method_id} (getPaymentMethod): ids are not case-sensitive (MultiSafepay's
// gateway docs); an unknown one is 404 / 1023.
import { noGateway } from "../errors.js";
import { json } from "../exchange.js";
import type { OperationHandler } from "./context.js";

export const getPaymentMethod: OperationHandler = ({ store }, { params }) => {
  const id = params.payment_method_id!.toUpperCase();
  const found = store.paymentMethods.find((m) => m.id.toUpperCase() === id);
  return found ? json({ success: true, data: found }) : noGateway();
};
