// notificationOutcome tells a payment from a refund (and the rest) in real notification bodies and in
// the ones the mock sends through a payment's whole life.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { notificationOutcome, type NotificationOutcomeKind } from "../src/notification-outcome.js";
import type { Order } from "../src/types.js";
import { verifyNotification } from "../src/webhooks.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { readFixture, spec } from "./helpers/spec.js";

const body = (fixture: string): Order => {
  const json = JSON.parse(readFixture(fixture));
  return "success" in json ? json.data : json;
};

describe("real bodies", () => {
  it.each<[string, NotificationOutcomeKind]>([
    ["webhook/docs-ideal-initialized.body", "pending"],
    ["webhook/php-sdk-visa-gbp-completed.body", "paid"],
    ["webhook/python-sdk-visa-gbp-completed.body", "paid"],
    ["docs/responses_getOrder.json", "paid"],
    ["php-sdk/credit-card-order.json", "paid"],
    // MultiSafepay's refunded order: status refunded while financial_status stays completed.
    ["docs/responses_getOrder3DS.json", "refunded"],
    ["docs/responses_getOrderFailed3DS.json", "declined"],
    ["php-sdk/order.json", "pending"],
    ["docs/legacy-kbc-direct-response.json", "pending"],
  ])("%s is %s", (fixture, kind) => {
    expect(notificationOutcome(body(fixture)).kind).toBe(kind);
  });

  it("a refunded order is not paid, although its financial_status is completed", () => {
    const order = body("docs/responses_getOrder3DS.json");
    expect(order.financial_status).toBe("completed");
    expect(notificationOutcome(order)).toMatchObject({ kind: "refunded", amount: 200, amountRefunded: 200 });
  });
});

describe("bodies MultiSafepay may send that the fixtures lack", () => {
  const paid = {
    order_id: "o",
    status: "completed",
    financial_status: "completed",
    amount: 1000,
    currency: "EUR",
    amount_refunded: 0,
  };
  it.each<[string, Order, NotificationOutcomeKind]>([
    ["partial_refunded", { ...paid, status: "partial_refunded", amount_refunded: 300 }, "partially_refunded"],
    ["completed with part of the amount refunded", { ...paid, amount_refunded: 300 }, "partially_refunded"],
    [
      "completed with a live refund listed only",
      { ...paid, related_transactions: [{ type: "refund", status: "reserved", amount: 1000 }] },
      "refunded",
    ],
    [
      "completed with only a void refund",
      { ...paid, related_transactions: [{ type: "refund", status: "void", amount: 1000 }] },
      "paid",
    ],
    ["void / cancelled", { ...paid, status: "void", financial_status: "cancelled" }, "cancelled"],
    ["cancelled", { ...paid, status: "cancelled", financial_status: "cancelled" }, "cancelled"],
    ["expired", { ...paid, status: "expired", financial_status: "expired" }, "expired"],
    ["chargeback", { ...paid, status: "chargeback" }, "chargeback"],
    ["chargedback (the PHP SDK's spelling)", { ...paid, status: "chargedback" }, "chargeback"],
    ["uncleared", { ...paid, status: "uncleared", financial_status: "uncleared" }, "pending"],
    ["a status added later", { ...paid, status: "something_new" }, "unknown"],
    // Less than MultiSafepay always sends (its types require status, amount, currency): the reader still copes.
    ["no status", { order_id: "o" } as Order, "unknown"],
  ])("%s", (_name, order, kind) => {
    expect(notificationOutcome(order).kind).toBe(kind);
  });

  const STATUSES = [...spec.components.schemas.OrderStatus.anyOf[0].enum, "something_new", null];
  const KINDS = [
    "paid",
    "partially_refunded",
    "refunded",
    "cancelled",
    "expired",
    "declined",
    "pending",
    "chargeback",
    "unknown",
  ];
  const cents = fc.option(fc.integer({ min: -5, max: 2000 }), { nil: null });
  const related = fc.record(
    {
      type: fc.constantFrom("refund", "capture", "chargeback", null),
      status: fc.constantFrom("reserved", "completed", "void", null),
      amount: cents,
      transaction_id: fc.option(fc.nat(), { nil: null }),
    },
    { requiredKeys: [] },
  );
  const order = fc.record(
    {
      order_id: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.nat()),
      status: fc.constantFrom(...STATUSES),
      financial_status: fc.constantFrom(...STATUSES),
      amount: cents,
      amount_refunded: cents,
      related_transactions: fc.option(fc.array(related, { maxLength: 3 }), { nil: null }),
    },
    { requiredKeys: [] },
  );

  it("lists refunds with their status, and gives a known kind for any order body (fast-check)", () => {
    const outcome = notificationOutcome({
      ...paid,
      status: "partial_refunded",
      amount_refunded: 300,
      related_transactions: [
        { type: "refund", transaction_id: 5, amount: 300, status: "reserved", order_id: "r-1" },
        { type: "capture", amount: 1 },
      ],
    });
    expect(outcome.refunds).toEqual([{ transactionId: "5", orderId: "r-1", amount: 300, status: "reserved" }]);
    fc.assert(
      fc.property(order, (candidate) => {
        const outcome = notificationOutcome(candidate as Order);
        expect(KINDS).toContain(outcome.kind);
        // Money went back whenever the body says so: such an order is never read as simply paid.
        if ((candidate.amount_refunded ?? 0) > 0 && candidate.status === "completed")
          expect(outcome.kind).not.toBe("paid");
      }),
    );
  });
});

