// msp.transactions and msp.paymentMethods against the mock (msw, onUnhandledRequest "error"), both transports.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay, TRANSPORT } from "./helpers/client.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { AuthenticationError } from "../src/index.js";
import { schemaRef, validateAt } from "./helpers/spec.js";

const mock = createMultiSafepayMock({ apiKey: API_KEY });
const server = setupServer(...mock.handlers);
const answers: Promise<unknown>[] = [];
const asked: URL[] = [];
server.events.on("request:start", ({ request }) => void asked.push(new URL(request.url)));
server.events.on("response:mocked", ({ request, response }) => {
  if (request.url.startsWith(TEST_BASE)) answers.push(expectConformingAnswer(request, response));
});
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  await Promise.all(answers.splice(0));
  mock.reset();
  asked.length = 0;
});
afterAll(() => server.close());

const msp = () => createMultiSafepay({ apiKey: API_KEY, environment: "test" });
const pages = () => asked.filter((u) => u.pathname.endsWith("/transactions"));

/** Orders straight into the mock (no notification_url: nothing to deliver). */
async function createOrders(count: number, gateway: "KBC" | "CBC" = "KBC") {
  const { payment_options: _, ...order } = redirectOrder();
  const client = msp();
  for (let i = 0; i < count; i++) await client.orders.create({ ...order, gateway, order_id: `${gateway}-${i}` });
  asked.length = 0;
}

describe(`transactions (${TRANSPORT})`, () => {
  it("iterates hundreds of orders across pages, each exactly once, following the cursors", async () => {
    await createOrders(230);
    const seen: string[] = [];
    for await (const transaction of msp().transactions.iterate({ limit: 50 })) seen.push(String(transaction.order_id));
    expect(seen).toHaveLength(230);
    expect(new Set(seen).size).toBe(230);
    // Five pages with data, then the empty page the last one's `after` cursor leads to (MultiSafepay's rule).
    expect(pages()).toHaveLength(6);
    expect(
      pages()
        .slice(1)
        .every((u) => u.searchParams.get("after") && u.searchParams.get("limit") === "50"),
    ).toBe(true);
  });

  it("sends the filters with every page", async () => {
    await createOrders(3);
    await createOrders(2, "CBC");
    const paid = ["KBC-0", "KBC-2", "CBC-1"];
    for (const id of paid) await mock.pay(id, { status: "completed" });
    asked.length = 0;
    const query = { payment_method: "KBC", status: "completed", limit: 1 } as const;
    const found: string[] = [];
    for await (const t of msp().transactions.iterate(query)) found.push(String(t.order_id));
    expect(found.sort()).toEqual(["KBC-0", "KBC-2"]);
    for (const url of pages())
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        payment_method: "KBC",
        status: "completed",
        limit: "1",
      });
  });

  it("stops fetching when the loop breaks", async () => {
    await createOrders(30);
    let n = 0;
    for await (const _ of msp().transactions.iterate({ limit: 10 })) if (++n === 12) break;
    expect(pages()).toHaveLength(2);
  });

  it("lists one page with its pager", async () => {
    await createOrders(3);
    const page = await msp().transactions.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.pager).toMatchObject({ limit: 2, cursor: { after: expect.any(String) } });
  });

  it("refuses a cursor that comes back, instead of looping for ever", async () => {
    const body = JSON.stringify({
      success: true,
      data: [{ order_id: "x", transaction_id: 1 }],
      pager: { cursor: { after: "same" }, limit: 1 },
    });
    let calls = 0;
    const looping = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async () => (calls++, new Response(body)),
    });
    const error = await caught(
      (async () => {
        for await (const _ of looping.transactions.iterate()) void _;
      })(),
    );
    expect(error).toMatchObject({ code: "invalid_response" });
    expect(calls).toBe(2);
  });
});

