// What a notification says happened to the money, as one discriminated `kind`.
//
// MultiSafepay notifies refunds under the original order's `order_id`, with the original order as the body
// (unverified: no MultiSafepay source shows a refund notification's body; the sandbox sends the original order),
// and keeps `financial_status: "completed"` on a refunded order (its own refunded example shows exactly
// that). A handler that fulfils on every `completed` therefore fulfils again when the shopper is refunded.
// The refund shows in `status` (`partial_refunded`, `refunded`), in `amount_refunded`, and in
// `related_transactions` (`type: "refund"`); this module reads all three, in that order of trust.
//
// A notification describes the order's state, not an event: retries resend the same state, and a refund
// that was cancelled leaves the order `completed` again (with the void refund still listed). Key your
// idempotency on `order_id` and `kind`, and act on a change of kind.
import type { Order } from "./types.js";

export type NotificationOutcomeKind =
  /** The shopper paid and nothing is refunded (void refunds may be listed). */
  | "paid"
  /** Part of the payment is refunded, or being refunded (a `reserved` refund counts). */
  | "partially_refunded"
  /** The whole payment is refunded, or being refunded. */
  | "refunded"
  /** The shopper or the merchant cancelled before paying (`void`, financial status `cancelled` or `void`). */
  | "cancelled"
  /** Not paid in time (KBC: 5 days). */
  | "expired"
  /** The bank or MultiSafepay declined the payment. */
  | "declined"
  /** Not settled yet: `initialized` (the shopper is at the bank), `uncleared`, `reserved`, `shipped`. */
  | "pending"
  /** The payment was charged back (KBC has no chargebacks; cards do). */
  | "chargeback"
  /** A status this module does not know; read `status` and `financialStatus`. */
  | "unknown";

export interface RefundSummary {
  transactionId: string | null;
  /** The refund order's id (`refund_order_id`, or the original order's). */
  orderId: string | null;
  /** Integer cents. */
  amount: number | null;
  /** `reserved` / `initialized` until MultiSafepay passes it to the bank, then `completed`; `void` once cancelled. */
  status: string | null;
}

interface OutcomeFields {
  orderId: string;
  status: string | null;
  financialStatus: string | null;
  /** The order amount, integer cents. */
  amount: number | null;
  /** Integer cents refunded or being refunded; 0 when the body says nothing. */
  amountRefunded: number;
  /** The refunds listed in `related_transactions`, void ones included. */
  refunds: RefundSummary[];
}

export type NotificationOutcome = {
  [K in NotificationOutcomeKind]: OutcomeFields & { kind: K };
}[NotificationOutcomeKind];

const PENDING = new Set(["initialized", "uncleared", "reserved", "shipped"]);
const CANCELLED = new Set(["void", "cancelled"]);
const CHARGEBACK = new Set(["chargeback", "chargedback"]);

/** Reads an order (a POST notification's body, or `orders.get` after a GET notification) into an outcome. */
export function notificationOutcome(order: Order): NotificationOutcome {
  const fields: OutcomeFields = {
    orderId: order.order_id === undefined || order.order_id === null ? "" : String(order.order_id),
    status: typeof order.status === "string" ? order.status : null,
    financialStatus: typeof order.financial_status === "string" ? order.financial_status : null,
    amount: typeof order.amount === "number" ? order.amount : null,
    amountRefunded: typeof order.amount_refunded === "number" && order.amount_refunded > 0 ? order.amount_refunded : 0,
    refunds: refundsOf(order),
  };
  return { ...fields, kind: kindOf(fields) } as NotificationOutcome;
}

function kindOf({ status, financialStatus, amount, amountRefunded, refunds }: OutcomeFields): NotificationOutcomeKind {
  if (status && CHARGEBACK.has(status)) return "chargeback";
  if (status === "refunded") return "refunded";
  if (status === "partial_refunded") return "partially_refunded";
  // Older or partial bodies may keep `completed` while money went back: trust the amounts, then the list.
  const live = refunds.filter((r) => r.status !== "void").reduce((sum, r) => sum + (r.amount ?? 0), 0);
  const back = Math.max(amountRefunded, live);
  if (status === "completed" && back > 0) return amount !== null && back >= amount ? "refunded" : "partially_refunded";
  if (status === "completed") return financialStatus === null || financialStatus === "completed" ? "paid" : "unknown";
  if (status && CANCELLED.has(status)) return "cancelled";
  if (status === "expired") return "expired";
  if (status === "declined") return "declined";
  if (status && PENDING.has(status)) return "pending";
  return "unknown";
}

function refundsOf(order: Order): RefundSummary[] {
  const related = Array.isArray(order.related_transactions) ? order.related_transactions : [];
  return related
    .filter((t) => t && typeof t === "object" && t.type === "refund")
    .map((t) => ({
      transactionId: t.transaction_id === undefined || t.transaction_id === null ? null : String(t.transaction_id),
      orderId: t.order_id === undefined || t.order_id === null ? null : String(t.order_id),
      amount: typeof t.amount === "number" ? Math.abs(t.amount) : null,
      status: typeof t.status === "string" ? t.status : null,
    }));
}
