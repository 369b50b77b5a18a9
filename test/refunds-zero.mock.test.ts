// A refund with `amount: 0` refunds what is left, as one without `amount` does: "A full refund will be processed
// if the `amount` parameter is omitted, left empty, or set to 0" (MultiSafepay docs
// openapi/components/requestBody/Refund.yaml; the PHP SDK's USAGE.md refunds with `new Amount(0)`).
// The spec takes 0 (MultiSafepay's layer); only the typed client's guard refuses it (test/refunds.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { acknowledgeNotifications, API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";

const mock = createMultiSafepayMock({ apiKey: API_KEY, fetch: acknowledgeNotifications });
afterEach(() => mock.reset());

async function api(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await mock.fetch(
    new Request(`${TEST_BASE}${path}`, {
      method,
      headers: { api_key: API_KEY, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

async function paidOrder(orderId: string): Promise<void> {
  expect((await api("POST", "/orders", { ...redirectOrder(), order_id: orderId, amount: 1000 })).status).toBe(200);
  await mock.pay(orderId, { status: "completed" });
}

describe("a refund of amount 0", () => {
  it("refunds the whole order, as one without an amount", async () => {
    await paidOrder("zero-1");
    const answer = await api("POST", "/orders/zero-1/refunds", { currency: "EUR", amount: 0 });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect(mock.orders.get("zero-1")).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(mock.orders.get("zero-1")?.related_transactions).toEqual([
      expect.objectContaining({ amount: 1000, type: "refund" }),
    ]);
  });

  it("refunds what is left after a partial refund, then is refused with 1034", async () => {
    await paidOrder("zero-2");
    expect((await api("POST", "/orders/zero-2/refunds", { currency: "EUR", amount: 400 })).status).toBe(200);
    expect((await api("POST", "/orders/zero-2/refunds", { currency: "EUR", amount: 0 })).status).toBe(200);
    expect(mock.orders.get("zero-2")).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(await api("POST", "/orders/zero-2/refunds", { currency: "EUR", amount: 0 })).toMatchObject({
      status: 404,
      body: { error_code: 1034 },
    });
  });
});