describe(`iterate against odd pagers (${TRANSPORT})`, () => {
  const serving = (...pages: unknown[]) => {
    let calls = 0;
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async () => new Response(JSON.stringify({ success: true, ...(pages[calls++] as object) })),
    });
    return { msp, calls: () => calls };
  };
  const all = async (msp: ReturnType<typeof createMultiSafepay>) => {
    const seen: unknown[] = [];
    for await (const t of msp.transactions.iterate()) seen.push(t.order_id);
    return seen;
  };

  it("follows a cursor past an empty page, as the pager's rule says", async () => {
    const { msp, calls } = serving(
      { data: [], pager: { cursor: { after: "c1" } } },
      { data: [{ order_id: "a" }], pager: { cursor: { after: null } } },
    );
    expect(await all(msp)).toEqual(["a"]);
    expect(calls()).toBe(2);
  });

  it("ends on a missing pager, and refuses a cursor that is not a string", async () => {
    expect(await all(serving({ data: [{ order_id: "a" }], pager: null }).msp)).toEqual(["a"]);
    expect(
      await caught(all(serving({ data: [{ order_id: "a" }], pager: { cursor: { after: 5 } } }).msp)),
    ).toMatchObject({ code: "invalid_response" });
  });
});

describe(`payment methods (${TRANSPORT})`, () => {
  it("offers KBC and CBC for Belgium in euros, and nothing elsewhere", async () => {
    expect(
      (await msp().paymentMethods.list({ country: "BE", currency: "EUR", amount: 1000 })).map((m) => m.id).sort(),
    ).toEqual(["CBC", "KBC"]);
    expect(await msp().paymentMethods.list({ country: "NL" })).toEqual([]);
    expect(await msp().paymentMethods.list({ currency: "USD" })).toEqual([]);
    expect(asked.map((u) => u.searchParams.toString())).toEqual([
      "country=BE&currency=EUR&amount=1000",
      "country=NL",
      "currency=USD",
    ]);
  });

  it("reads one by id", async () => {
    expect(await msp().paymentMethods.get("KBC")).toMatchObject({ id: "KBC", allowed_countries: ["BE"] });
    expect(await caught(msp().paymentMethods.get("NOPE"))).toMatchObject({ code: "api_error", status: 404 });
  });
});

describe(`what MultiSafepay really answers on /transactions (${TRANSPORT})`, () => {
  it("reads 403 {message: Forbidden} (docs paths/transactions.yaml, errors/403Error.yaml) as a typed authentication_error, which the spec allows", async () => {
    let sent = 0;
    const forbidden = async (request: Request) => {
      sent++;
      const response = Response.json({ message: "Forbidden" }, { status: 403 });
      await expectConformingAnswer(request, response.clone());
      return response;
    };
    const client = createMultiSafepay({
      apiKey: "a-revoked-key",
      environment: "test",
      fetch: forbidden,
      maxRetries: 2,
    });
    const error = await caught(client.transactions.list({ limit: 10 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "authentication_error", status: 403, errorCode: null });
    expect(sent).toBe(1);
  });

  it("takes an integer order_id, as MultiSafepay sends an all-digit one", async () => {
    const page = {
      success: true,
      data: [{ transaction_id: 4000000001, order_id: 12345, type: "payment", amount: 1000, currency: "EUR" }],
      pager: { cursor: {}, limit: 10 },
    };
    const client = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async (request) => {
        const response = Response.json(page);
        await expectConformingAnswer(request, response.clone());
        return response;
      },
    });
    expect((await client.transactions.list({ limit: 10 })).data[0]?.order_id).toBe(12345);
  });

  it("allows [] where MultiSafepay writes an empty map: error data, checkout_options and its default", () => {
    expect(
      validateAt(schemaRef("ErrorResponse"), {
        success: false,
        data: [],
        error_code: 1019,
        error_info: "The site is blocked in your account.",
      }).errors,
    ).toEqual([]);
    for (const checkout_options of [[], { default: [] }]) {
      expect(
        validateAt(schemaRef("Order"), { order_id: "a", checkout_options }).errors,
        JSON.stringify(checkout_options),
      ).toEqual([]);
    }
  });
});
