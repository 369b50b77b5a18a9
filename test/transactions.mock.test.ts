// The sandbox's reconciliation endpoints (GET /transactions, GET /payment-methods[/{id}]) over plain fetch
// and msw: real cursors, every filter, the limit bounds, and KBC/CBC's documented limits. Every answer is
// checked against the spec.
import fc from "fast-check";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMultiSafepayMock, type PaymentOutcome } from "../src/mock/index.js";
import { createSandbox } from "../src/mock/sandbox.js";
import { FILTERS, decodeCursor, encodeCursor } from "../src/mock/transactions.js";
import type { PaymentMethodInfo, Transaction } from "../src/types.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { spec } from "./helpers/spec.js";

const mock = createMultiSafepayMock({ apiKey: API_KEY });
const limited = createMultiSafepayMock({
  apiKey: API_KEY,
  baseUrl: "https://limited.example/v1/json",
  environment: [],
  amountLimits: { min: 100, max: 500_000 },
});
const server = setupServer(...mock.handlers, ...limited.handlers);
const answers: Promise<unknown>[] = [];
let checked = 0;
server.events.on("response:mocked", ({ request, response }) => {
  answers.push(expectConformingAnswer(request, response).then(() => checked++));
});
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  await Promise.all(answers.splice(0));
  vi.useRealTimers();
  mock.reset();
});
afterAll(() => {
  server.close();
  // Guards the guard: the spec check above must actually have seen the scenarios.
  expect(checked).toBeGreaterThanOrEqual(100);
});

interface Page {
  success: boolean;
  data: Transaction[];
  pager: { after?: string; before?: string; cursor: { after?: string; before?: string }; limit: number };
}

