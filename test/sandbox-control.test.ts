// The sandbox's control API over real HTTP: the document it serves and the routes it answers agree both ways;
// each answer matches the document's schema; the clock moves stamps, the transactions' "yesterday", KBC's
// 5-day expiry (direct: from creation, redirect: from the payment page), the refunds' midnight and the
// 5-minute identical-refund rule; each order's history shows its notification deliveries and their answers.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_ROUTES } from "../src/mock/server.js";
import { createSandboxServer } from "../src/mock/server.js";
import { HELP } from "../src/mock/cli.js";
import { createSpecAjv } from "../scripts/spec-formats.mjs";
import { projectRoot } from "./helpers/consumer.js";
import { directOrder, redirectOrder } from "./helpers/orders.js";

const KEY = "control-key-123";
let sandbox: Server;
let merchant: Server;
let origin: string;
let notifyUrl: string;
/** What the merchant's endpoint answers, in turn; then "OK". */
let answers: { status: number; body: string }[] = [];
const received: { transactionid: string | null; status: unknown }[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  sandbox = createSandboxServer({ apiKey: KEY });
  origin = await listen(sandbox);
  merchant = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { status?: unknown };
    received.push({
      transactionid: new URL(req.url!, "http://x").searchParams.get("transactionid"),
      status: body.status,
    });
    const answer = answers.shift() ?? { status: 200, body: "OK" };
    res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
  });
  notifyUrl = `${await listen(merchant)}/notify`;
});
afterAll(async () => {
  await new Promise((r) => sandbox?.close(r));
  await new Promise((r) => merchant?.close(r));
});
beforeEach(async () => {
  await control("POST", "/sandbox/reset");
  received.length = 0;
  answers = [];
});

const served = async () => (await (await fetch(`${origin}/sandbox/openapi.json`)).json()) as any;
const document = load(readFileSync(join(projectRoot, "openapi-sandbox/openapi.yaml"), "utf8")) as any;

/** The document's schema for an operation's JSON answer with this status (refs resolved by Ajv against the document). */
// The Ajv the main spec's answers are checked with (its formats and keywords), over the control API's document.
const ajv = await createSpecAjv();
ajv.addSchema(document, "sandbox");
function expectDocumented(method: string, template: string, status: number, body: unknown): void {
  const response = document.paths[template][method.toLowerCase()].responses[String(status)];
  expect(response, `${method} ${template} documents ${status}`).toBeDefined();
  const pointer = response.$ref
    ? `sandbox${response.$ref}/content/application~1json/schema`
    : `sandbox#/paths/${template.replace(/~/g, "~0").replace(/\//g, "~1")}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer);
  expect(validate, pointer).toBeDefined();
  const valid = validate!(body);
  expect(valid ? [] : validate!.errors, `${method} ${template} ${status}`).toEqual([]);
}

/** A control route, its answer checked against the document. */
async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  const answer = { status: response.status, body: await response.json() };
  const route = SANDBOX_ROUTES.find(
    (r) => r.method === method && new RegExp(`^${r.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
  );
  expect(route, `${method} ${path} is a route`).toBeDefined();
  expectDocumented(method, route!.path, answer.status, answer.body);
  return answer;
}

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${origin}/v1/json${path}`, {
    method,
    headers: { api_key: KEY, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

const notify = () => ({ notification_url: notifyUrl, notification_method: "POST" as const });
const createRedirect = (orderId: string, extra: Record<string, unknown> = {}) =>
  api("POST", "/orders", { ...redirectOrder(), order_id: orderId, payment_options: notify(), ...extra });
const createDirect = (orderId: string) =>
  api("POST", "/orders", { ...directOrder(), order_id: orderId, payment_options: notify() });
const view = async (orderId: string) =>
  ((await control("GET", "/sandbox/orders")).body as any[]).find((o) => o.order_id === orderId);
const settled = async () => {
  // Expiry notifications go out after the answer: wait until the merchant has them.
  for (let i = 0; i < 200 && !received.length; i++) await new Promise((r) => setTimeout(r, 10));
};

describe("the control API's document", () => {
  it("is what /sandbox/openapi.json serves, and its operations are exactly the routes the server answers", async () => {
    const doc = await served();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths).toEqual(document.paths);
    const documented = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
      ["get", "post", "put", "patch", "delete"].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routed = SANDBOX_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect([...routed].sort()).toEqual([...documented].sort());
    for (const { id, method, path, summary } of SANDBOX_ROUTES) {
      expect(doc.paths[path][method.toLowerCase()]).toMatchObject({ operationId: id, summary });
    }
    // The brief's routes are all there.
    expect(routed).toEqual(
      expect.arrayContaining([
        "GET /sandbox/orders",
        "POST /sandbox/orders/{order_id}/pay",
        "POST /sandbox/orders/{order_id}/cancel",
        "POST /sandbox/orders/{order_id}/refunds",
        "POST /sandbox/orders/{order_id}/refunds/{refund_id}/cancel",
        "POST /sandbox/refunds/settle",
        "POST /sandbox/reset",
        "GET /sandbox/clock",
        "POST /sandbox/clock",
        "GET /sandbox/openapi.json",
      ]),
    );
  });

  it("the answers' check refuses what the document does not allow (so the checks above can fail)", () => {
    expect(() => expectDocumented("GET", "/sandbox/clock", 200, { now: 1, local: "x", frozen: true })).toThrow();
    expect(() => expectDocumented("GET", "/sandbox/orders", 200, [{ order_id: "a" }])).toThrow();
    expect(() => expectDocumented("GET", "/sandbox/clock", 418, {})).toThrow();
  });

  it("every route appears in --help, with its summary", () => {
    for (const { method, path, summary } of SANDBOX_ROUTES)
      expect(HELP).toMatch(
        new RegExp(
          `^ {2}${method} +${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +${summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
          "m",
        ),
      );
  });
});

