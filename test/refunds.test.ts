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
const mock = createMultiSafepayMock({ apiKey: API_KEY, fetch: async (request) => (notified.push(request.url), new Response("OK")) });
const server = setupServer(...mock.handlers);
const answers: Promise<unknown>[] = [];
server.events.on("response:mocked", ({ request, response }) => {
  if (request.url.startsWith(TEST_BASE)) answers.push(expectConformingAnswer(request, response));
});
const sent: string[] = [];
server.events.on("request:start", ({ request }) => void sent.push(`${request.method} ${new URL(request.url).pathname}`));
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
    expect(order.related_transactions).toEqual(expect.arrayContaining([expect.objectContaining({ amount: 400, status: "initialized" })]));

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
    expect(await caught(msp().refunds.create("unpaid", { currency: "EUR" }))).toMatchObject({ code: "api_error", errorCode: 1034 });
  });

  it("checks the refund before sending: amount 0, another currency, a misspelt field", async () => {
    const error = await caught(msp().refunds.create("x", { currency: "USD", amount: 0, descripton: "x" } as never));
    expect(error).toMatchObject({ code: "validation_error" });
    expect((error as unknown as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(["/amount", "/currency", "/descripton"]);
    expect(await caught(msp().refunds.cancel("x", ".."))).toMatchObject({ code: "validation_error", issues: [{ path: "/refund_id" }] });
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
