// "multisafepay-kbc/mock": a MultiSafepay sandbox for your tests, derived from the same spec as the client.
// Use `handlers` with msw, or `fetch` as the client's fetch without msw.
import { http, type HttpHandler } from "msw";
import { notFound } from "./errors.js";
import { toResponse } from "./exchange.js";
import {
  type ClockChange,
  createSandbox,
  type HistoryActor,
  type HistoryEntry,
  type NotificationAnswer,
  type NotificationDelivery,
  type PaymentOutcome,
  type PaymentResult,
  type RefundSettlement,
  SandboxControlError,
  type SandboxOptions,
} from "./sandbox.js";
import type { Order } from "../types.js";

export type {
  ClockChange,
  HistoryActor,
  HistoryEntry,
  NotificationAnswer,
  NotificationDelivery,
  PaymentOutcome,
  PaymentResult,
  RefundSettlement,
  SandboxOptions as MockOptions,
};
export { SandboxControlError };
export type { AmountLimits } from "./payment-methods.js";

export interface MultiSafepayMock {
  /** msw request handlers for the API (the test host by default). */
  handlers: HttpHandler[];
  /** The API as a fetch function: pass it as `createMultiSafepay({ fetch })` to test without msw. */
  fetch: (request: Request) => Promise<Response>;
  /** Plays the shopper's outcome and delivers the notification, if the order has a notification_url. */
  pay(orderId: string, outcome: { status: PaymentOutcome }): Promise<PaymentResult>;
  /**
   * The shopper selects the payment method on the payment page (what opening the sandbox's payment page does):
   * for a redirect order, KBC's 5 days until expiry start now (a direct order's started at creation).
   * Throws for an unknown order.
   */
  selectMethod(orderId: string): Order;
  /**
   * The merchant cancels an unpaid order, as `PATCH /orders/{order_id}` with `{status: "cancelled"}` does
   * (void / void, and a notification after the call). Rejects with a {@link SandboxControlError} carrying
   * MultiSafepay's error code when the API refuses (an unknown order, one already paid).
   */
  cancel(orderId: string): Promise<Order>;
  /**
   * Refunds a completed order, as `POST /orders/{order_id}/refunds` does, in the order's currency: `amount` in
   * integer cents, or what is left when omitted. The refund stays `initialized` until the refunds' midnight
   * ({@link MultiSafepayMock.settleRefunds}, or the clock moved past midnight). Rejects with a
   * {@link SandboxControlError} when the API refuses (e.g. 1034: more than is left, or the same refund again
   * within 5 minutes on the mock's clock).
   */
  refund(
    orderId: string,
    refund?: { amount?: number; description?: string },
  ): Promise<{ refundId: number; order: Order }>;
  /** Cancels a refund not yet settled (`void`), as `PATCH /orders/{order_id}/refunds/{refund_id}`. Rejects with a {@link SandboxControlError}. */
  cancelRefund(orderId: string, refundId: number | string): Promise<Order>;
  /**
   * Passes every `initialized` refund (KBC's status for a refund not yet passed on) to the bank (`completed`), as MultiSafepay does at midnight, and notifies
   * each order concerned. Until then a refund can be cancelled.
   */
  settleRefunds(): Promise<RefundSettlement[]>;
  /**
   * Notifications for API calls (refunds, cancellations) go out after the answer, as MultiSafepay's do; this
   * resolves once they have all been delivered or given up.
   */
  notificationsDelivered(): Promise<void>;
  /**
   * The mock's clock. It follows real time until set or advanced, then stands still there until moved again
   * (or {@link MultiSafepayMock.reset}). Every stamp (`created`, `modified`, `completed`), the transactions'
   * date filters, KBC's 5-day expiry, the refunds' midnight and the 5-minute identical-refund rule read it.
   * Notifications are still signed with the real time, which the merchant's verification compares with its own.
   */
  clock: {
    /** The mock's time. */
    now(): Date;
    /**
     * Sets the time (a Date, ms, or an ISO 8601 string: give it a zone, `Z` or `+01:00`, or it is read in the
     * process's time zone). Unpaid orders whose 5 days ran out expire (with a
     * notification); refunds made before a midnight passed are settled (with theirs). Resolves with what changed.
     * Throws a RangeError, at once, for what is not a date.
     */
    set(date: Date | string | number): Promise<ClockChange>;
    /** Moves the time `seconds` forward (negative: back), with the same consequences as `set`. Throws a RangeError for a non-finite number. */
    advance(seconds: number): Promise<ClockChange>;
  };
  orders: {
    get(orderId: string): Order | undefined;
    list(): Order[];
    /**
     * What happened to the order, oldest first: its creation, each status change and refund (and who made it:
     * the API, the shopper, a sandbox control or the clock), the method selected, and every notification
     * delivery with its method, URL, attempts and the merchant's answers.
     */
    history(orderId: string): HistoryEntry[];
    /** What MultiSafepay would have ignored in the requests about an order (unknown field names), one line each. */
    ignoredFields(orderId: string): string[];
    /** Why the mock will not deliver this order's notifications (only with the allowNotify option), or null. */
    notificationRefused(orderId: string): string | null;
  };
  /** Forgets every order and its history, and lets the clock follow real time again. */
  reset(): void;
}

export function createMultiSafepayMock(options: SandboxOptions = {}): MultiSafepayMock {
  const sandbox = createSandbox(options);
  // A RegExp, not the `${base}/*` pattern: msw decodes a pattern's path, and throws on a malformed %-escape
  // that the sandbox answers as "not found".
  const handlers = sandbox.bases.map((base) =>
    http.all(new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`), async ({ request }) =>
      sandbox.handle(request),
    ),
  );
  return {
    handlers,
    fetch: async (request) => (await sandbox.handle(request)) ?? toResponse(notFound()),
    pay: sandbox.pay,
    selectMethod: (orderId) => sandbox.selectMethod(orderId, "sandbox"),
    cancel: async (orderId) => {
      await sandbox.controlData(await sandbox.controls.cancel(orderId));
      return sandbox.orders.get(orderId)!;
    },
    refund: async (orderId, refund = {}) => {
      const data = await sandbox.controlData(await sandbox.controls.refund(orderId, refund));
      return { refundId: Number(data.refund_id), order: sandbox.orders.get(orderId)! };
    },
    cancelRefund: async (orderId, refundId) => {
      await sandbox.controlData(await sandbox.controls.cancelRefund(orderId, refundId));
      return sandbox.orders.get(orderId)!;
    },
    clock: { now: sandbox.clock.now, set: sandbox.clock.set, advance: sandbox.clock.advance },
    settleRefunds: sandbox.settleRefunds,
    notificationsDelivered: sandbox.notificationsDelivered,
    orders: sandbox.orders,
    reset: sandbox.reset,
  };
}
