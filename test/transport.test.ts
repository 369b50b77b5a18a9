// Retries, backoff, Retry-After and the create-order recovery, with an injected fetch (no network, no msw).
import { describe, expect, it, vi } from "vitest";
import { createMultiSafepay } from "./helpers/client.js";
import { createTransport, fetchSender, retryAfterMs, type CallRecord } from "../src/transport.js";
import { API_KEY, TEST_BASE, completedOrder, directCreated, directOrder, errorBody, redirectOrder } from "./helpers/orders.js";

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
const networkDown = () => new TypeError("fetch failed");

function transportWith(replies: Reply[], maxRetries = 2) {
  const { fetch, calls } = scripted(...replies);
  const sleeps: number[] = [];
  const record: CallRecord = { attempts: 0 };
  const transport = createTransport({ send: fetchSender(fetch), timeoutMs: 1_000, maxRetries, sleep: async (ms) => void sleeps.push(ms), random: () => 1 }, record);
  return { transport, calls, sleeps, record };
}
const get = () => new Request(`${TEST_BASE}/orders/a`);
const post = () => new Request(`${TEST_BASE}/orders`, { method: "POST", body: JSON.stringify({ order_id: "a" }) });

describe("transport retry policy", () => {
  it("retries GET on 5xx and 429 with exponential backoff, then succeeds", async () => {
    const { transport, calls, sleeps, record } = transportWith([json({}, 503), json({}, 429), json({ ok: 1 })]);
    const response = await transport(get());
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(record).toEqual({ attempts: 3, body: '{"ok":1}' });
  });

  it("honours Retry-After in seconds and as a date, and gives up on a very long one", async () => {
    const seconds = transportWith([json({}, 429, { "retry-after": "3" }), json({})]);
    await seconds.transport(get());
    expect(seconds.sleeps).toEqual([3000]);

    const tooLong = transportWith([json({}, 503, { "retry-after": "3600" })]);
    expect((await tooLong.transport(get())).status).toBe(503);
    expect(tooLong.calls).toHaveLength(1);

    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(5000);
    expect(retryAfterMs("soon")).toBeNull();
  });

  it("stops after maxRetries and returns the last answer", async () => {
    const { transport, calls } = transportWith([json({}, 500), json({}, 502), json({}, 504)], 2);
    expect((await transport(get())).status).toBe(504);
    expect(calls).toHaveLength(3);
  });

  it("never retries POST on an answer, only when no answer came", async () => {
    const answered = transportWith([json({}, 503)]);
    expect((await answered.transport(post())).status).toBe(503);
    expect(answered.calls).toHaveLength(1);

    const dropped = transportWith([networkDown(), json({ ok: 1 })]);
    expect((await dropped.transport(post())).status).toBe(200);
    expect(dropped.calls.map((c) => c.body)).toEqual(['{"order_id":"a"}', '{"order_id":"a"}']);
  });

  it("times out a custom fetch that ignores its signal and never answers", async () => {
    const transport = createTransport({ send: fetchSender(() => new Promise<Response>(() => {})), timeoutMs: 30, maxRetries: 0 });
    await expect(transport(get())).rejects.toMatchObject({ code: "timeout_error", timeoutMs: 30 });
  });

  it("does not retry a 4xx", async () => {
    const { transport, calls } = transportWith([json({}, 404)]);
    expect((await transport(get())).status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it("turns a body cut short into a retried connection failure", async () => {
    const broken = new Response(new ReadableStream({ start: (c) => c.error(new Error("socket hang up")) }), { status: 200 });
    const { transport, calls } = transportWith([broken, json({ ok: 1 })]);
    expect((await transport(get())).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it("backs off with full jitter, capped at 8 s", async () => {
    const { fetch } = scripted(...Array.from({ length: 7 }, networkDown));
    const sleeps: number[] = [];
    const transport = createTransport({ send: fetchSender(fetch), timeoutMs: 1_000, maxRetries: 6, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    await expect(transport(get())).rejects.toMatchObject({ code: "connection_error" });
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
});

describe("orders.create after a lost answer", () => {
  const client = (fetch: (r: Request) => Promise<Response>) => createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch, maxRetries: 2 });

  it("returns the order the first attempt created when the retry hears 1006", async () => {
    const existing = { success: true, data: { ...directCreated().data } };
    const { fetch, calls } = scripted(networkDown(), json(errorBody("ErrorInvalidTransactionId"), 404), json(existing));
    const created = await client(fetch).orders.create(directOrder());
    expect(created).toEqual(existing.data);
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      "POST /v1/json/orders",
      "POST /v1/json/orders",
      "GET /v1/json/orders/my-order-id-2",
    ]);
    expect(JSON.parse(calls[0]!.body).order_id).toBe(JSON.parse(calls[1]!.body).order_id);
  });

  it("keeps the 1006 when the existing order is a different one", async () => {
    const other = { success: true, data: { ...completedOrder().data, amount: 99, payment_url: "https://www.kbc.be/x" } };
    const { fetch } = scripted(networkDown(), json(errorBody("ErrorInvalidTransactionId"), 404), json(other));
    await expect(client(fetch).orders.create(directOrder())).rejects.toMatchObject({ code: "api_error", errorCode: 1006 });
  });

  it("treats a 1006 on the first attempt as a real duplicate, without fetching", async () => {
    const { fetch, calls } = scripted(json(errorBody("ErrorInvalidTransactionId"), 404));
    await expect(client(fetch).orders.create(redirectOrder())).rejects.toMatchObject({ code: "api_error", errorCode: 1006 });
    expect(calls).toHaveLength(1);
  });
});
