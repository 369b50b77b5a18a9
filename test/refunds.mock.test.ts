// The mock's refunds and cancellations, over plain fetch against `mock.fetch`: MultiSafepay's rules
// (content/refunds.md), its error codes, its notifications, and every answer checked against the spec.
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { cancelOrderIssues, cancelRefundIssues, refundIssues } from "../src/mock/bodies.js";
import type { Order } from "../src/types.js";
import { verifyNotification } from "../src/webhooks.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { arbitraryFor } from "./helpers/arbitraries.js";
import { schemaRef, spec, validateAt } from "./helpers/spec.js";

interface Received {
  transactionid: string | null;
  order: Order;
}
const received: Received[] = [];
const mock = createMultiSafepayMock({
  apiKey: API_KEY,
  // The merchant's notification endpoint: verifies each signed POST and keeps what it saw.
  fetch: async (request) => {
    const order = (await verifyNotification({
      body: await request.text(),
      auth: request.headers.get("auth"),
      apiKey: API_KEY,
    })) as Order;
    received.push({ transactionid: new URL(request.url).searchParams.get("transactionid"), order });
    return new Response("OK");
  },
});
let checked = 0;

afterEach(() => {
  mock.reset();
  received.length = 0;
});
afterAll(() => expect(checked).toBeGreaterThanOrEqual(40));

/** One API call through `mock.fetch`; the answer must be one the spec allows for it. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const init = {
    method,
    headers: { api_key: API_KEY, "content-type": "application/json" },
    body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
  };
  const response = await mock.fetch(new Request(`${TEST_BASE}${path}`, init));
  // Notifications for API calls go out after the answer; these tests read what the merchant received.
  await mock.notificationsDelivered();
  const json = await expectConformingAnswer(new Request(`${TEST_BASE}${path}`, { method }), response);
  checked++;
  return { status: response.status, body: json };
}

const order = (orderId: string) => mock.orders.get(orderId)!;
const refund = (orderId: string, body: unknown) => api("POST", `/orders/${encodeURIComponent(orderId)}/refunds`, body);
const cancelRefund = (orderId: string, refundId: unknown, body: unknown = { status: "void" }) =>
  api("PATCH", `/orders/${encodeURIComponent(orderId)}/refunds/${refundId}`, body);
const cancelOrder = (orderId: string, body: unknown = { status: "cancelled", exclude_order: true }) =>
  api("PATCH", `/orders/${encodeURIComponent(orderId)}`, body);

/** A €10.00 KBC order that notifies by signed POST, paid when `paid`. */
async function createOrder(orderId: string, { paid }: { paid: boolean }): Promise<void> {
  const request = {
    ...redirectOrder(),
    order_id: orderId,
    amount: 1000,
    payment_options: { notification_url: "https://shop.example/notify", notification_method: "POST" as const },
  };
  expect((await api("POST", "/orders", request)).status).toBe(200);
  if (paid) await mock.pay(orderId, { status: "completed" });
  received.length = 0;
}

