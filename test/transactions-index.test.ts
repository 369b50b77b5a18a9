// GET /transactions from the store's index (src/mock/store.ts, transactions.ts) against a plain scan of every
// order (test/helpers/transactions-scan.ts, the listing as it was before the index): the same answer, byte for
// byte, for any history of creates, payments, cancellations, refunds, refund cancellations and settlements, any
// query (filters, limits, cursors, also malformed), and pages read while the history goes on. And the other
// indexes: an order by its session id, and reset.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSandbox, type PaymentOutcome } from "../src/mock/sandbox.js";
import { encodeCursor } from "../src/mock/transactions.js";
import { localTime } from "../src/mock/orders.js";
import { acknowledgeNotifications, API_KEY, redirectOrder, TEST_BASE } from "./helpers/orders.js";
import { scanTransactions } from "./helpers/transactions-scan.js";

const START = Date.parse("2026-03-28T23:30:00Z"); // the night Amsterdam moves to summer time

afterEach(() => {
  vi.useRealTimers();
});

type Sandbox = ReturnType<typeof createSandbox>;

async function api(sandbox: Sandbox, method: string, path: string, body?: unknown) {
  const response = await sandbox.handle(
    new Request(`${TEST_BASE}${path}`, {
      method,
      headers: { api_key: API_KEY, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  if (!response) throw new Error(`no answer for ${method} ${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The indexed answer and the scan's for the same URL, at the same moment. */
async function bothListings(sandbox: Sandbox, url: URL) {
  const indexed = await api(sandbox, "GET", `${url.pathname.slice(new URL(TEST_BASE).pathname.length)}${url.search}`);
  const scanned = scanTransactions(url, sandbox.store.orders.values());
  return { indexed, scanned };
}

const STATUSES = ["initialized", "completed", "void", "expired", "declined", "refunded", "partial_refunded", "x"];
const stamp = (offsetSeconds: number) => localTime(new Date(START + offsetSeconds * 1000));
const timestamp = fc.oneof(
  fc.integer({ min: -3600, max: 20_000 }).map(stamp),
  fc.integer({ min: -3600, max: 20_000 }).map((s) => String(Math.floor((START + s * 1000) / 1000))),
  fc.integer({ min: -3600, max: 20_000 }).map((s) => stamp(s).slice(0, 10)),
  fc.constantFrom("yesterday", "2026-13-01"),
);
const cursor = fc.oneof(
  fc.integer({ min: 3_999_999_990, max: 4_000_000_200 }).map(encodeCursor),
  fc.constantFrom("not+a/cursor", "e30", ""),
);
const query = fc.record(
  {
    limit: fc.oneof(fc.integer({ min: 1, max: 8 }).map(String), fc.constantFrom("0", "1001", "x", "100")),
    status: fc.constantFrom(...STATUSES),
    financial_status: fc.constantFrom(...STATUSES),
    type: fc.constantFrom("payment", "refund"),
    payment_method: fc.constantFrom("KBC", "cbc", "IDEAL"),
    currency: fc.constantFrom("EUR", "eur", "USD"),
    site_id: fc.constantFrom("12345", "1"),
    created_from: timestamp,
    created_until: timestamp,
    completed_from: timestamp,
    completed_until: timestamp,
    after: cursor,
    before: cursor,
  },
  { requiredKeys: [] },
);

type Action =
  | { kind: "create"; gateway: "KBC" | "CBC"; amount: number }
  | { kind: "pay"; order: number; outcome: PaymentOutcome }
  | { kind: "cancel"; order: number }
  | { kind: "refund"; order: number; amount: number | null; description: string }
  | { kind: "cancelRefund"; order: number; refund: number }
  | { kind: "settle" }
  | { kind: "tick"; seconds: number }
  | { kind: "list"; query: Record<string, string>; follow: "none" | "after" | "before" };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      gateway: fc.constantFrom("KBC" as const, "CBC" as const),
      amount: fc.integer({ min: 100, max: 5000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("pay" as const),
      order: fc.nat(),
      outcome: fc.constantFrom<PaymentOutcome>("completed", "completed", "void", "cancelled", "expired", "declined"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      order: fc.nat(),
      amount: fc.option(fc.integer({ min: 1, max: 3000 })),
      description: fc.constantFrom("a", "b"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("cancelRefund" as const), order: fc.nat(), refund: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("settle" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("tick" as const), seconds: fc.integer({ min: 1, max: 4000 }) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("list" as const),
      query,
      follow: fc.constantFrom("none" as const, "after" as const, "before" as const),
    }),
  },
);

describe("GET /transactions from the index", () => {
  it("answers as a plain scan for any history and any query, pages read while orders and refunds change (fast-check)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let midway = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        vi.setSystemTime(START);
        const sandbox = createSandbox({ apiKey: API_KEY, fetch: acknowledgeNotifications });
        const ids: string[] = [];
        const refunds: number[][] = [];
        let pager: { after?: string; before?: string } = {};
        for (const step of actions) {
          const orderId = ids.length ? ids[(step as { order?: number }).order! % ids.length] : undefined;
          switch (step.kind) {
            case "create": {
              const order = { ...redirectOrder(), order_id: `o-${ids.length}`, gateway: step.gateway };
              Object.assign(order, { amount: step.amount, shopping_cart: undefined, checkout_options: undefined });
              const created = await api(sandbox, "POST", "/orders", order);
              expect(created.status).toBe(200);
              ids.push(order.order_id);
              refunds.push([]);
              break;
            }
            case "pay":
              if (orderId) await sandbox.pay(orderId, { status: step.outcome }).catch(() => null);
              break;
            case "cancel":
              if (orderId)
                await api(sandbox, "PATCH", `/orders/${orderId}`, { status: "cancelled", exclude_order: true });
              break;
            case "refund": {
              if (!orderId) break;
              const made = await api(sandbox, "POST", `/orders/${orderId}/refunds`, {
                currency: "EUR",
                description: step.description,
                ...(step.amount === null ? {} : { amount: step.amount }),
              });
              const data = made.body.data as { refund_id?: number } | undefined;
              if (made.status === 200 && data?.refund_id) refunds[ids.indexOf(orderId)]!.push(data.refund_id);
              break;
            }
            case "cancelRefund": {
              const mine = orderId ? refunds[ids.indexOf(orderId)]! : [];
              if (!orderId || !mine.length) break;
              const refundId = mine[step.refund % mine.length];
              await api(sandbox, "PATCH", `/orders/${orderId}/refunds/${refundId}`, { status: "void" });
              break;
            }
            case "settle":
              await sandbox.settleRefunds();
              break;
            case "tick":
              vi.setSystemTime(Date.now() + step.seconds * 1000);
              break;
            case "list": {
              const url = new URL(`${TEST_BASE}/transactions`);
              const params = { ...step.query };
              if (step.follow !== "none") {
                delete params.after;
                delete params.before;
                const next = pager[step.follow];
                if (next) Object.assign(params, Object.fromEntries(new URL(next).searchParams));
              }
              for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
              const { indexed, scanned } = await bothListings(sandbox, url);
              expect(indexed).toEqual(scanned);
              midway++;
              if (indexed.status === 200) pager = (indexed.body as { pager: typeof pager }).pager;
              break;
            }
          }
        }
        // And the whole list as it ended, unfiltered, page by page (limit 3) forwards, then back.
        let url: string | undefined = `${TEST_BASE}/transactions?limit=3`;
        let last: string | undefined;
        while (url) {
          const { indexed, scanned } = await bothListings(sandbox, new URL(url));
          expect(indexed).toEqual(scanned);
          const page = indexed.body as { data: unknown[]; pager: { after?: string; before?: string } };
          last = page.data.length ? url : last;
          url = page.data.length ? page.pager.after : undefined;
        }
        url = last;
        while (url) {
          const { indexed, scanned } = await bothListings(sandbox, new URL(url));
          expect(indexed).toEqual(scanned);
          url = (indexed.body as { pager: { before?: string } }).pager.before;
        }
      }),
      { numRuns: 150 },
    );
    // Guards the guard: most runs compared pages taken in the middle of their history, not only at the end.
    expect(midway).toBeGreaterThan(150);
  }, 120_000);

  it("walks 2,500 orders with refunds in pages of 100 both ways, as the scan does, each row once", async () => {
    const sandbox = createSandbox({ apiKey: API_KEY, fetch: acknowledgeNotifications });
    for (let i = 0; i < 2500; i++) {
      const order = {
        ...redirectOrder(),
        order_id: `bulk-${i}`,
        shopping_cart: undefined,
        checkout_options: undefined,
      };
      expect((await api(sandbox, "POST", "/orders", order)).status).toBe(200);
      if (i % 7 === 0) {
        await sandbox.pay(order.order_id, { status: "completed" });
        await api(sandbox, "POST", `/orders/${order.order_id}/refunds`, { currency: "EUR", amount: 100 });
      }
    }
    const seen = new Set<number>();
    let url: string | undefined = `${TEST_BASE}/transactions?limit=100`;
    let pages = 0;
    while (url) {
      const { indexed, scanned } = await bothListings(sandbox, new URL(url));
      expect(indexed).toEqual(scanned);
      const page = indexed.body as { data: { transaction_id: number }[]; pager: { after?: string } };
      for (const row of page.data) {
        expect(seen.has(row.transaction_id)).toBe(false);
        seen.add(row.transaction_id);
      }
      url = page.data.length ? page.pager.after : undefined;
      pages++;
    }
    expect(seen.size).toBe(2500 + Math.ceil(2500 / 7));
    expect(pages).toBe(Math.ceil(seen.size / 100) + 1);
  }, 60_000);
});

describe("the store's other indexes", () => {
  it("finds an order by its session id, a copy, and forgets it on reset", async () => {
    const sandbox = createSandbox({ apiKey: API_KEY, fetch: acknowledgeNotifications });
    const created = await api(sandbox, "POST", "/orders", { ...redirectOrder(), order_id: "s-1" });
    const sessionId = (created.body.data as { session_id: string }).session_id;
    const found = sandbox.session(sessionId);
    expect(found?.order.order_id).toBe("s-1");
    found!.order.status = "completed";
    expect(sandbox.orders.get("s-1")?.status).toBe("initialized");
    expect(sandbox.session("no-such-session")).toBeUndefined();
    sandbox.reset();
    expect(sandbox.session(sessionId)).toBeUndefined();
    expect(sandbox.store.transactions).toHaveLength(0);
    const page = await api(sandbox, "GET", "/transactions");
    expect(page.body.data).toEqual([]);
  });
});
