// The retry rule (src/retry.ts) as the pipeline runs it, with an injected fetch: which attempts are
// repeated, the waits, and what a create or a refund whose answer was lost turns into.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMultiSafepay } from "./helpers/client.js";
import { caught } from "./helpers/caught.js";
import { createPipeline, type Call } from "../src/pipeline.js";
import { retryAfterMs } from "../src/retry.js";
import { createFetchSender } from "../src/senders/fetch-sender.js";
import type { OrderRequest } from "../src/index.js";
import {
  API_KEY,
  TEST_BASE,
  completedOrder,
  directOrder,
  errorBody,
  redirectCreated,
  redirectOrder,
} from "./helpers/orders.js";

// The waits between attempts are real setTimeouts inside the client; with fake timers that jump to the next
// timer as soon as nothing else is left to run, a test waits for none of them (about 2 s of backoff in all).
// Date stays real. Tests that count the waits inject `sleep` into the pipeline instead.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  vi.setTimerTickMode("nextTimerAsync");
});
afterEach(() => {
  vi.useRealTimers();
});

type Reply = Response | Error;
/** A fetch that answers from a script and records what it was asked. */
function scripted(...replies: Reply[]) {
  const calls: { method: string; url: string; body: string }[] = [];
  const fetch = vi.fn(async (request: Request) => {
    calls.push({ method: request.method, url: request.url, body: await request.text() });
    const reply = replies.shift();
    if (!reply) throw new Error("no scripted reply left");
    if (reply instanceof Error) throw reply;
    return reply;
  });
  return { fetch, calls };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
/** The connection broke after the request may have left (undici's error carries no "never connected" code). */
const networkDown = () => new TypeError("fetch failed");
/** The connection was never made: nothing was sent. */
const refused = () =>
  new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
const ok = (data: unknown = {}) => json({ success: true, data });

function pipelineWith(replies: Reply[], maxRetries = 2, random = () => 1) {
  const { fetch, calls } = scripted(...replies);
  const sleeps: number[] = [];
  const pipeline = createPipeline({
    baseUrl: TEST_BASE,
    apiKey: API_KEY,
    sender: createFetchSender(fetch, 8),
    timeoutMs: 1_000,
    maxRetries,
    maxResponseBytes: 1 << 20,
    sleep: async (ms) => void sleeps.push(ms),
    random,
  });
  return { pipeline, calls, sleeps };
}
const get: Call = { method: "GET", path: "/orders/{order_id}", params: { path: { order_id: "a" } } };
const create: Call = { method: "POST", path: "/orders", body: { order_id: "a" } };
const refund: Call = {
  method: "POST",
  path: "/orders/{order_id}/refunds",
  params: { path: { order_id: "a" } },
  body: { currency: "EUR", amount: 100 },
};

describe("the retry rule", () => {
  it("retries GET on 5xx and 429 with exponential backoff, then succeeds", async () => {
    const { pipeline, calls, sleeps } = pipelineWith([json({}, 503), json({}, 429), ok({ ok: 1 })]);
    const { answer } = await pipeline.call(get);
    expect(answer.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("honours Retry-After in seconds and as a date, and gives up on a very long one", async () => {
    const seconds = pipelineWith([json({}, 429, { "retry-after": "3" }), ok()]);
    await seconds.pipeline.call(get);
    expect(seconds.sleeps).toEqual([3000]);

    const tooLong = pipelineWith([json({}, 503, { "retry-after": "3600" })]);
    expect((await tooLong.pipeline.call(get)).answer.status).toBe(503);
    expect(tooLong.calls).toHaveLength(1);

    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(5000);
    expect(retryAfterMs("soon")).toBeNull();
  });

  it("stops after maxRetries and returns the last answer", async () => {
    const { pipeline, calls } = pipelineWith([json({}, 500), json({}, 502), json({}, 504)], 2);
    expect((await pipeline.call(get)).answer.status).toBe(504);
    expect(calls).toHaveLength(3);
  });

  it("repeats a create only when no answer came, with the same body", async () => {
    const answered = pipelineWith([json({}, 503)]);
    expect((await answered.pipeline.call(create)).answer.status).toBe(503);
    expect(answered.calls).toHaveLength(1);

    const dropped = pipelineWith([networkDown(), ok()]);
    const sent = await dropped.pipeline.call(create);
    expect(sent).toMatchObject({ answer: { status: 200 }, earlierAttemptMayHaveArrived: true });
    expect(dropped.calls.map((c) => c.body)).toEqual(['{"order_id":"a"}', '{"order_id":"a"}']);
  });

  it("never repeats a refund that may have arrived, and says its outcome is unknown", async () => {
    const { pipeline, calls } = pipelineWith([networkDown(), ok()]);
    const error = await caught(pipeline.call(refund));
    expect(error).toMatchObject({ code: "outcome_unknown", cause: { code: "connection_error" } });
    expect(calls).toHaveLength(1);
  });

  it("repeats a refund whose connection was never made, and counts that attempt", async () => {
    const { pipeline, calls } = pipelineWith([refused(), ok({ refund_id: 1 })]);
    expect((await pipeline.call(refund)).answer.status).toBe(200);
    expect(calls).toHaveLength(2);
    const exhausted = pipelineWith([refused(), refused()], 1);
    expect(await caught(exhausted.pipeline.call(refund))).toMatchObject({ code: "connection_error" });
    expect(exhausted.calls).toHaveLength(2);
  });

  it("says outcome_unknown when the caller aborts a refund that may have left", async () => {
    const controller = new AbortController();
    const sender = createFetchSender(() => (controller.abort(), new Promise<Response>(() => {})), 8);
    const pipeline = createPipeline({
      baseUrl: TEST_BASE,
      apiKey: API_KEY,
      sender,
      timeoutMs: 1_000,
      maxRetries: 2,
      maxResponseBytes: 1000,
    });
    expect(await caught(pipeline.call(refund, { signal: controller.signal }))).toMatchObject({
      code: "outcome_unknown",
      cause: { code: "request_aborted" },
    });
  });

  it("times out a custom fetch that ignores its signal and never answers", async () => {
    const pipeline = createPipeline({
      baseUrl: TEST_BASE,
      apiKey: API_KEY,
      sender: createFetchSender(() => new Promise<Response>(() => {}), 8),
      timeoutMs: 30,
      maxRetries: 0,
      maxResponseBytes: 1000,
    });
    await expect(pipeline.call(get)).rejects.toMatchObject({ code: "timeout_error", timeoutMs: 30 });
  });

  it("frees the connection slot of a fetch that ignores its signal, so the client is not stuck", async () => {
    let calls = 0;
    const hanging = () => (++calls <= 2 ? new Promise<Response>(() => {}) : Promise.resolve(ok()));
    // A short grace: an aborted attempt keeps its slot that long (ABORT_GRACE_MS, 5 s, by default), then gives it back.
    const pipeline = createPipeline({
      baseUrl: TEST_BASE,
      apiKey: API_KEY,
      sender: createFetchSender(hanging, 2, 30),
      timeoutMs: 20,
      maxRetries: 0,
      maxResponseBytes: 1000,
    });
    await Promise.all([caught(pipeline.call(get)), caught(pipeline.call(get))]);
    expect((await pipeline.call(get, { timeoutMs: 5_000 })).answer.status).toBe(200);
  });

  it("does not retry a 4xx", async () => {
    const { pipeline, calls } = pipelineWith([json({}, 404)]);
    expect((await pipeline.call(get)).answer.status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it("turns a body cut short into a retried connection failure", async () => {
    const broken = new Response(new ReadableStream({ start: (c) => c.error(new Error("socket hang up")) }), {
      status: 200,
    });
    const { pipeline, calls } = pipelineWith([broken, ok()]);
    expect((await pipeline.call(get)).answer.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it("backs off with full jitter, capped at 8 s", async () => {
    const { pipeline, sleeps } = pipelineWith(Array.from({ length: 7 }, networkDown), 6, () => 0.5);
    await expect(pipeline.call(get)).rejects.toMatchObject({ code: "connection_error" });
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
});

describe("orders.create after a lost answer", () => {
  const client = (fetch: (r: Request) => Promise<Response>) =>
    createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch, maxRetries: 2 });
  const inUse = () => json(errorBody("ErrorInvalidTransactionId"), 404);
  /** What MultiSafepay holds after the lost create: the order as GET shows it, still initialized. */
  const held = (order: OrderRequest, extra: object = {}) => ({
    ...completedOrder().data,
    order_id: order.order_id,
    amount: order.amount,
    currency: order.currency,
    description: order.description,
    status: "initialized",
    financial_status: "initialized",
    payment_details: { type: order.gateway },
    var1: null,
    var2: null,
    var3: null,
    ...extra,
  });

  it("returns the order the first attempt created when the retry hears 1006", async () => {
    const order = directOrder();
    const existing = held(order, { payment_url: "https://www.kbc.be/olpayment?x=1" });
    const { fetch, calls } = scripted(networkDown(), inUse(), ok(existing));
    expect(await client(fetch).orders.create(order)).toMatchObject({
      order_id: order.order_id,
      status: "initialized",
      payment_url: existing.payment_url,
    });
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      "POST /v1/json/orders",
      "POST /v1/json/orders",
      `GET /v1/json/orders/${order.order_id}`,
    ]);
  });

  it("rejects with order_exists, carrying the order, when the payment link cannot be read back (redirect)", async () => {
    const order = redirectOrder();
    const { fetch } = scripted(networkDown(), inUse(), ok(held(order)));
    const error = await caught(client(fetch).orders.create(order));
    expect(error).toMatchObject({
      code: "order_exists",
      orderId: order.order_id,
      order: { order_id: order.order_id, status: "initialized" },
    });
  });

  it("rejects with order_exists when the verification read fails, even after its own retries", async () => {
    const order = redirectOrder();
    const { fetch, calls } = scripted(
      networkDown(),
      inUse(),
      json({}, 500),
      json({}, 500),
      new Response("<html>", { status: 502 }),
    );
    const error = await caught(client(fetch).orders.create(order));
    expect(error).toMatchObject({
      code: "order_exists",
      order: null,
      cause: { code: "invalid_response", status: 502 },
    });
    expect(calls).toHaveLength(5);
  });

  it("keeps the 1006 for an older order under the same id, even with the same amount and currency", async () => {
    const order = directOrder();
    const older = {
      ...held(order, { payment_url: "https://www.kbc.be/x" }),
      status: "completed",
      financial_status: "completed",
    };
    const { fetch } = scripted(networkDown(), inUse(), ok(older));
    await expect(client(fetch).orders.create(order)).rejects.toMatchObject({ code: "api_error", errorCode: 1006 });
    const otherAmount = scripted(
      networkDown(),
      inUse(),
      ok(held({ ...order, amount: 99 }, { payment_url: "https://www.kbc.be/x" })),
    );
    await expect(client(otherAmount.fetch).orders.create(order)).rejects.toMatchObject({
      code: "api_error",
      errorCode: 1006,
    });
  });

  it("reads the order back when the retry after a lost answer hears an error page instead of 1006", async () => {
    const order = directOrder();
    const existing = held(order, { payment_url: "https://www.kbc.be/olpayment?x=1" });
    const { fetch, calls } = scripted(networkDown(), new Response("<html>502</html>", { status: 502 }), ok(existing));
    expect(await client(fetch).orders.create(order)).toMatchObject({
      order_id: order.order_id,
      payment_url: existing.payment_url,
    });
    expect(calls.map((c) => c.method)).toEqual(["POST", "POST", "GET"]);
    // No such order: the error page's invalid_response stands.
    const none = scripted(networkDown(), new Response("<html>502</html>", { status: 502 }), inUse());
    expect(await caught(client(none.fetch).orders.create(order))).toMatchObject({
      code: "invalid_response",
      status: 502,
    });
  });

  it("treats a 1006 on the first attempt as a real duplicate, without fetching", async () => {
    const { fetch, calls } = scripted(inUse());
    await expect(client(fetch).orders.create(redirectOrder())).rejects.toMatchObject({
      code: "api_error",
      errorCode: 1006,
    });
    expect(calls).toHaveLength(1);
  });
});

describe("the payment_url handed to the merchant", () => {
  const answering = (paymentUrl: string, baseUrl = TEST_BASE) =>
    createMultiSafepay({
      apiKey: API_KEY,
      baseUrl,
      fetch: async () => ok({ ...redirectCreated().data, payment_url: paymentUrl }),
    }).orders.create(redirectOrder());

  it("is refused unless it is an https URL", async () => {
    for (const url of [
      "javascript:alert(1)",
      "data:text/html,<script>",
      "http://testpayv2.multisafepay.com/connect/x",
      "//evil.example/x",
      "not a url",
    ]) {
      expect(await caught(answering(url)), url).toMatchObject({ code: "invalid_response", status: 200 });
    }
    expect((await answering("https://testpayv2.multisafepay.com/connect/x")).payment_url).toBe(
      "https://testpayv2.multisafepay.com/connect/x",
    );
  });

  it("may be http when the API itself is on http (a local sandbox)", async () => {
    expect((await answering("http://127.0.0.1:4010/pay/x", "http://127.0.0.1:4010/v1/json")).payment_url).toBe(
      "http://127.0.0.1:4010/pay/x",
    );
  });
});

describe("ids in the path", () => {
  it('refuses "." and ".." before sending', async () => {
    const { fetch, calls } = scripted();
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch });
    for (const id of [".", ".."])
      expect(await caught(msp.orders.get(id))).toMatchObject({
        code: "validation_error",
        issues: [{ path: "/order_id" }],
      });
    expect(calls).toHaveLength(0);
  });
});
