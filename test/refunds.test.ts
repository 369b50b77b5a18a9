// msp.refunds and msp.orders.cancel against the mock (msw, onUnhandledRequest "error"), over both transports.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay, TRANSPORT } from "./helpers/client.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { createMultiSafepayMock } from "../src/mock/index.js";

const notified: string[] = [];
// The merchant's notification endpoint acknowledges everything; the mock delivers to it, not through msw.
const mock = createMultiSafepayMock({
  apiKey: API_KEY,
  fetch: async (request) => (notified.push(request.url), new Response("OK")),
});
const server = setupServer(...mock.handlers);
const answers: Promise<unknown>[] = [];
server.events.on("response:mocked", ({ request, response }) => {
  if (request.url.startsWith(TEST_BASE)) answers.push(expectConformingAnswer(request, response));
});
const sent: string[] = [];
server.events.on(
  "request:start",
  ({ request }) => void sent.push(`${request.method} ${new URL(request.url).pathname}`),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  await mock.notificationsDelivered();
  await Promise.all(answers.splice(0));
  mock.reset();
  sent.length = 0;
  notified.length = 0;
});
afterAll(() => server.close());

const msp = () => createMultiSafepay({ apiKey: API_KEY, environment: "test" });
async function paidOrder(orderId = "paid-1", amount = 1000) {
  await msp().orders.create({ ...redirectOrder(), order_id: orderId, amount });
  await mock.pay(orderId, { status: "completed" });
  return orderId;
}

describe(`refunds (${TRANSPORT})`, () => {
  it("refunds part of a paid order, shows it on the order, and cancels it while initialized", async () => {
    const orderId = await paidOrder();
    const refund = await msp().refunds.create(orderId, { currency: "EUR", amount: 400, description: "one item back" });
    expect(refund.refund_id).toBeDefined();
    const order = await msp().orders.get(orderId);
    expect(order.amount_refunded).toBe(400);
    expect(order.related_transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ amount: 400, status: "initialized" })]),
    );

    await msp().refunds.cancel(orderId, refund.refund_id!, { description: "issued by mistake" });
    expect((await msp().orders.get(orderId)).amount_refunded).toBe(0);
  });

  it("refuses a refund of more than what is left, and nothing is refunded", async () => {
    const orderId = await paidOrder();
    await msp().refunds.create(orderId, { currency: "EUR", amount: 700 });
    const error = await caught(msp().refunds.create(orderId, { currency: "EUR", amount: 301 }));
    expect(error).toMatchObject({ code: "api_error", errorCode: 1034 });
    expect((await msp().orders.get(orderId)).amount_refunded).toBe(700);
  });

  it("refuses a refund of an unpaid order", async () => {
    await msp().orders.create({ ...redirectOrder(), order_id: "unpaid" });
    expect(await caught(msp().refunds.create("unpaid", { currency: "EUR" }))).toMatchObject({
      code: "api_error",
      errorCode: 1034,
    });
  });

  it("checks the refund before sending: amount 0, another currency, a misspelt field", async () => {
    const error = await caught(msp().refunds.create("x", { currency: "USD", amount: 0, descripton: "x" } as never));
    expect(error).toMatchObject({ code: "validation_error" });
    expect((error as unknown as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      "/amount",
      "/currency",
      "/descripton",
    ]);
    expect(await caught(msp().refunds.cancel("x", ".."))).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/refund_id" }],
    });
    expect(sent).toEqual([]);
  });
});

describe(`cancelling an order (${TRANSPORT})`, () => {
  it("cancels an unpaid order: void / void (KBC's status table)", async () => {
    await msp().orders.create({ ...redirectOrder(), order_id: "abandoned" });
    await msp().orders.cancel("abandoned");
    await mock.notificationsDelivered();
    expect(await msp().orders.get("abandoned")).toMatchObject({ status: "void", financial_status: "void" });
    expect(sent).toContain("PATCH /v1/json/orders/abandoned");
    expect(notified).toEqual([expect.stringContaining("transactionid=abandoned")]);
  });

  it("refuses to cancel a paid order", async () => {
    const orderId = await paidOrder();
    expect(await caught(msp().orders.cancel(orderId))).toMatchObject({ code: "api_error" });
    expect((await msp().orders.get(orderId)).status).toBe("completed");
  });
});

