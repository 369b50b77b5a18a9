// Refunds passed to the bank, as MultiSafepay does at midnight (here: the sandbox's `settleRefunds()`): every
// `initialized` refund becomes `completed` and each order concerned is notified once. Making a refund is
// operations/refund-order.ts, cancelling one operations/cancel-refund.ts; the refunds live in the store.
import type { Order } from "../types.js";
import { observeSync, type HistoryActor } from "./history.js";
import { localTime } from "./orders.js";
import type { Notifier } from "./notify.js";
import type { NotificationDelivery } from "./sandbox.js";
import { syncRefunds, type Store } from "./store.js";

export type { RefundStatus, StoredRefund } from "./store.js";

/** What one settled refund led to: the order after it, and its notification. */
export interface RefundEvent<N> {
  order: Order;
  refundId: number;
  notification: N | null;
}

/**
 * `madeBefore`: only the refunds made before this local time (the midnight the clock passed); by default every
 * initialized one. `by` says in the orders' history who settled them.
 */
export async function settleRefunds(
  store: Store,
  notifier: Notifier,
  { madeBefore, by = "sandbox" }: { madeBefore?: string; by?: HistoryActor } = {},
): Promise<RefundEvent<NotificationDelivery>[]> {
  const events: RefundEvent<NotificationDelivery>[] = [];
  for (const [orderId, list] of store.refunds) {
    const reserved = list.filter(
      (r) => r.status === "initialized" && (madeBefore === undefined || r.created < madeBefore),
    );
    const stored = store.orders.get(orderId);
    if (!reserved.length || !stored) continue;
    observeSync(store, stored, by, () => {
      for (const refund of reserved)
        Object.assign(refund, { status: "completed", modified: localTime(new Date(store.now())) });
      syncRefunds(store, stored);
    });
    const notification = await notifier.notify(stored);
    for (const refund of reserved)
      events.push({ order: structuredClone(stored.order), refundId: refund.refundId, notification });
  }
  return events;
}
