// The in-memory orders: what MultiSafepay stores when an order is created, and how a payment outcome
// moves its statuses.
import type { DirectOrderCreated, Order, OrderRequest, RedirectOrderCreated } from "../types.js";

export type PaymentOutcome = "completed" | "void" | "cancelled" | "expired" | "declined";

/**
 * status and financial_status after each outcome. KBC's own status table (docs content/payment-methods/cbc-kbc.md,
 * "Payment statuses") puts a transaction "cancelled by you or the customer" at Void / Void, where the generic
 * table has void / cancelled; the sandbox's orders are all KBC/CBC, so it follows KBC's.
 */
export const OUTCOMES: Record<PaymentOutcome, { status: string; financial_status: string; reason: string }> = {
  completed: { status: "completed", financial_status: "completed", reason: "SUCCESS" },
  void: { status: "void", financial_status: "void", reason: "" },
  cancelled: { status: "void", financial_status: "void", reason: "Cancelled by customer" },
  expired: { status: "expired", financial_status: "expired", reason: "Expired" },
  declined: { status: "declined", financial_status: "declined", reason: "Declined" },
};

export interface StoredOrder {
  request: OrderRequest;
  order: Order & { order_id: string; transaction_id: number };
  paymentUrl: string;
  sessionId: string;
  /** The key that created the order signs its notifications (MultiSafepay signs with the website key). */
  apiKey: string;
  /** Fields of the requests about this order that MultiSafepay ignores (see bodies.ts ignoredFields). */
  ignored: string[];
  /** Set when the sandbox may not deliver to the order's notification_url (see SandboxOptions.allowNotify): why. */
  notificationRefused?: string;
  /**
   * When an unpaid order expires (ms, the sandbox's clock): KBC/CBC transactions expire after 5 days, counted
   * from the create-order request for a direct order and from the moment the shopper selects the payment method
   * on the payment page for a redirect order (MultiSafepay docs api/general/transaction-expiration.md). Unset:
   * a redirect order whose method is not chosen yet.
   */
  expiresAt?: number;
}

/** KBC/CBC's transaction expiration time (docs api/general/transaction-expiration.md: "CBC/KBC | 5 days"). */
export const KBC_EXPIRY_MS = 5 * 24 * 60 * 60 * 1000;

const COUNTRY_NAMES: Record<string, string> = {
  BE: "Belgium",
  NL: "The Netherlands",
  FR: "France",
  DE: "Germany",
  LU: "Luxembourg",
};

/**
 * MultiSafepay's timestamps: ISO 8601 without a time zone. MultiSafepay (in Amsterdam) does not state the
 * zone; the sandbox uses Amsterdam time, so that "yesterday" has to be counted there, as it would be live.
 */
const AMSTERDAM = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export function localTime(date = new Date()): string {
  // Formatting is a good part of an order's creation: the text of the last second asked for is kept.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = AMSTERDAM.format(date).replace(" ", "T");
    lastSecond = second;
  }
  return lastText;
}
let lastSecond = Number.NaN;
let lastText = "";