describe("refunds", () => {
  it("refunds part of a completed order: initialized (KBC's status table), in related_transactions and amount_refunded, notified under the order", async () => {
    await createOrder("o-1", { paid: true });
    const { status, body } = await refund("o-1", { currency: "EUR", amount: 300, description: "One item back" });
    expect(status).toBe(200);
    expect(body.data).toEqual({
      transaction_id: order("o-1").transaction_id,
      refund_id: expect.any(Number),
      order_id: "o-1",
    });
    expect(order("o-1")).toMatchObject({
      status: "partial_refunded",
      financial_status: "completed",
      amount_refunded: 300,
    });
    expect(order("o-1").related_transactions).toEqual([
      expect.objectContaining({
        transaction_id: body.data.refund_id,
        type: "refund",
        status: "initialized",
        amount: 300,
        currency: "EUR",
        description: "One item back",
        order_id: "o-1",
      }),
    ]);
    expect(received).toEqual([
      {
        transactionid: "o-1",
        order: expect.objectContaining({ order_id: "o-1", status: "partial_refunded", amount_refunded: 300 }),
      },
    ]);
    // What the merchant fetches agrees with what was notified.
    expect((await api("GET", "/orders/o-1")).body.data).toMatchObject({
      amount_refunded: 300,
      related_transactions: [expect.objectContaining({ status: "initialized" })],
    });
  });

  it("refunds what is left when the amount is omitted, then refuses any further refund with 1034", async () => {
    await createOrder("o-2", { paid: true });
    await refund("o-2", { currency: "EUR", amount: 400 });
    expect((await refund("o-2", { currency: "EUR" })).status).toBe(200);
    expect(order("o-2")).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(order("o-2").related_transactions?.map((t) => t.amount)).toEqual([400, 600]);
    expect(await refund("o-2", { currency: "EUR", amount: 1 })).toMatchObject({
      status: 404,
      body: { success: false, error_code: 1034 },
    });
  });

  it.each([
    ["initialized", undefined],
    ["void", "void"],
    ["expired", "expired"],
    ["declined", "declined"],
  ] as const)("refuses to refund an order that is %s (404 / 1034), and changes nothing", async (_name, outcome) => {
    await createOrder("o-3", { paid: false });
    if (outcome) await mock.pay("o-3", { status: outcome });
    received.length = 0;
    const before = order("o-3");
    expect(await refund("o-3", { currency: "EUR", amount: 100 })).toMatchObject({
      status: 404,
      body: { error_code: 1034 },
    });
    expect(order("o-3")).toEqual(before);
    expect(received).toEqual([]);
  });

  it("refuses more than what is left with 1034 (MultiSafepay's error reference), and nothing is refunded", async () => {
    await createOrder("o-4", { paid: true });
    await refund("o-4", { currency: "EUR", amount: 700 });
    received.length = 0;
    const before = order("o-4");
    expect(await refund("o-4", { currency: "EUR", amount: 301 })).toMatchObject({
      status: 404,
      body: { error_code: 1034 },
    });
    expect(order("o-4")).toEqual(before);
    expect(received).toEqual([]);
    expect((await refund("o-4", { currency: "EUR", amount: 300 })).status).toBe(200);
  });

  it("never refunds more than the order, whatever the sequence of refunds and cancellations (fast-check)", async () => {
    // A step is a refund of what is left plus `near` (the boundary), a refund of any amount, or a cancellation.
    const step = fc.oneof(
      fc.record({ near: fc.integer({ min: -2, max: 2 }) }),
      fc.integer({ min: 1, max: 1200 }),
      fc.constant("cancel" as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 8 }), async (steps) => {
        mock.reset();
        await createOrder("o-p", { paid: true });
        let left = 1000;
        const live: { id: number; amount: number }[] = [];
        for (const [i, next] of steps.entries()) {
          const step = typeof next === "object" ? Math.max(1, left + next.near) : next;
          if (step === "cancel") {
            const last = live.pop();
            if (!last) continue;
            expect((await cancelRefund("o-p", last.id)).status).toBe(200);
            left += last.amount;
            continue;
          }
          // A distinct description each time, so MultiSafepay's 5-minute duplicate rule stays out of the way.
          const answer = await refund("o-p", { currency: "EUR", amount: step, description: `step ${i}` });
          if (step <= left) {
            expect(answer.status).toBe(200);
            live.push({ id: answer.body.data.refund_id, amount: step });
            left -= step;
          } else {
            expect(answer.body.error_code).toBe(1034);
          }
          expect(order("o-p").amount_refunded).toBe(1000 - left);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("refuses the same refund again within 5 minutes (1034), as MultiSafepay does", async () => {
    await createOrder("o-5", { paid: true });
    await refund("o-5", { currency: "EUR", amount: 100, description: "Postage" });
    expect(await refund("o-5", { currency: "EUR", amount: 100, description: "Postage" })).toMatchObject({
      status: 404,
      body: { error_code: 1034 },
    });
    expect((await refund("o-5", { currency: "EUR", amount: 100, description: "Postage, second parcel" })).status).toBe(
      200,
    );
  });

  it("ignores a misspelt field as MultiSafepay does: `ammount` refunds everything, and the order says why", async () => {
    await createOrder("o-7", { paid: true });
    expect((await refund("o-7", { currency: "EUR", ammount: 100 })).status).toBe(200);
    expect(order("o-7")).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(mock.orders.ignoredFields("o-7")).toEqual([
      'ignored ammount: not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "amount"?',
    ]);
  });

  it("answers an unknown order with 404 / 1006", async () => {
    expect(await refund("nope", { currency: "EUR", amount: 100 })).toMatchObject({
      status: 404,
      body: { error_code: 1006 },
    });
  });

  it.each([
    ["an amount in euros", 1001, { currency: "EUR", amount: 2.5 }],
    ["an amount as a string", 1001, { currency: "EUR", amount: "100" }],
    ["another currency", 1002, { currency: "USD", amount: 100 }],
    ["no currency", 1002, { amount: 100 }],
    ["a 201-character description", 1008, { currency: "EUR", description: "x".repeat(201) }],
    ["a body that is not JSON", 1016, '{"currency":'],
  ])("refuses %s with 400 / %i, and refunds nothing", async (_name, errorCode, body) => {
    await createOrder("o-6", { paid: true });
    expect(await refund("o-6", body)).toMatchObject({ status: 400, body: { success: false, error_code: errorCode } });
    expect(order("o-6")).toMatchObject({ status: "completed", amount_refunded: 0, related_transactions: null });
  });
});

describe("cancelling a refund", () => {
  it("works while it is initialized: the refund is void, the amount refundable again, and the order notified", async () => {
    await createOrder("c-1", { paid: true });
    const { body } = await refund("c-1", { currency: "EUR", amount: 1000 });
    received.length = 0;
    expect(
      await cancelRefund("c-1", body.data.refund_id, { status: "void", description: "Refunded by mistake" }),
    ).toEqual({ status: 200, body: { success: true, data: {} } });
    expect(order("c-1")).toMatchObject({
      status: "completed",
      amount_refunded: 0,
      related_transactions: [expect.objectContaining({ status: "void" })],
    });
    expect(received).toEqual([
      { transactionid: "c-1", order: expect.objectContaining({ status: "completed", amount_refunded: 0 }) },
    ]);
    expect((await refund("c-1", { currency: "EUR", amount: 1000 })).status).toBe(200);
  });

  it("is refused once the refund is settled or already cancelled (404 / 1000), and for an unknown refund (410 / 1000)", async () => {
    await createOrder("c-2", { paid: true });
    const first = (await refund("c-2", { currency: "EUR", amount: 100 })).body.data.refund_id;
    const second = (await refund("c-2", { currency: "EUR", amount: 200 })).body.data.refund_id;
    await cancelRefund("c-2", second);
    expect(await cancelRefund("c-2", second)).toMatchObject({ status: 404, body: { error_code: 1000 } });
    await mock.settleRefunds();
    expect(await cancelRefund("c-2", first)).toMatchObject({ status: 404, body: { error_code: 1000 } });
    expect(await cancelRefund("c-2", "999")).toMatchObject({ status: 410, body: { error_code: 1000 } });
    expect(await cancelRefund("nope", first)).toMatchObject({ status: 410, body: { error_code: 1000 } });
    expect(await cancelRefund("c-2", first, { status: "cancelled" })).toMatchObject({
      status: 400,
      body: { error_code: 1016 },
    });
  });
});

describe("settleRefunds()", () => {
  it("completes every initialized refund, notifies each order once, and leaves nothing to settle", async () => {
    await createOrder("s-1", { paid: true });
    await createOrder("s-2", { paid: true });
    const a = (await refund("s-1", { currency: "EUR", amount: 100 })).body.data.refund_id;
    const b = (await refund("s-1", { currency: "EUR", amount: 200 })).body.data.refund_id;
    const c = (await refund("s-2", { currency: "EUR" })).body.data.refund_id;
    received.length = 0;
    const settled = await mock.settleRefunds();
    expect(settled.map((s) => s.refundId).sort()).toEqual([a, b, c].sort());
    expect(settled.every((s) => s.notification?.acknowledged)).toBe(true);
    expect(received.map((r) => r.transactionid).sort()).toEqual(["s-1", "s-2"]);
    expect(order("s-1").related_transactions?.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(order("s-2")).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(await mock.settleRefunds()).toEqual([]);
  });
});

describe("cancelling an order", () => {
  it("works while it is initialized: void / void (KBC's status table), and notified", async () => {
    await createOrder("x-1", { paid: false });
    expect(await cancelOrder("x-1")).toEqual({ status: 200, body: { success: true, data: {} } });
    expect(order("x-1")).toMatchObject({ status: "void", financial_status: "void" });
    expect(received).toEqual([
      { transactionid: "x-1", order: expect.objectContaining({ status: "void", financial_status: "void" }) },
    ]);
    await expect(mock.pay("x-1", { status: "completed" })).rejects.toThrow(/already void/);
  });

  it("is refused for a paid or cancelled order (404 / 1000), an unknown one (410 / 1000) and a bad body (400)", async () => {
    await createOrder("x-2", { paid: true });
    expect(await cancelOrder("x-2")).toMatchObject({ status: 404, body: { error_code: 1000 } });
    expect(order("x-2").status).toBe("completed");
    await createOrder("x-3", { paid: false });
    await cancelOrder("x-3");
    expect(await cancelOrder("x-3")).toMatchObject({ status: 404, body: { error_code: 1000 } });
    expect(await cancelOrder("nope")).toMatchObject({ status: 410, body: { error_code: 1000 } });
    await createOrder("x-4", { paid: false });
    expect(await cancelOrder("x-4", { status: "shipped", exclude_order: true })).toMatchObject({ status: 400 });
    expect(order("x-4").status).toBe("initialized");
    // MultiSafepay requires only `status`; `exclude_order` is optional, and the Node wrapper's `plugin` is ignored.
    expect(await cancelOrder("x-4", { status: "cancelled", plugin: { shop: "x" } })).toMatchObject({ status: 200 });
  });
});

describe("the mock's body checks agree with the spec's schemas", () => {
  const BOUNDARIES: unknown[] = [
    "EUR",
    "USD",
    "eur",
    "void",
    "cancelled",
    "",
    "x",
    ...[50, 51, 200, 201, 500, 501].map((n) => "é".repeat(n)),
    0,
    1,
    -1,
    1.5,
    9007199254740991,
    9007199254740992,
    true,
    false,
    null,
    {},
    [],
  ];
  // Boundary values weigh as much as random ones: the lengths and limits are where a hand check drifts.
  const boundaries = fc.constantFrom(...BOUNDARIES);
  const value = fc.oneof(boundaries, fc.string({ maxLength: 60 }), fc.integer({ min: -2, max: 2000 }), fc.double());
  // Valid bodies (generated from the schema), the same with one field changed or dropped, and anything at all.
  const body = (schema: string, keys: string[]) => {
    const valid = arbitraryFor(spec.components.schemas[schema]) as fc.Arbitrary<Record<string, unknown>>;
    const changed = fc
      .tuple(valid, fc.constantFrom(...keys), fc.option(value, { nil: undefined }))
      .map(([base, key, v]) => {
        const copy: Record<string, unknown> = { ...base, [key]: v };
        if (v === undefined) delete copy[key];
        return copy;
      });
    return fc.oneof(
      valid,
      changed,
      changed,
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }),
      fc.constant([]),
      fc.constant(null),
    );
  };
  it.each([
    [
      "RefundRequest",
      refundIssues,
      ["currency", "amount", "description", "refund_order_id", "var1", "var2", "var3", "checkout_data"],
    ],
    ["CancelRefundRequest", cancelRefundIssues, ["status", "description", "reason"]],
    ["CancelOrderRequest", cancelOrderIssues, ["status", "exclude_order", "reason"]],
  ] as const)("%s: every boundary value in every field of a valid body", (schema, issues, keys) => {
    const base = spec.components.schemas[schema].examples[0] as Record<string, unknown>;
    for (const key of keys) {
      for (const v of [...BOUNDARIES, undefined]) {
        const candidate: Record<string, unknown> = { ...base, [key]: v };
        if (v === undefined) delete candidate[key];
        expect(issues(candidate).length === 0, `${key}: ${JSON.stringify(v)}`).toBe(
          validateAt(schemaRef(schema), candidate).valid,
        );
      }
    }
  });

  it.each([
    [
      "RefundRequest",
      refundIssues,
      ["currency", "amount", "description", "refund_order_id", "var1", "var2", "var3", "checkout_data"],
    ],
    ["CancelRefundRequest", cancelRefundIssues, ["status", "description", "reason"]],
    ["CancelOrderRequest", cancelOrderIssues, ["status", "exclude_order", "reason"]],
  ] as const)("%s: random bodies", (schema, issues, keys) => {
    fc.assert(
      fc.property(body(schema, [...keys]), (candidate) => {
        expect(issues(candidate).length === 0).toBe(validateAt(schemaRef(schema), candidate).valid);
      }),
      { numRuns: 500 },
    );
  });
});
