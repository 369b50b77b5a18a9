// GET /transactions (listTransactions): the orders' and refunds' transactions, filtered and paged as
// MultiSafepay does (src/mock/transactions.ts), from the store's transaction log.
import { listTransactions as page } from "../transactions.js";
import type { OperationHandler } from "./context.js";

export const listTransactions: OperationHandler = ({ store }, { request }) => page(request, store.transactions);