describe("the mock's notifications through a payment's life", () => {
  const seen: NotificationOutcomeKind[] = [];
  const mock = createMultiSafepayMock({
    apiKey: API_KEY,
    fetch: async (request) => {
      const order = await verifyNotification({
        body: await request.text(),
        auth: request.headers.get("auth"),
        apiKey: API_KEY,
      });
      seen.push(notificationOutcome(order).kind);
      return new Response("OK");
    },
  });
  afterEach(() => {
    mock.reset();
    seen.length = 0;
  });
  const call = (method: string, path: string, json: unknown) =>
    mock
      .fetch(new Request(`${TEST_BASE}${path}`, { method, headers: { api_key: API_KEY }, body: JSON.stringify(json) }))
      .then((r) => r.json() as Promise<any>);
  const create = (orderId: string) =>
    call("POST", "/orders", {
      ...redirectOrder(),
      order_id: orderId,
      amount: 1000,
      payment_options: { notification_url: "https://shop.example/notify", notification_method: "POST" },
    });

  it("paid, partially refunded, refunded (reserved, then settled), and paid again when a refund is cancelled", async () => {
    await create("life-1");
    await mock.pay("life-1", { status: "completed" });
    // Each call's notification goes out after its answer, concurrently with the next call's: waiting for it
    // keeps the order of `seen` the order of the events on a loaded machine too.
    const first = await call("POST", "/orders/life-1/refunds", { currency: "EUR", amount: 400 });
    await mock.notificationsDelivered();
    await call("PATCH", `/orders/life-1/refunds/${first.data.refund_id}`, { status: "void" });
    await mock.notificationsDelivered();
    await call("POST", "/orders/life-1/refunds", { currency: "EUR", amount: 250 });
    await mock.notificationsDelivered();
    await call("POST", "/orders/life-1/refunds", { currency: "EUR" });
    await mock.notificationsDelivered();
    await mock.settleRefunds();
    expect(seen).toEqual(["paid", "partially_refunded", "paid", "partially_refunded", "refunded", "refunded"]);
  });

  it("cancelled by the merchant, cancelled, expired and declined by the shopper", async () => {
    await create("life-2");
    await call("PATCH", "/orders/life-2", { status: "cancelled", exclude_order: true });
    await mock.notificationsDelivered();
    for (const status of ["cancelled", "expired", "declined"] as const) {
      await create(`life-${status}`);
      await mock.pay(`life-${status}`, { status });
    }
    expect(seen).toEqual(["cancelled", "cancelled", "expired", "declined"]);
  });
});