let requests = 0;
async function get<T = Page>(
  path: string,
  query: Record<string, string | number | boolean> = {},
  base = TEST_BASE,
): Promise<{ status: number; body: T }> {
  requests++;
  const url = new URL(`${base}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { api_key: API_KEY } });
  return { status: response.status, body: (await response.json()) as T };
}

/** Orders go straight into the sandbox (not through msw): only the reads are under test here. */
async function createOrders(count: number, from = 0, change: (i: number) => object = () => ({})): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const { payment_options, ...order } = redirectOrder();
    const body = {
      ...order,
      order_id: `order-${i}`,
      gateway: i % 3 === 0 ? "CBC" : "KBC",
      amount: 1000 + i,
      description: `Order ${i}`,
      ...change(i),
    };
    const response = await mock.fetch(
      new Request(`${TEST_BASE}/orders`, { method: "POST", headers: { api_key: API_KEY }, body: JSON.stringify(body) }),
    );
    expect(response.status).toBe(200);
    ids.push(body.order_id);
  }
  return ids;
}

/** Follows `direction` cursors from `start` until the pager has none; returns every page. */
async function walk(
  query: Record<string, string | number>,
  direction: "after" | "before" = "after",
  start?: string,
): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor = start;
  do {
    const { status, body } = await get("/transactions", cursor ? { ...query, [direction]: cursor } : query);
    expect(status).toBe(200);
    pages.push(body);
    cursor = body.pager.cursor[direction];
    expect(pages.length).toBeLessThan(1000);
  } while (cursor);
  return pages;
}
const ids = (pages: Page[]) => pages.flatMap((p) => p.data.map((t) => t.order_id));

describe("GET /transactions pages with real cursors", () => {
  it("shows 250 orders across several pages, newest first, each exactly once", async () => {
    const created = await createOrders(250);
    requests = 0;
    const pages = await walk({ limit: 40 });
    // MultiSafepay's rule: the last page with data has an `after` cursor to an empty page, which has none.
    expect(requests).toBe(8);
    expect(pages.map((p) => p.data.length)).toEqual([40, 40, 40, 40, 40, 40, 10, 0]);
    expect(ids(pages)).toEqual([...created].reverse());
    expect(pages.every((p) => p.pager.limit === 40)).toBe(true);
    expect(pages.at(-1)!.pager).not.toHaveProperty("after");
    expect(pages[0]!.pager).not.toHaveProperty("before");
  });

  it("property: any number of orders and any limit, forwards and back, each order once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 1, max: 30 }), async (count, limit) => {
        mock.reset();
        const created = (await createOrders(count)).reverse();
        const forwards = await walk({ limit });
        expect(ids(forwards)).toEqual(created);
        // Every page with data has an `after` cursor; the empty page it leads to ends the walk.
        expect(forwards).toHaveLength(Math.ceil(count / limit) + 1);
        expect(forwards.at(-1)!.data).toEqual([]);
        expect(forwards.at(-1)!.pager.cursor).not.toHaveProperty("after");
        const last = forwards.at(count ? -2 : -1)!;
        if (count > limit) {
          // Back from the last page to the first, by `before` cursors.
          const backwards = await walk({ limit }, "before", last.pager.cursor.before);
          expect(
            [...backwards]
              .reverse()
              .flatMap((p) => p.data.map((t) => t.order_id))
              .concat(ids([last])),
          ).toEqual(created);
        } else {
          expect(last.pager.cursor).not.toHaveProperty("before");
        }
      }),
      { numRuns: 15 },
    );
  });

  it("stays stable while orders are added between pages: the new ones come before the first page", async () => {
    const created = (await createOrders(120)).reverse();
    const first = (await get("/transactions", { limit: 50 })).body;
    const added = (await createOrders(30, 1000)).reverse();
    const rest = await walk({ limit: 50 }, "after", first.pager.cursor.after);
    expect(ids([first, ...rest])).toEqual(created);
    expect(first.pager.cursor.before).toBeUndefined();
    // Starting again from the top, the new orders come first.
    expect(ids(await walk({ limit: 50 }))).toEqual([...added, ...created]);
  });

  it("gives the next page as a ready URL too, with the filters and limit", async () => {
    await createOrders(30);
    const first = (await get("/transactions", { limit: 10, payment_method: "KBC" })).body;
    const next = new URL(first.pager.after!);
    expect(next.searchParams.get("payment_method")).toBe("KBC");
    expect(next.searchParams.get("limit")).toBe("10");
    expect(next.searchParams.get("after")).toBe(first.pager.cursor.after);
    const viaUrl = await (await fetch(next, { headers: { api_key: API_KEY } })).json();
    const viaCursor = (
      await get("/transactions", { limit: 10, payment_method: "KBC", after: first.pager.cursor.after! })
    ).body;
    expect(viaUrl).toEqual(viaCursor);
  });

  it("links the pages on the base the mock answers for, or the origin a hosting server says it was reached by", async () => {
    const local = createMultiSafepayMock({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:4010/v1/json",
      environment: [],
    });
    const sandbox = createSandbox({ apiKey: API_KEY, baseUrl: "http://sandbox.local/v1/json", environment: [] });
    for (const target of [local.fetch, (r: Request) => sandbox.handle(r)]) {
      for (let i = 0; i < 2; i++) {
        const order = { ...redirectOrder(), order_id: `linked-${i}` };
        expect(
          (await target(
            new Request(
              target === local.fetch ? "http://127.0.0.1:4010/v1/json/orders" : "http://sandbox.local/v1/json/orders",
              { method: "POST", headers: { api_key: API_KEY }, body: JSON.stringify(order) },
            ),
          ))!.status,
        ).toBe(200);
      }
    }
    const viaMock = await (
      await local.fetch(
        new Request("http://127.0.0.1:4010/v1/json/transactions?limit=1", { headers: { api_key: API_KEY } }),
      )
    ).json();
    expect(viaMock.pager.after).toMatch(/^http:\/\/127\.0\.0\.1:4010\/v1\/json\/transactions\?/);
    const hosted = await sandbox.handle(
      new Request("http://sandbox.local/v1/json/transactions?limit=1", { headers: { api_key: API_KEY } }),
      { publicOrigin: "http://localhost:4321" },
    );
    const body = await hosted!.json();
    expect(body.pager.after).toMatch(/^http:\/\/localhost:4321\/v1\/json\/transactions\?/);
  });

  it("refuses a cursor it did not hand out, and after with before, with an error envelope", async () => {
    await createOrders(3);
    const real = encodeCursor(4_000_000_002);
    expect(decodeCursor(real)).toBe(4_000_000_002);
    const bad: Record<string, string>[] = [
      { after: "not a cursor!" },
      { after: btoa("hello") },
      { before: encodeCursor(-1) },
      { after: btoa('{"k":"1"}').replace(/=+$/, "") },
      { after: real, before: real },
    ];
    for (const query of bad) {
      const { status, body } = await get("/transactions", query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(body).toMatchObject({
        success: false,
        error_code: 1000,
        error_info: expect.stringMatching(/^Invalid cursor/),
      });
    }
  });

  it.each([
    ["0", 400],
    ["1001", 400],
    ["-1", 400],
    ["1.5", 400],
    ["ten", 400],
    ["1", 200],
    ["1000", 200],
  ])("limit=%s answers %i", async (limit, expected) => {
    const { status, body } = await get<Record<string, unknown>>("/transactions", { limit });
    expect(status).toBe(expected);
    expect(body).toMatchObject(
      expected === 200
        ? { success: true, pager: { limit: Number(limit) } }
        : { success: false, error_code: 1000, error_info: "Invalid limit" },
    );
  });

  it("uses the spec's limit bounds and default", () => {
    const { schema } = spec.paths["/transactions"].get.parameters.find((p: { name: string }) => p.name === "limit");
    expect(schema).toMatchObject({ minimum: 1, maximum: 1000, default: 100 });
  });

  it("pages by 100 without a limit", async () => {
    await createOrders(101);
    const { body } = await get("/transactions");
    expect(body.data).toHaveLength(100);
    expect(body.pager.limit).toBe(100);
    expect(body.pager.cursor.after).toEqual(expect.any(String));
  });
});

describe("GET /transactions filters", () => {
  it("handles every filter the spec lists, and only those", () => {
    const names = spec.paths["/transactions"].get.parameters.map((p: { name: string }) => p.name);
    expect(Object.keys(FILTERS).sort()).toEqual(
      names.filter((n: string) => !["limit", "after", "before"].includes(n)).sort(),
    );
  });

  const paid: [string, PaymentOutcome][] = [
    ["order-1", "completed"],
    ["order-2", "completed"],
    ["order-3", "cancelled"],
    ["order-4", "expired"],
  ];
  async function day() {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-23T10:00:00Z"));
    await createOrders(3, 0);
    vi.setSystemTime(new Date("2026-11-24T09:00:00Z"));
    await createOrders(4, 3);
    vi.setSystemTime(new Date("2026-11-24T18:30:00Z"));
    for (const [id, status] of paid) await mock.pay(id, { status });
    vi.setSystemTime(new Date("2026-11-25T08:00:00Z"));
    await mock.pay("order-5", { status: "completed" });
  }
  const orderIds = async (query: Record<string, string | number>) => ids(await walk({ limit: 2, ...query })).sort();

  it.each([
    [{ status: "completed" }, ["order-1", "order-2", "order-5"]],
    [{ status: "void" }, ["order-3"]],
    [{ financial_status: "void" }, ["order-3"]], // KBC's status table: a cancelled order is void / void
    [{ financial_status: "initialized" }, ["order-0", "order-6"]],
    [{ payment_method: "CBC" }, ["order-0", "order-3", "order-6"]],
    [{ payment_method: "kbc", status: "completed" }, ["order-1", "order-2", "order-5"]],
    [{ currency: "EUR", type: "payment", site_id: "12345", status: "expired" }, ["order-4"]],
    [{ currency: "USD" }, []],
    [{ type: "refund" }, []], // no refunds in this day; see "refunds are transactions too"
    [{ site_id: "999" }, []],
    [{ created_from: "2026-11-24" }, ["order-3", "order-4", "order-5", "order-6"]],
    [{ created_until: "2026-11-24" }, ["order-0", "order-1", "order-2"]],
    // Amsterdam time: 10:00 UTC is 11:00 there in November.
    [{ created_from: "2026-11-23T11:00", created_until: "2026-11-23T11:00:01" }, ["order-0", "order-1", "order-2"]],
    [{ created_from: String(Date.parse("2026-11-24T09:00:00Z") / 1000) }, ["order-3", "order-4", "order-5", "order-6"]],
    // Yesterday's completed KBC payments, the reconciliation query.
    [
      { completed_from: "2026-11-24", completed_until: "2026-11-25", payment_method: "KBC", status: "completed" },
      ["order-1", "order-2"],
    ],
    [{ completed_from: "2026-11-25" }, ["order-5"]],
  ])("%j", async (query, expected) => {
    await day();
    expect(await orderIds(query)).toEqual(expected);
  });

  it("reports a completed KBC payment's fee in integer cents, with the net", async () => {
    await day();
    const [line] = (
      await get("/transactions", { status: "completed", payment_method: "KBC", created_until: "2026-11-24", limit: 1 })
    ).body.data;
    expect(line).toMatchObject({
      order_id: "order-2",
      amount: 1002,
      net: 902,
      costs: [{ amount: 100 }],
      debit_credit: "C",
      type: "payment",
      completed: "2026-11-24T19:30:00",
    });
    expect(mock.orders.get("order-2")!.costs).toMatchObject([{ amount: 1.0 }]);
  });

  it.each(["yesterday", "2026-13-01", "2026-11-24 10:00", "12345678901"])("refuses created_from=%s", async (value) => {
    const { status, body } = await get<Record<string, unknown>>("/transactions", { created_from: value });
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, error_code: 1000, error_info: "Invalid created_from" });
  });
});

describe("GET /payment-methods", () => {
  const methods = async (query: Record<string, string | number | boolean> = {}, base = TEST_BASE) => {
    const { status, body } = await get<{ data: PaymentMethodInfo[] }>("/payment-methods", query, base);
    expect(status).toBe(200);
    return body.data.map((m) => m.id);
  };

  it("offers KBC and CBC for euros from Belgium, with their limits and logos", async () => {
    const { body } = await get<{ data: PaymentMethodInfo[] }>("/payment-methods");
    expect(body.data.map((m) => m.id)).toEqual(["KBC", "CBC"]);
    for (const m of body.data) {
      expect(m).toMatchObject({
        allowed_countries: ["BE"],
        allowed_currencies: ["EUR"],
        allowed_amount: { min: 0, max: null },
      });
      expect(m.icon_urls?.vector).toMatch(/^https:\/\/media\.multisafepay\.com\/img\/methods\/svg\/(kbc|cbc)\.svg$/);
    }
  });

  it.each([
    [{ country: "BE" }, ["KBC", "CBC"]],
    [{ country: "NL" }, []],
    [{ currency: "EUR" }, ["KBC", "CBC"]],
    [{ currency: "USD" }, []],
    [{ amount: 1 }, ["KBC", "CBC"]],
    [{ amount: 100_000_000 }, ["KBC", "CBC"]],
    [{ country: "BE", currency: "EUR", amount: 1000, include_coupons: true, group_cards: false }, ["KBC", "CBC"]],
    [{ country: "FR", currency: "EUR", amount: 1000 }, []],
  ])("%j → %j", async (query, expected) => {
    expect(await methods(query)).toEqual(expected);
  });

  it.each([
    [99, []],
    [100, ["KBC", "CBC"]],
    [500_000, ["KBC", "CBC"]],
    [500_001, []],
  ])("with a website's amount limits, amount=%i → %j", async (amount, expected) => {
    expect(await methods({ amount }, "https://limited.example/v1/json")).toEqual(expected);
  });

  it.each([
    [{ country: "be" }, 1018],
    [{ country: "BEL" }, 1018],
    [{ currency: "eur" }, 1002],
    [{ amount: 0 }, 1001],
    [{ amount: "10.00" }, 1001],
    [{ include_coupons: "yes" }, 1000],
  ])("refuses %j with error %i", async (query, errorCode) => {
    const { status, body } = await get<Record<string, unknown>>("/payment-methods", query);
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, error_code: errorCode });
  });

  it("carries apps.fastcheckout.qr and apps.payment_components.qr on every method, as the live API (the PHP SDK requires them)", async () => {
    const list = (await get<{ data: PaymentMethodInfo[] }>("/payment-methods")).body.data;
    const one = (await get<{ data: PaymentMethodInfo }>("/payment-methods/KBC")).body.data;
    for (const m of [...list, one]) {
      // What php src/Api/PaymentMethods/PaymentMethod.php checks before it builds a PaymentMethod.
      expect(m.apps?.payment_components, m.id).toMatchObject({
        has_fields: expect.any(Boolean),
        is_enabled: expect.any(Boolean),
        qr: { supported: false },
      });
      expect(m.apps?.fastcheckout, m.id).toMatchObject({ is_enabled: expect.any(Boolean), qr: { supported: false } });
    }
  });

  it("reads one method by id, in any case, and answers an unknown one with 404 / 1023", async () => {
    expect((await get<{ data: PaymentMethodInfo }>("/payment-methods/KBC")).body.data.id).toBe("KBC");
    expect((await get<{ data: PaymentMethodInfo }>("/payment-methods/cbc")).body.data).toMatchObject({
      id: "CBC",
      allowed_currencies: ["EUR"],
    });
    const { status, body } = await get<Record<string, unknown>>("/payment-methods/IDEAL");
    expect(status).toBe(404);
    expect(body).toMatchObject({ success: false, error_code: 1023 });
  });
});

describe("refunds are transactions too", () => {
  it("lists a refund as its own debit line, under the shared transaction id counter", async () => {
    const [id] = await createOrders(1);
    await mock.pay(id!, { status: "completed" });
    const refunded = await mock.fetch(
      new Request(`${TEST_BASE}/orders/${id}/refunds`, {
        method: "POST",
        headers: { api_key: API_KEY },
        body: JSON.stringify({ currency: "EUR", amount: 300 }),
      }),
    );
    const refundId = ((await refunded.json()) as { data: { refund_id: number } }).data.refund_id;
    const { body } = await get("/transactions", { type: "refund" });
    expect(body.data).toEqual([
      expect.objectContaining({
        transaction_id: refundId,
        order_id: id,
        type: "refund",
        debit_credit: "D",
        amount: 300,
        status: "initialized",
      }),
    ]);
    const all = (await get("/transactions", {})).body.data as { transaction_id: number }[];
    expect(all.map((t) => t.transaction_id)).toEqual([...all.map((t) => t.transaction_id)].sort((a, b) => b - a));
  });
});

describe("one value per filter", () => {
  it("refuses a repeated filter instead of applying only the first", async () => {
    const response = await mock.fetch(
      new Request(`${TEST_BASE}/transactions?payment_method=CBC&payment_method=KBC`, { headers: { api_key: API_KEY } }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ success: false, error_code: 1000 });
  });
});
