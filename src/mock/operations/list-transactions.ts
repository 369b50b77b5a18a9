// GET /transactions (listTransactions): the orders' and refunds' transactions, filtered and paged as
// MultiSafepay does (src/mock/transactions.ts).
import { listTransactions as page, orderRows, refundRows } from "../transactions.js";
import type { OperationHandler } from "./context.js";

export const listTransactions: OperationHandler = ({ store }, { url }) =>
  page(url, [...orderRows(store.orders.values()), ...refundRows(store.orders.values())]);