describe("the clock", () => {
  it("refuses a date that is not on the calendar, and a clock outside the years 1970 to 9999", async () => {
    for (const now of ["2026-02-30T09:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T09:60:00Z", "0000-01-01T00:00:00Z"])
      expect((await control("POST", "/sandbox/clock", { now })).status, now).toBe(400);
    await control("POST", "/sandbox/clock", { now: "9999-12-30T00:00:00Z" });
    expect((await control("POST", "/sandbox/clock", { advance_seconds: 3 * 86400 })).status).toBe(400);
    expect((await control("GET", "/sandbox/clock")).body.now).toBe("9999-12-30T00:00:00.000Z");
  });

  it("follows real time until set, then stands still; advance moves it; reset lets it run again", async () => {
    const real = (await control("GET", "/sandbox/clock")).body;
    expect(real.frozen).toBe(false);
    expect(Math.abs(Date.parse(real.now) - Date.now())).toBeLessThan(60_000);

    const set = await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    expect(set.body).toEqual({
      now: "2026-03-02T09:00:00.000Z",
      local: "2026-03-02T10:00:00",
      frozen: true,
      expired: [],
      settled: [],
    });
    expect((await control("GET", "/sandbox/clock")).body.now).toBe("2026-03-02T09:00:00.000Z");
    const later = await control("POST", "/sandbox/clock", { advance_seconds: 90 });
    expect(later.body.local).toBe("2026-03-02T10:01:30");

    await createRedirect("clock-1");
    const order = await api("GET", "/orders/clock-1");
    expect(order.data).toMatchObject({ created: "2026-03-02T10:01:30", modified: "2026-03-02T10:01:30" });

    await control("POST", "/sandbox/reset");
    expect((await control("GET", "/sandbox/clock")).body.frozen).toBe(false);
    expect((await control("GET", "/sandbox/orders")).body).toEqual([]);
  });

  it("refuses a body that is not one of the two forms, or a time without a zone", async () => {
    for (const body of [
      {},
      { now: "2026-03-02T09:00:00Z", advance_seconds: 1 },
      { now: "2026-03-02T09:00:00" },
      { now: "yesterday" },
      { now: "2026-13-45T09:00:00Z" },
      { advance_seconds: 1.5 },
      { advance_seconds: "60" },
    ]) {
      const answer = await control("POST", "/sandbox/clock", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
    expect((await control("GET", "/sandbox/clock")).body.frozen).toBe(false);
  });

  it("makes yesterday's transactions a query: created_from/created_until over the clock's stamps", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    await createRedirect("yesterday-1");
    await control("POST", "/sandbox/clock", { advance_seconds: 86_400 });
    await createRedirect("today-1");
    const list = await api("GET", "/transactions?created_from=2026-03-02&created_until=2026-03-03");
    expect(list.data.map((t: { order_id: string }) => t.order_id)).toEqual(["yesterday-1"]);
    const today = await api("GET", "/transactions?created_from=2026-03-03");
    expect(today.data.map((t: { order_id: string }) => t.order_id)).toEqual(["today-1"]);
  });

  it("expires a direct order 5 days after its creation, with a notification and a history entry", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    expect((await createDirect("direct-exp")).success).toBe(true);
    const before = await control("POST", "/sandbox/clock", { advance_seconds: 5 * 86_400 - 1 });
    expect(before.body.expired).toEqual([]);
    expect((await api("GET", "/orders/direct-exp")).data.status).toBe("initialized");
    const after = await control("POST", "/sandbox/clock", { advance_seconds: 1 });
    expect(after.body.expired).toEqual(["direct-exp"]);
    expect((await api("GET", "/orders/direct-exp")).data).toMatchObject({
      status: "expired",
      financial_status: "expired",
      modified: "2026-03-07T10:00:00",
    });
    await settled();
    expect(received).toEqual([{ transactionid: "direct-exp", status: "expired" }]);
    const { history } = await view("direct-exp");
    expect(history).toContainEqual(
      expect.objectContaining({ type: "status", from: "initialized", to: "expired", by: "clock" }),
    );
  });

  it("starts a redirect order's 5 days when the shopper opens the payment page (selects the method), not at creation", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    const created = await createRedirect("redirect-exp");
    // Reached by its own origin, the sandbox's payment_url opens its own page.
    await control("POST", "/sandbox/clock", { advance_seconds: 10 * 86_400 });
    expect((await api("GET", "/orders/redirect-exp")).data.status).toBe("initialized");
    const page = await fetch(created.data.payment_url);
    expect(page.status).toBe(200);
    const selected = (await view("redirect-exp")).history.find((e: { type: string }) => e.type === "method_selected");
    expect(selected).toMatchObject({ at: "2026-03-12T10:00:00", expires: "2026-03-17T10:00:00", by: "shopper" });
    expect((await control("POST", "/sandbox/clock", { advance_seconds: 5 * 86_400 - 60 })).body.expired).toEqual([]);
    expect((await control("POST", "/sandbox/clock", { advance_seconds: 60 })).body.expired).toEqual(["redirect-exp"]);
    // The page now shows the finished payment, without buttons.
    const after = await (await fetch(created.data.payment_url)).text();
    expect(after).toContain("expired");
    expect(after).not.toContain("<button");
  });

  it("select-method starts the 5 days of a redirect order without a browser, once", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    await createRedirect("select-1");
    const first = await control("POST", "/sandbox/orders/select-1/select-method");
    expect(first.status).toBe(200);
    await control("POST", "/sandbox/clock", { advance_seconds: 3600 });
    await control("POST", "/sandbox/orders/select-1/select-method");
    const entries = (await view("select-1")).history.filter((e: { type: string }) => e.type === "method_selected");
    expect(entries).toEqual([expect.objectContaining({ expires: "2026-03-07T10:00:00", by: "sandbox" })]);
    expect((await control("POST", "/sandbox/orders/nope/select-method")).status).toBe(409);
  });

  it("settles refunds made before a midnight the clock passes (Amsterdam time), with their notification", async () => {
    // 22:00 UTC is 23:00 in Amsterdam in March (CET).
    await control("POST", "/sandbox/clock", { now: "2026-03-02T22:00:00Z" });
    await createRedirect("midnight-1");
    await control("POST", "/sandbox/orders/midnight-1/pay", { status: "completed" });
    const refund = await control("POST", "/sandbox/orders/midnight-1/refunds", { amount: 500 });
    expect(refund.body.success).toBe(true);
    expect((await control("POST", "/sandbox/clock", { advance_seconds: 1800 })).body.settled).toEqual([]);
    received.length = 0;
    const move = await control("POST", "/sandbox/clock", { advance_seconds: 3600 });
    expect(move.body.local).toBe("2026-03-03T00:30:00");
    expect(move.body.settled).toEqual([
      expect.objectContaining({
        refundId: refund.body.data.refund_id,
        notification: expect.objectContaining({ acknowledged: true }),
      }),
    ]);
    const order = (await api("GET", "/orders/midnight-1")).data;
    expect(order.related_transactions).toEqual([
      expect.objectContaining({ status: "completed", modified: "2026-03-03T00:30:00" }),
    ]);
    expect((await view("midnight-1")).history).toContainEqual(
      expect.objectContaining({ type: "refund", status: "completed", by: "clock" }),
    );
  });

  it("counts MultiSafepay's 5 minutes between identical refunds on the clock", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    await createRedirect("twice-1", { amount: 2000 });
    await control("POST", "/sandbox/orders/twice-1/pay", { status: "completed" });
    expect((await control("POST", "/sandbox/orders/twice-1/refunds", { amount: 500 })).body.success).toBe(true);
    const again = await control("POST", "/sandbox/orders/twice-1/refunds", { amount: 500 });
    expect(again.body).toMatchObject({ success: false, error_code: 1034 });
    await control("POST", "/sandbox/clock", { advance_seconds: 299 });
    expect((await control("POST", "/sandbox/orders/twice-1/refunds", { amount: 500 })).body.success).toBe(false);
    await control("POST", "/sandbox/clock", { advance_seconds: 1 });
    expect((await control("POST", "/sandbox/orders/twice-1/refunds", { amount: 500 })).body.success).toBe(true);
  });
});