/** `local`: the sandbox's own shopper page base; every flow's payment_url then opens there. */
export function newOrder(
  request: OrderRequest,
  ids: { transactionId: number; sessionId: string },
  hosts: { payment: string; local?: string },
  apiKey: string,
  at: number = Date.now(),
): StoredOrder {
  const now = localTime(new Date(at));
  const customer = request.customer ?? {};
  const locale = customer.locale ?? "en_US";
  const bankHost = request.gateway === "CBC" ? "https://www.cbc.be" : "https://www.kbc.be";
  const paymentUrl = hosts.local
    ? `${hosts.local}/${ids.sessionId}?lang=${locale}`
    : request.type === "direct"
      ? `${bankHost}/olpayment?langWebSite=${locale.startsWith("fr") ? "F" : "N"}&olpId=S132&olpCtx=${ids.sessionId}`
      : `${hosts.payment}/connect/${ids.sessionId}/?lang=${locale}`;
  const order: StoredOrder["order"] = {
    transaction_id: ids.transactionId,
    order_id: String(request.order_id),
    status: "initialized",
    financial_status: "initialized",
    reason: "",
    reason_code: "",
    amount: request.amount,
    amount_refunded: 0,
    currency: request.currency,
    description: request.description,
    items: null,
    created: now,
    modified: now,
    fastcheckout: "NO",
    costs: [],
    custom_info: {
      custom_1: request.custom_info?.custom_1 ?? null,
      custom_2: request.custom_info?.custom_2 ?? null,
      custom_3: request.custom_info?.custom_3 ?? null,
    },
    customer: {
      locale,
      first_name: customer.first_name ?? null,
      last_name: customer.last_name ?? null,
      address1: customer.address1 ?? null,
      address2: customer.address2 ?? null,
      house_number: customer.house_number ?? null,
      zip_code: customer.zip_code ?? null,
      city: customer.city ?? null,
      state: customer.state ?? null,
      country: customer.country ?? null,
      country_name: customer.country ? (COUNTRY_NAMES[customer.country] ?? null) : null,
      email: customer.email ?? "",
      phone1: customer.phone ?? null,
      phone2: "",
    },
    payment_details: {
      type: request.gateway,
      account_holder_name: null,
      account_id: null,
      account_iban: null,
      external_transaction_id: null,
      recurring_id: null,
      recurring_model: null,
    },
    payment_methods: [
      {
        type: request.gateway,
        status: "initialized",
        amount: request.amount,
        currency: request.currency,
        description: request.description,
        payment_description: request.gateway,
        external_transaction_id: null,
      },
    ],
    related_transactions: null,
    var1: request.var1 ?? null,
    var2: request.var2 ?? null,
    var3: request.var3 ?? null,
  };
  return {
    request,
    order,
    paymentUrl,
    sessionId: ids.sessionId,
    apiKey,
    ignored: [],
    ...(request.type === "direct" ? { expiresAt: at + KBC_EXPIRY_MS } : {}),
  };
}

export function createdAnswer(stored: StoredOrder): RedirectOrderCreated | DirectOrderCreated {
  if (stored.request.type === "direct") return { ...stored.order, payment_url: stored.paymentUrl };
  return { order_id: stored.order.order_id, payment_url: stored.paymentUrl, session_id: stored.sessionId };
}

/**
 * The fee on a completed KBC payment, in decimal euros. Illustrative: MultiSafepay's KBC fee depends on the
 * merchant's contract and no source states one. It is whole on purpose: a decimal-euro field is a float,
 * which MultiSafepay's PHP backend writes `1.0`, and `JSON.parse` + `JSON.stringify` turns that into `1`, so
 * every completed-payment notification shows a handler that re-serializes before verifying (php-json.ts).
 */
export const KBC_FEE_EUROS = 1.0;

/** Applies the shopper's outcome. KBC charges a fee on completed payments, reported in decimal euros. */
export function applyOutcome(
  stored: StoredOrder,
  outcome: PaymentOutcome,
  externalId: string,
  at: number = Date.now(),
): void {
  const { status, financial_status, reason } = OUTCOMES[outcome];
  const now = localTime(new Date(at));
  const { order } = stored;
  Object.assign(order, { status, financial_status, reason, modified: now });
  for (const method of order.payment_methods ?? []) method.status = status;
  if (outcome === "completed") {
    order.completed = now;
    order.costs = [
      {
        transaction_id: order.transaction_id,
        amount: KBC_FEE_EUROS,
        description: `${KBC_FEE_EUROS.toFixed(2)} For KBC Transactions`,
        type: "SYSTEM",
      },
    ];
    order.payment_details = {
      ...order.payment_details,
      external_transaction_id: externalId,
      account_holder_name: "Test Shopper",
      account_iban: "BE68539007547034",
    };
    for (const method of order.payment_methods ?? []) method.external_transaction_id = externalId;
  }
}
