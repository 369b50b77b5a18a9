// Each order's history, as the overview page and `GET /sandbox/orders` show it: its creation, every status
// change, every refund's, and every notification delivery with what the merchant answered. Status changes are
// found by comparing the order before and after something acted on it (observe), so the API's handlers
// (operations/) need not report them; deliveries are recorded by the notifier (notify.ts).
import { localTime, type StoredOrder } from "./orders.js";
import type { Store } from "./store.js";

/** Who made a change: an API call, the shopper (payment page or pay()), a sandbox control, or the clock. */
export type HistoryActor = "api" | "shopper" | "sandbox" | "clock";

/** What one delivery attempt got back: the HTTP status and the start of the body, or why there was none. */
export interface NotificationAnswer {
  status?: number;
  /** The first 100 characters: MultiSafepay looks for "OK" there. */
  body?: string;
  error?: string;
}

export type HistoryEntry =
  | { at: string; type: "created"; status: string; by: HistoryActor }
  | {
      at: string;
      type: "status";
      from: string;
      to: string;
      financial_status: string;
      reason: string;
      by: HistoryActor;
    }
  | {
      at: string;
      type: "refund";
      refund_id: number;
      amount: number;
      currency: string;
      status: string;
      by: HistoryActor;
    }
  | {
      at: string;
      type: "method_selected";
      /** When KBC's 5 days run out (local time): a redirect order's expiry starts when the method is chosen. */
      expires: string;
      by: HistoryActor;
    }
  | {
      at: string;
      type: "notification";
      method: "POST" | "GET";
      url: string;
      attempts: number;
      acknowledged: boolean;
      refused?: string;
      answers: NotificationAnswer[];
    };

/** What one order's history keeps at most: a long-lived sandbox order notified thousands of times stays bounded. */
const MAX_ENTRIES = 200;

export function record(store: Store, orderId: string, entry: HistoryEntry): void {
  const list = store.history.get(orderId) ?? [];
  list.push(entry);
  if (list.length > MAX_ENTRIES) list.splice(1, list.length - MAX_ENTRIES);
  store.history.set(orderId, list);
}

interface Snapshot {
  status: string;
  financial_status: string;
  refunds: Map<number, string>;
}

function snapshot(store: Store, stored: StoredOrder): Snapshot {
  return {
    status: String(stored.order.status),
    financial_status: String(stored.order.financial_status),
    refunds: new Map((store.refunds.get(stored.order.order_id) ?? []).map((r) => [r.refundId, r.status])),
  };
}

/** Runs `change` and records what it did to the order: its status, and each refund made or moved. */
export async function observe<T>(
  store: Store,
  stored: StoredOrder,
  by: HistoryActor,
  change: () => T | Promise<T>,
): Promise<T> {
  const before = snapshot(store, stored);
  const result = await change();
  recordChanges(store, stored, before, by);
  return result;
}

/** The synchronous form, for changes made inside a sweep (expiry, the refunds' midnight). */
export function observeSync<T>(store: Store, stored: StoredOrder, by: HistoryActor, change: () => T): T {
  const before = snapshot(store, stored);
  const result = change();
  recordChanges(store, stored, before, by);
  return result;
}

function recordChanges(store: Store, stored: StoredOrder, before: Snapshot, by: HistoryActor): void {
  // A change that finished after a reset is not the history of a new order with the same id.
  if (store.orders.get(stored.order.order_id) !== stored) return;
  const at = localTime(new Date(store.now()));
  const { order } = stored;
  for (const refund of store.refunds.get(order.order_id) ?? []) {
    if (before.refunds.get(refund.refundId) === refund.status) continue;
    record(store, order.order_id, {
      at,
      type: "refund",
      refund_id: refund.refundId,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
      by,
    });
  }
  if (before.status !== order.status || before.financial_status !== order.financial_status)
    record(store, order.order_id, {
      at,
      type: "status",
      from: before.status,
      to: String(order.status),
      financial_status: String(order.financial_status),
      reason: String(order.reason ?? ""),
      by,
    });
}
