// The sandbox's store: everything it holds (orders, their refunds, the one transaction id counter) in one
// object that every operation handler (src/mock/operations/) and the shopper's side share. One per sandbox.
// Indexed so that no request costs more with more orders stored: orders by order_id, by session id (the
// shopper's page), and a log of transactions in key order (GET /transactions pages from it, transactions.ts).
// Orders and refunds are added through addOrder and addRefund only, which keep the indexes.
import type { SandboxOptions } from "./sandbox.js";
import { localTime, type StoredOrder } from "./orders.js";
import { kbcPaymentMethods } from "./payment-methods.js";
import type { PaymentMethodInfo } from "../types.js";
import type { HistoryEntry } from "./history.js";

export type RefundStatus = "initialized" | "completed" | "void";

export interface StoredRefund {
  refundId: number;
  /** The refund order's id: `refund_order_id`, or the original order's. */
  orderId: string;
  amount: number;
  currency: string;
  description: string;
  status: RefundStatus;
  created: string;
  modified: string;
  /** When it was made (ms), for MultiSafepay's "no identical refund within 5 minutes" rule. */
  madeAt: number;
}

/** A row of GET /transactions: an order's payment, or (refund) one of its refunds, whose id is the key. */
export interface TransactionEntry {
  /** The row's transaction id: unique, and larger for newer rows. */
  key: number;
  stored: StoredOrder;
  refund: boolean;
}

export interface Store {
  /** Orders by order_id. Read only: add with addOrder. */
  orders: ReadonlyMap<string, StoredOrder>;
  /** Orders by session id (payment links name it). */
  sessions: ReadonlyMap<string, StoredOrder>;
  /** Refunds by the original order's `order_id`. Read only: add with addRefund. */
  refunds: ReadonlyMap<string, readonly StoredRefund[]>;
  /** Every order and refund, ascending by transaction id (the listing's order). */
  transactions: readonly TransactionEntry[];
  addOrder(stored: StoredOrder): void;
  /** Adds a refund of the order `orderId` (the original order's order_id). */
  addRefund(orderId: string, refund: StoredRefund): void;
  paymentMethods: PaymentMethodInfo[];
  /** The next transaction id: one counter for orders and refunds, as MultiSafepay's ids are. */
  nextTransactionId(): number;
  /** How many transaction ids were handed out (session ids are derived from it). */
  readonly sequence: number;
  /** The sandbox's time (ms): the clock's, which follows real time until it is set or advanced. */
  now(): number;
  /** The sandbox's clock: every stamp, date filter, expiry and the refunds' midnight read it. */
  clock: Clock;
  /** What happened to each order (status changes, refunds, notification deliveries), by `order_id`, oldest first. */
  history: Map<string, HistoryEntry[]>;
  reset(): void;
}

/**
 * Real time until told otherwise; once set or advanced it stands still at that moment, as a test clock
 * (Stripe's test clocks do the same), so that a test's stamps and deadlines are exact. reset() lets it run again.
 */
export interface Clock {
  now(): number;
  /** Whether the clock was set or advanced (and so stands still). */
  readonly frozen: boolean;
  set(ms: number): void;
  advance(seconds: number): void;
  /** Back to real time. */
  release(): void;
}

function createClock(): Clock {
  let fixed: number | undefined;
  return {
    now: () => fixed ?? Date.now(),
    get frozen() {
      return fixed !== undefined;
    },
    set(ms) {
      fixed = ms;
    },
    advance(seconds) {
      fixed = (fixed ?? Date.now()) + seconds * 1000;
    },
    release() {
      fixed = undefined;
    },
  };
}

export function createStore(options: Pick<SandboxOptions, "amountLimits"> = {}): Store {
  const orders = new Map<string, StoredOrder>();
  const sessions = new Map<string, StoredOrder>();
  const refunds = new Map<string, StoredRefund[]>();
  const transactions: TransactionEntry[] = [];
  let sequence = 0;
  /** Keys come from one counter, so an entry is nearly always the newest: appended, else put in its place. */
  function log(entry: TransactionEntry): void {
    let at = transactions.length;
    while (at > 0 && transactions[at - 1]!.key > entry.key) at--;
    if (at === transactions.length) transactions.push(entry);
    else transactions.splice(at, 0, entry);
  }
  const clock = createClock();
  const history = new Map<string, HistoryEntry[]>();
  return {
    orders,
    sessions,
    refunds,
    transactions,
    addOrder(stored) {
      orders.set(stored.order.order_id, stored);
      sessions.set(stored.sessionId, stored);
      log({ key: stored.order.transaction_id, stored, refund: false });
    },
    addRefund(orderId, refund) {
      const stored = orders.get(orderId);
      if (!stored) throw new Error(`No sandbox order ${JSON.stringify(orderId)}`);
      refunds.set(orderId, [...(refunds.get(orderId) ?? []), refund]);
      log({ key: refund.refundId, stored, refund: true });
    },
    paymentMethods: kbcPaymentMethods(options.amountLimits),
    nextTransactionId: () => 4_000_000_000 + ++sequence,
    get sequence() {
      return sequence;
    },
    now: clock.now,
    clock,
    history,
    reset() {
      orders.clear();
      sessions.clear();
      refunds.clear();
      transactions.length = 0;
      sequence = 0;
      clock.release();
      history.clear();
    },
  };
}

/** What is refunded of an order (void refunds not counted), and what is left to refund. */
export const refunded = (store: Store, stored: StoredOrder) =>
  (store.refunds.get(stored.order.order_id) ?? [])
    .filter((r) => r.status !== "void")
    .reduce((sum, r) => sum + r.amount, 0);
export const leftToRefund = (store: Store, stored: StoredOrder) => (stored.order.amount ?? 0) - refunded(store, stored);

/** Writes an order's refunds into it: status, amount_refunded, related_transactions. */
export function syncRefunds(store: Store, stored: StoredOrder): void {
  const { order } = stored;
  const list = store.refunds.get(order.order_id) ?? [];
  const total = refunded(store, stored);
  order.amount_refunded = total;
  // A refunded order keeps financial_status "completed" (MultiSafepay's refunded example shows exactly that).
  order.status = total === 0 ? "completed" : total >= (order.amount ?? 0) ? "refunded" : "partial_refunded";
  order.modified = localTime(new Date(store.now()));
  order.related_transactions = list.map((r) => ({
    transaction_id: r.refundId,
    order_id: r.orderId,
    type: "refund",
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    description: r.description,
    created: r.created,
    modified: r.modified,
  }));
}