describe("each order's history", () => {
  it("a delivery still in flight when the sandbox is reset is not written into a new order of the same id", async () => {
    // A merchant that holds its answer until told: the delivery is in flight across the reset.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const slow = createServer(async (req, res) => {
      for await (const _ of req);
      arrived();
      await held;
      res.end("OK");
    });
    const slowUrl = `${await listen(slow)}/notify`;
    try {
      const create = () =>
        api("POST", "/orders", {
          ...redirectOrder(),
          order_id: "reset-1",
          payment_options: { notification_url: slowUrl, notification_method: "POST" },
        });
      await create();
      const paying = control("POST", "/sandbox/orders/reset-1/pay", { status: "completed" });
      await reached;
      await control("POST", "/sandbox/reset");
      await create();
      release();
      await paying;
      const order = await view("reset-1");
      expect(order.status).toBe("initialized");
      expect(order.history.map((e: { type: string }) => e.type)).toEqual(["created"]);
    } finally {
      release();
      await new Promise((r) => slow.close(r));
    }
  });

  it("after a payment on the payment page: the status change and every delivery attempt with its answer", async () => {
    await control("POST", "/sandbox/clock", { now: "2026-03-02T09:00:00Z" });
    const created = await createRedirect("history-1", { customer: { ...redirectOrder().customer, firstname: "Jan" } });
    // The merchant fails twice, then acknowledges.
    answers = [
      { status: 500, body: "boom" },
      { status: 200, body: "not yet" },
    ];
    // The shopper opens the page (selects the method), then pays; without a redirect_url the page says it is done.
    expect((await fetch(created.data.payment_url)).status).toBe(200);
    const paid = await fetch(created.data.payment_url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "outcome=completed",
    });
    expect(paid.status).toBe(200);
    const order = await view("history-1");
    expect(order.ignored_fields).toEqual([expect.stringContaining("customer.firstname")]);
    expect(order.history).toEqual([
      { at: "2026-03-02T10:00:00", type: "created", status: "initialized", by: "api" },
      { at: "2026-03-02T10:00:00", type: "method_selected", expires: "2026-03-07T10:00:00", by: "shopper" },
      {
        at: "2026-03-02T10:00:00",
        type: "status",
        from: "initialized",
        to: "completed",
        financial_status: "completed",
        reason: "SUCCESS",
        by: "shopper",
      },
      {
        at: "2026-03-02T10:00:00",
        type: "notification",
        method: "POST",
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/notify\?transactionid=history-1&timestamp=\d+$/),
        attempts: 3,
        acknowledged: true,
        answers: [
          { status: 500, body: "boom" },
          { status: 200, body: "not yet" },
          { status: 200, body: "OK" },
        ],
      },
    ]);
  });

  it("records refunds, their cancellation and settlement, by whom, each with its notification", async () => {
    await createRedirect("history-2");
    await control("POST", "/sandbox/orders/history-2/pay", { status: "completed" });
    const refund = await control("POST", "/sandbox/orders/history-2/refunds", { amount: 300 });
    await control("POST", `/sandbox/orders/history-2/refunds/${refund.body.data.refund_id}/cancel`);
    await api("POST", "/orders/history-2/refunds", { currency: "EUR", amount: 200, description: "by the shop" });
    await control("POST", "/sandbox/refunds/settle");
    // The API calls' notifications go out after their answers.
    for (let i = 0; i < 200 && received.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    const { history } = await view("history-2");
    const summary = history.map((e: any) =>
      e.type === "refund"
        ? `refund ${e.amount} ${e.status} by ${e.by}`
        : e.type === "status"
          ? `${e.from}→${e.to} by ${e.by}`
          : e.type,
    );
    expect(summary.filter((s: string) => s !== "notification")).toEqual([
      "created",
      "initialized→completed by shopper",
      "refund 300 initialized by sandbox",
      "completed→partial_refunded by sandbox",
      "refund 300 void by sandbox",
      "partial_refunded→completed by sandbox",
      "refund 200 initialized by api",
      "completed→partial_refunded by api",
      "refund 200 completed by sandbox",
    ]);
    expect(summary.filter((s: string) => s === "notification")).toHaveLength(5);
  });

  it("keeps a delivery the sandbox refused, with why", async () => {
    const created = await api("POST", "/orders", {
      ...redirectOrder(),
      order_id: "history-3",
      payment_options: { notification_url: "https://shop.example/notify", notification_method: "POST" },
    });
    expect(created.success).toBe(true);
    await control("POST", "/sandbox/orders/history-3/pay", { status: "completed" });
    const delivery = (await view("history-3")).history.find((e: { type: string }) => e.type === "notification");
    expect(delivery).toMatchObject({
      attempts: 0,
      acknowledged: false,
      refused: expect.stringContaining("loopback"),
      answers: [],
    });
  });
});

