// "multisafepay-kbc/mock": a MultiSafepay sandbox for your tests, derived from the same spec as the client.
// Use `handlers` with msw, or `fetch` as the client's fetch without msw.
import { http, type HttpHandler } from "msw";
import { notFound } from "./errors.js";
import { toResponse } from "./exchange.js";
import {
  createSandbox,
  type NotificationDelivery,
  type PaymentOutcome,
  type PaymentResult,
  type RefundSettlement,
  type SandboxOptions,
} from "./sandbox.js";
import type { Order } from "../types.js";

export type { NotificationDelivery, PaymentOutcome, PaymentResult, RefundSettlement, SandboxOptions as MockOptions };
export type { AmountLimits } from "./payment-methods.js";

export interface MultiSafepayMock {
  /** msw request handlers for the API (the test host by default). */
  handlers: HttpHandler[];
  /** The API as a fetch function: pass it as `createMultiSafepay({ fetch })` to test without msw. */
  fetch: (request: Request) => Promise<Response>;
  /** Plays the shopper's outcome and delivers the notification, if the order has a notification_url. */
  pay(orderId: string, outcome: { status: PaymentOutcome }): Promise<PaymentResult>;
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
  orders: {
    get(orderId: string): Order | undefined;
    list(): Order[];
    /** What MultiSafepay would have ignored in the requests about an order (unknown field names), one line each. */
    ignoredFields(orderId: string): string[];
    /** Why the mock will not deliver this order's notifications (only with the allowNotify option), or null. */
    notificationRefused(orderId: string): string | null;
  };
  /** Forgets every order. */
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
    settleRefunds: sandbox.settleRefunds,
    notificationsDelivered: sandbox.notificationsDelivered,
    orders: sandbox.orders,
    reset: sandbox.reset,
  };
}