describe(`what is checked is what is sent (${TRANSPORT})`, () => {
  const refundCalls = () => sent.filter((line) => line.endsWith("/refunds"));

  it.each<[string, () => unknown]>([
    [
      "an amount behind a getter (JSON.stringify would drop it)",
      () =>
        new (class {
          currency = "EUR";
          #cents = 500;
          get amount() {
            return this.#cents;
          }
        })(),
    ],
    ["an inherited amount", () => Object.assign(Object.create({ amount: 500 }), { currency: "EUR" })],
    ["a non-enumerable amount", () => Object.defineProperty({ currency: "EUR" }, "amount", { value: 500 })],
    ["a toJSON that drops the amount", () => ({ currency: "EUR", amount: 500, toJSON: () => ({ currency: "EUR" }) })],
  ])("never turns %s into a full refund", async (_name, make) => {
    const orderId = await paidOrder();
    // Each of these is { currency } on the wire, a full refund: refused, since the caller meant an amount.
    const error = await caught(msp().refunds.create(orderId, make() as never));
    expect(error).toMatchObject({
      code: "validation_error",
      issues: [
        { path: "/amount", message: expect.stringMatching(/^is (undefined|not in the JSON that would be sent)/) },
      ],
    });
    expect(refundCalls()).toEqual([]);
    expect((await msp().orders.get(orderId)).amount_refunded).toBe(0);
  });

  it("checks and sends an order as its JSON: a getter's value is what goes out", async () => {
    const order = Object.defineProperty({ ...redirectOrder(), order_id: "json-1" }, "description", {
      get: () => "from a getter",
      enumerable: true,
    });
    await msp().orders.create(order);
    expect((await msp().orders.get("json-1")).description).toBe("from a getter");
    const hidden = Object.defineProperty({ ...redirectOrder(), order_id: "json-2" }, "description", {
      value: "hidden",
      enumerable: false,
    });
    expect(await caught(msp().orders.create(hidden as never))).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/description", message: "is required" }],
    });
  });

  it("refuses an amount that came out undefined (a failed lookup would refund the whole order)", async () => {
    const orderId = await paidOrder();
    const lines = [{ id: "a", cents: 300 }];
    const error = await caught(
      msp().refunds.create(orderId, { currency: "EUR", amount: lines.find((l) => l.id === "b")?.cents } as never),
    );
    expect(error).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/amount", message: expect.stringContaining("is undefined") }],
    });
    expect(refundCalls()).toEqual([]);
  });

  it("refuses a refund without amount that carries unknown names, even with allowUnknownFields, and never suggests the option there", async () => {
    const orderId = await paidOrder();
    const typo = await caught(msp().refunds.create(orderId, { currency: "EUR", ammount: 100 } as never));
    expect(typo.message).toContain('did you mean "amount"?');
    const unlike = await caught(msp().refunds.create(orderId, { currency: "EUR", refund_cents: 100 } as never));
    expect(unlike.message).not.toContain("allowUnknownFields");
    const allowed = await caught(
      msp().refunds.create(orderId, { currency: "EUR", ammount: 100 } as never, { allowUnknownFields: true }),
    );
    expect(allowed).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/amount", message: expect.stringContaining("MultiSafepay would refund the whole order") }],
    });
    expect(refundCalls()).toEqual([]);
    // With an amount, an unknown name is sent when the call allows it.
    await msp().refunds.create(orderId, { currency: "EUR", amount: 100, new_field: "x" } as never, {
      allowUnknownFields: true,
    });
    expect(refundCalls()).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ["a lone surrogate (not UTF-8)", { currency: "EUR", amount: 100, description: "\udfff" }],
    ["a BigInt", { currency: "EUR", amount: 100n }],
    ["NaN (null on the wire)", { currency: "EUR", amount: Number.NaN }],
    ["Infinity (null on the wire)", { currency: "EUR", amount: Number.POSITIVE_INFINITY }],
    ["-0", { currency: "EUR", amount: -0 }],
  ])("refuses %s, and sends nothing", async (_name, body) => {
    const orderId = await paidOrder();
    expect(await caught(msp().refunds.create(orderId, body as never))).toMatchObject({ code: "validation_error" });
    expect(refundCalls()).toEqual([]);
  });
});

describe(`msp.api checks every body as the resource methods do (${TRANSPORT})`, () => {
  it("refuses a refund of 0, a misspelt refund field and a misspelt cancellation field before sending", async () => {
    const orderId = await paidOrder();
    const api = msp().api;
    const refund = (body: unknown) =>
      api.POST("/orders/{order_id}/refunds", { params: { path: { order_id: orderId } }, body: body as never });
    expect(await caught(refund({ currency: "EUR", amount: 0 }))).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/amount" }],
    });
    expect(await caught(refund({ currency: "EUR", ammount: 100 }))).toMatchObject({ code: "validation_error" });
    const cancel = await caught(
      api.PATCH("/orders/{order_id}/refunds/{refund_id}", {
        params: { path: { order_id: orderId, refund_id: "1" } },
        body: { status: "void", descripton: "x" } as never,
      }),
    );
    expect(cancel).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/descripton", message: 'is not a field; did you mean "description"?' }],
    });
    expect(sent.filter((line) => !line.startsWith("GET") && !line.endsWith("/orders"))).toEqual([]);
  });

  it("sends a checked refund, and an unknown name with withOptions({ allowUnknownFields: true })", async () => {
    const orderId = await paidOrder();
    const { data } = await msp()
      .api.withOptions({ allowUnknownFields: true })
      .POST("/orders/{order_id}/refunds", {
        params: { path: { order_id: orderId } },
        body: { currency: "EUR", amount: 100, new_field: 1 } as never,
      });
    expect(data?.success).toBe(true);
    expect((await msp().orders.get(orderId)).amount_refunded).toBe(100);
  });
});