describe("the merchant's controls", () => {
  it("cancel, refund and cancel a refund answer as the API does, refusals included", async () => {
    await createRedirect("merchant-1");
    expect((await control("POST", "/sandbox/orders/merchant-1/refunds", {})).body).toMatchObject({
      success: false,
      error_code: 1034,
    });
    expect((await control("POST", "/sandbox/orders/merchant-1/cancel")).body).toEqual({ success: true, data: {} });
    expect((await control("POST", "/sandbox/orders/merchant-1/cancel")).status).toBe(404);
    expect((await control("POST", "/sandbox/orders/nope/cancel")).status).toBe(410);
  });

  it("a field the document does not define is refused (400) by pay, refund and the clock, not ignored", async () => {
    await createRedirect("extra-1");
    const pay = await control("POST", "/sandbox/orders/extra-1/pay", { status: "completed", reason: "x" });
    expect(pay.status).toBe(400);
    expect(pay.body.error).toContain("reason");
    expect((await view("extra-1")).status).toBe("initialized");
    await control("POST", "/sandbox/orders/extra-1/pay", { status: "completed" });
    const refund = await control("POST", "/sandbox/orders/extra-1/refunds", { amount: 500, currency: "USD" });
    expect(refund.status).toBe(400);
    expect((await view("extra-1")).amount_refunded).toBe(0);
    const clock = await control("POST", "/sandbox/clock", { advance_seconds: 60, frozen: false });
    expect(clock.status).toBe(400);
  });

  it("a refund whose body is not a JSON object refunds nothing: 400, not all that is left", async () => {
    await createRedirect("malformed-1");
    await control("POST", "/sandbox/orders/malformed-1/pay", { status: "completed" });
    for (const body of ["{bad", "", "[]", '"500"', "null"]) {
      const response = await fetch(`${origin}/sandbox/orders/malformed-1/refunds`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const answer = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(400);
      expectDocumented("POST", "/sandbox/orders/{order_id}/refunds", 400, answer);
    }
    expect((await view("malformed-1")).amount_refunded).toBe(0);
  });
});
