// The in-process mock's controls, the same as the sandbox's control API but as functions: the clock, the
// merchant's cancel / refund / cancel-refund (MultiSafepay's refusals as SandboxControlError), settling,
// selecting the method, each order's history, reset; and expiry noticed when an order is next read.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMultiSafepay } from "../src/index.js";
import { createMultiSafepayMock, SandboxControlError } from "../src/mock/index.js";
import { API_KEY, directOrder, redirectOrder } from "./helpers/orders.js";

const delivered: { transactionid: string | null; status: unknown }[] = [];
const mock = createMultiSafepayMock({
  apiKey: API_KEY,
  fetch: async (request) => {
    const body = JSON.parse(await request.text()) as { status?: unknown };
    delivered.push({ transactionid: new URL(request.url).searchParams.get("transactionid"), status: body.status });
    return new Response("OK");
  },
});
const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: mock.fetch });
const notify = { notification_url: "https://shop.example/notify", notification_method: "POST" as const };

beforeEach(() => {
  mock.reset();
  delivered.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("mock.clock", () => {
  it("sets and advances the time every stamp reads, and reset lets it follow real time again", async () => {
    const change = await mock.clock.set("2026-03-02T09:00:00Z");
    expect(change).toMatchObject({ local: "2026-03-02T10:00:00", frozen: true, expired: [], settled: [] });
    expect(mock.clock.now().toISOString()).toBe("2026-03-02T09:00:00.000Z");
    await mock.clock.advance(60);
    await msp.orders.create({ ...redirectOrder(), order_id: "m-clock" });
    expect((await msp.orders.get("m-clock")).created).toBe("2026-03-02T10:01:00");
    mock.reset();
    expect(Math.abs(mock.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
    expect(mock.orders.list()).toEqual([]);
  });

  it("refuses what is not a date or a number of seconds", async () => {
    expect(() => mock.clock.set("soon")).toThrow(RangeError);
    expect(() => mock.clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it("expires a direct order after 5 days and a redirect order 5 days after its method is selected", async () => {
    await mock.clock.set(new Date("2026-03-02T09:00:00Z"));
    await msp.orders.create({ ...directOrder(), order_id: "m-direct", payment_options: notify });
    await msp.orders.create({ ...redirectOrder(), order_id: "m-redirect", payment_options: notify });
    expect((await mock.clock.advance(5 * 86_400)).expired).toEqual(["m-direct"]);
    mock.selectMethod("m-redirect");
    expect((await mock.clock.advance(5 * 86_400 - 1)).expired).toEqual([]);
    expect((await mock.clock.advance(1)).expired).toEqual(["m-redirect"]);
    await mock.notificationsDelivered();
    expect(delivered).toEqual([
      { transactionid: "m-direct", status: "expired" },
      { transactionid: "m-redirect", status: "expired" },
    ]);
    await expect(mock.pay("m-redirect", { status: "completed" })).rejects.toThrow(/already expired/);
  });

  it("expires an order when it is next read after its deadline passed in real time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-02T09:00:00Z"));
    await msp.orders.create({ ...directOrder(), order_id: "m-read", payment_options: notify });
    vi.setSystemTime(new Date("2026-03-07T09:00:00Z"));
    expect(mock.orders.get("m-read")).toMatchObject({ status: "expired", modified: "2026-03-07T10:00:00" });
    expect((await msp.orders.get("m-read")).status).toBe("expired");
    await mock.notificationsDelivered();
    expect(delivered).toEqual([{ transactionid: "m-read", status: "expired" }]);
  });

  it("settles the refunds made before a midnight it passes", async () => {
    await mock.clock.set("2026-03-02T22:30:00Z");
    await msp.orders.create({ ...redirectOrder(), order_id: "m-midnight" });
    await mock.pay("m-midnight", { status: "completed" });
    const { refundId } = await mock.refund("m-midnight", { amount: 100 });
    const change = await mock.clock.advance(3600);
    expect(change.settled.map((s) => s.refundId)).toEqual([refundId]);
    expect(mock.orders.get("m-midnight")?.related_transactions).toEqual([
      expect.objectContaining({ transaction_id: refundId, status: "completed" }),
    ]);
  });
});

describe("the merchant's controls", () => {
  it("cancel, refund and cancelRefund act as the API's calls, and say MultiSafepay's refusal", async () => {
    await msp.orders.create({ ...redirectOrder(), order_id: "m-merchant", amount: 1000 });
    await msp.orders.create({ ...redirectOrder(), order_id: "m-unpaid" });
    const refused = await mock.refund("m-unpaid").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SandboxControlError);
    expect(refused).toMatchObject({ errorCode: 1034, status: 404 });
    expect((await mock.cancel("m-unpaid")).status).toBe("void");
    await expect(mock.cancel("m-unpaid")).rejects.toBeInstanceOf(SandboxControlError);

    await mock.pay("m-merchant", { status: "completed" });
    const { refundId, order } = await mock.refund("m-merchant", { amount: 400 });
    expect(order).toMatchObject({ status: "partial_refunded", amount_refunded: 400 });
    expect((await mock.cancelRefund("m-merchant", refundId)).amount_refunded).toBe(0);
    const full = await mock.refund("m-merchant");
    expect(full.order).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect((await mock.settleRefunds()).map((s) => s.refundId)).toEqual([full.refundId]);
  });

  it("keeps each order's history: who did what, and every notification with its answers", async () => {
    await mock.clock.set("2026-03-02T09:00:00Z");
    await msp.orders.create({ ...redirectOrder(), order_id: "m-history", payment_options: notify });
    mock.selectMethod("m-history");
    await mock.pay("m-history", { status: "completed" });
    await mock.refund("m-history", { amount: 100 });
    await mock.notificationsDelivered();
    const history = mock.orders.history("m-history");
    expect(history.map((e) => `${e.type}${"by" in e ? ` ${e.by}` : ""}`)).toEqual([
      "created api",
      "method_selected sandbox",
      "status shopper",
      "notification",
      "refund sandbox",
      "status sandbox",
      "notification",
    ]);
    expect(history[3]).toMatchObject({
      type: "notification",
      method: "POST",
      attempts: 1,
      acknowledged: true,
      answers: [{ status: 200, body: "OK" }],
    });
    // A copy: changing it changes nothing in the mock.
    history.length = 0;
    expect(mock.orders.history("m-history")).toHaveLength(7);
  });

  it("selectMethod throws for an unknown order", () => {
    expect(() => mock.selectMethod("nope")).toThrow(/No sandbox order/);
  });
});
