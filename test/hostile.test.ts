// The money-and-key promises of docs/errors-and-retries.md against servers that misbehave on purpose, over real loopback
// sockets, once per transport (vitest.config.ts runs this file over the global fetch and over node:http).
import { randomBytes } from "node:crypto";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import util from "node:util";
import { describe, expect, it, vi } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay, TRANSPORT } from "./helpers/client.js";
import { loopback, sendResponse, toRequest } from "./helpers/loopback.js";
import { API_KEY, directOrder, redirectCreated, redirectOrder } from "./helpers/orders.js";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { createPipeline } from "../src/pipeline.js";
import { createCursorGuard, CURSOR_WINDOW, MAX_CURSOR_LENGTH } from "../src/resources/transaction-walk.js";
import { transactionsResource } from "../src/resources/transactions.js";
import { createFetchSender } from "../src/senders/fetch-sender.js";
import { createNodeSender } from "../src/senders/node-sender.js";

const client = (baseUrl: string, options: object = {}) => createMultiSafepay({ apiKey: API_KEY, baseUrl, ...options });
const createdBody = JSON.stringify({ success: true, data: redirectCreated().data });

describe(`redirects (${TRANSPORT})`, () => {
  it("are never followed: a 3xx is invalid_response, and the key never reaches the other origin", async () => {
    const elsewhere = await loopback((_req, res) => void res.end(createdBody));
    for (const status of [301, 302, 303, 307, 308]) {
      const api = await loopback(
        (req, res) =>
          void res.writeHead(status, { location: `${elsewhere.base}${req.url?.slice("/v1/json".length)}` }).end(),
      );
      const msp = client(api.base, { maxRetries: 2 });
      expect(await caught(msp.orders.create(redirectOrder())), String(status)).toMatchObject({
        code: "invalid_response",
        status,
      });
      expect(await caught(msp.orders.get("my-order-id-1"))).toMatchObject({ code: "invalid_response", status });
      expect(await caught(msp.api.GET("/gateways", {}))).toMatchObject({ code: "invalid_response", status });
      expect(api.requests).toHaveLength(3);
    }
    expect(elsewhere.requests).toEqual([]);
  });
});

describe(`the answer-size cap (${TRANSPORT})`, () => {
  /** Streams up to 1 GiB of JSON-looking bytes, stopping as soon as the client hangs up. */
  async function endless(withLength: boolean) {
    let written = 0;
    const server = await loopback((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        ...(withLength ? { "content-length": String(2 ** 30) } : {}),
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.write('{"success":true,"data":"');
      const pump = () => {
        while (written < 2 ** 30 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
      };
      res.on("close", () => (written = 2 ** 30));
      pump();
    });
    return { server, written: () => written };
  }

  it("stops reading past maxResponseBytes (default 4 MiB) with a typed error, never a crash", async () => {
    for (const withLength of [false, true]) {
      const { server, written } = await endless(withLength);
      const error = await caught(client(server.base, { maxRetries: 0 }).orders.get("big"));
      expect(error).toMatchObject({
        code: "invalid_response",
        status: 200,
        message: expect.stringContaining("4194304 bytes"),
      });
      expect(written()).toBeLessThan(2 ** 30);
    }
  });

  it("takes a smaller cap, and applies it to msp.api too", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    const msp = client(server.base, { maxResponseBytes: 64 });
    expect(await caught(msp.orders.create(redirectOrder()))).toMatchObject({ code: "invalid_response" });
    expect(await caught(msp.api.GET("/gateways", {}))).toMatchObject({ code: "invalid_response" });
    expect(createdBody.length).toBeGreaterThan(64);
  });
});

/** The mock behind a real socket; `drop` decides which answers are lost after the mock has acted on them. */
async function mockServer(drop: (method: string, path: string, served: number) => boolean) {
  let served = 0;
  let mock: ReturnType<typeof createMultiSafepayMock> | undefined;
  const server = await loopback(async (req, res, body) => {
    const response = await mock!.fetch(toRequest(req, server.origin, body));
    if (drop(req.method ?? "", new URL(req.url ?? "/", server.origin).pathname, served++))
      return void req.socket.destroy();
    await sendResponse(res, response);
  });
  mock = createMultiSafepayMock({ apiKey: API_KEY, environment: [], baseUrl: server.base });
  return { server, mock };
}

describe(`a create whose answer is lost after the order was stored (${TRANSPORT})`, () => {
  const dropFirstCreate = (method: string, path: string, served: number) =>
    method === "POST" && path.endsWith("/orders") && served === 0;

  it("direct: returns the order the first attempt made, with its payment_url", async () => {
    const { server, mock } = await mockServer(dropFirstCreate);
    const created = await client(server.base).orders.create(directOrder());
    expect(created).toMatchObject({
      order_id: directOrder().order_id,
      status: "initialized",
      payment_url: expect.stringMatching(new RegExp(`^${new URL(server.base).origin}/sandbox/pay/`)),
    });
    expect(mock.orders.list()).toHaveLength(1);
  });

  it("redirect: rejects with order_exists carrying the order, since its payment link cannot be read back", async () => {
    const { server, mock } = await mockServer(dropFirstCreate);
    const error = await caught(client(server.base).orders.create(redirectOrder()));
    expect(error).toMatchObject({
      code: "order_exists",
      order: { order_id: redirectOrder().order_id, status: "initialized" },
    });
    expect(mock.orders.list()).toHaveLength(1);
  });

  it("on a reused kept-alive socket, the lost attempt counts and the recovery runs", async () => {
    // The second request on the connection is processed, then the connection dies before the answer.
    const { server, mock } = await mockServer((method, _path, served) => method === "POST" && served === 1);
    const msp = client(server.base);
    await msp.orders.create({ ...directOrder(), order_id: "first" });
    const second = await msp.orders.create({ ...directOrder(), order_id: "second" });
    expect(second).toMatchObject({
      order_id: "second",
      payment_url: expect.stringMatching(new RegExp(`^${new URL(server.base).origin}/sandbox/pay/`)),
    });
    expect(mock.orders.list().map((o) => o.order_id)).toEqual(["first", "second"]);
  });

  it("with retries off, the caller hears connection_error and no second order is made", async () => {
    const { server, mock } = await mockServer(dropFirstCreate);
    expect(await caught(client(server.base, { maxRetries: 0 }).orders.create(redirectOrder()))).toMatchObject({
      code: "connection_error",
    });
    expect(mock.orders.list()).toHaveLength(1);
  });
});

describe(`sockets (${TRANSPORT})`, () => {
  it("keeps at most maxSockets requests in flight (on Node: connections) however many calls run at once", async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await loopback((_req, res) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => res.end(createdBody, () => inFlight--), 2);
    });
    const msp = client(server.base, { maxSockets: 4 });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => msp.orders.create({ ...redirectOrder(), order_id: `o-${i}` })),
    );
    expect(server.requests).toHaveLength(200);
    expect(peak).toBeLessThanOrEqual(4);
    // The fetch transport bounds requests; the runtime's fetch owns its connection pool.
    if (TRANSPORT === "node-http") expect(server.connections().peak).toBeLessThanOrEqual(4);
    await msp.close();
  });

  it("keeps connections within maxSockets + 2 against a server that stalls answers, so that attempts time out", async () => {
    // Two answers in three never come: each of those attempts is aborted at its timeout. Node's fetch closes
    // the aborted socket and opens another in its place; the slot stands for that one (ABORT_GRACE_MS).
    let served = 0;
    const server = await loopback((_req, res) => {
      if (served++ % 3 !== 2) return;
      res.end(JSON.stringify({ success: true, data: [] }));
    });
    const maxSockets = 4;
    const msp = client(server.base, { maxSockets, timeoutMs: 60, maxRetries: 2 });
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, () => msp.gateways.list()));
    expect(
      outcomes.every(
        (o) =>
          o.status === "fulfilled" ||
          ["timeout_error", "connection_error"].includes((o.reason as { code?: string }).code ?? ""),
      ),
    ).toBe(true);
    expect(server.requests.length).toBeGreaterThanOrEqual(maxSockets);
    expect(server.connections().peak).toBeLessThanOrEqual(maxSockets + 2);
    await msp.close();
  });

  it("close() releases kept-alive sockets, and later calls fail clearly", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    const msp = client(server.base);
    await msp.orders.create(redirectOrder());
    await msp.close();
    if (TRANSPORT === "node-http") {
      await expect.poll(() => server.connections().open).toBe(0);
    }
    expect(await caught(msp.orders.create(redirectOrder()))).toMatchObject({
      code: "connection_error",
      message: expect.stringContaining("closed"),
    });
  });

  it("close() lets the calls in flight finish, and starts no new ones", async () => {
    const server = await loopback((_req, res) => void setTimeout(() => res.end(createdBody), 50));
    const msp = client(server.base);
    const inFlight = msp.orders.create(redirectOrder());
    await new Promise((r) => setTimeout(r, 10));
    const closed = msp.close();
    expect(await inFlight).toMatchObject({ payment_url: expect.any(String) });
    await closed;
    expect(server.requests).toHaveLength(1);
  });

  it("close() cuts short a pause between attempts, and the call gets the last real answer", async () => {
    const server = await loopback(
      (_req, res) =>
        void res
          .writeHead(503, { "retry-after": "20", "content-type": "application/json" })
          .end('{"success":false,"data":{},"error_code":9999,"error_info":"busy"}'),
    );
    const msp = client(server.base);
    const call = caught(msp.orders.get("o-1"));
    await expect.poll(() => server.requests.length).toBe(1);
    const started = Date.now();
    await msp.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await call).toMatchObject({ code: "api_error", status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("a refund that timed out waiting for a free connection was never sent, so it is sent again", async () => {
    const server = await loopback(
      (req, res) =>
        void setTimeout(() => res.end('{"success":true,"data":{"refund_id":1}}'), req.method === "GET" ? 250 : 0),
    );
    // The backoff's jitter at its top (0.5 s): the second try starts long after the GET has given its connection
    // back, so it never gets the slot at the end of its own 200 ms and times out after sending (outcome_unknown).
    const random = vi.spyOn(Math, "random").mockReturnValue(0.999);
    try {
      const msp = client(server.base, { maxSockets: 1, timeoutMs: 300, maxRetries: 1 });
      const slow = msp.orders.get("slow", { maxRetries: 0, timeoutMs: 1_000 });
      // The first try gives up at 200 ms, while the GET holds the only connection until its answer at 250 ms.
      // (Not until a timeout of the GET: on the fetch transport an aborted attempt keeps its slot for
      // ABORT_GRACE_MS.)
      const refund = await msp.refunds.create(
        "o-1",
        { currency: "EUR", amount: 100 },
        { timeoutMs: 200, maxRetries: 2 },
      );
      expect(refund).toEqual({ refund_id: 1 });
      expect(await slow).toEqual({ refund_id: 1 });
      expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
      expect(random).toHaveBeenCalled(); // a backoff was drawn: the first try did give up
    } finally {
      random.mockRestore();
    }
  });

  it("disposes with `await using`", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    const msp = client(server.base);
    await msp.orders.create(redirectOrder());
    await msp[Symbol.asyncDispose]();
    expect(await caught(msp.orders.get("x"))).toMatchObject({ code: "connection_error" });
  });
});

describe(`a refund whose answer is lost (${TRANSPORT})`, () => {
  it("is sent exactly once, and the caller hears outcome_unknown", async () => {
    let target: ReturnType<typeof createMultiSafepayMock> | undefined;
    const api = await loopback(async (req, res, body) => {
      const response = await target!.fetch(toRequest(req, api.origin, body));
      if (req.url?.endsWith("/refunds")) return void req.socket.destroy();
      await sendResponse(res, response);
    });
    target = createMultiSafepayMock({
      apiKey: API_KEY,
      environment: [],
      baseUrl: api.base,
      fetch: async () => new Response("OK"),
    });
    const client = createMultiSafepay({ apiKey: API_KEY, baseUrl: api.base, maxRetries: 5 });
    await client.orders.create({ ...redirectOrder(), order_id: "lost-refund" });
    await target.pay("lost-refund", { status: "completed" });
    const error = await caught(client.refunds.create("lost-refund", { currency: "EUR", amount: 100 }));
    expect(error).toMatchObject({ code: "outcome_unknown", cause: { code: "connection_error" } });
    expect(api.requests.filter((r) => r.url.endsWith("/refunds"))).toHaveLength(1);
    // How docs/refunds-and-cancellation.md says to check before trying again.
    expect((await client.orders.get("lost-refund")).amount_refunded).toBe(100);
    await client.close();
  });
});

describe(`bad input outside bodies is a ValidationError naming the field, and nothing is sent (${TRANSPORT})`, () => {
  const lone = "ab\ud800c";

  it("an id with a lone surrogate, through every resource method and msp.api's path parameters", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    const msp = client(server.base);
    const cases: [() => Promise<unknown>, string][] = [
      [() => msp.orders.get(lone), "/order_id"],
      [() => msp.orders.cancel(lone), "/order_id"],
      [() => msp.refunds.create(lone, { currency: "EUR", amount: 100 }), "/order_id"],
      [() => msp.refunds.cancel("o-1", "\udc00"), "/refund_id"],
      [() => msp.paymentMethods.get(lone), "/payment_method_id"],
      [() => msp.api.GET("/orders/{order_id}", { params: { path: { order_id: lone } } }), "/order_id"],
      [() => msp.api.GET("/gateways/{gateway_id}", { params: { path: { gateway_id: lone } } }), "/gateway_id"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call());
      expect(error, path).toMatchObject({
        code: "validation_error",
        issues: [{ path, message: expect.stringContaining("lone UTF-16 surrogate") }],
      });
    }
    expect(server.requests).toEqual([]);
  });

  it("an id the spec's rule for its path parameter refuses (refund_id is digits), through the resource methods and msp.api", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: {} })));
    const msp = client(server.base);
    const api = msp.api as unknown as Record<string, (path: string, init?: object) => Promise<unknown>>;
    const cases: [() => Promise<unknown>, string][] = [
      [() => msp.refunds.cancel("o-1", "r-1"), "/refund_id"],
      [() => msp.refunds.cancel("o-1", "1".repeat(21)), "/refund_id"],
      [() => msp.refunds.cancel("o-1", -2), "/refund_id"],
      [() => msp.orders.get("x".repeat(51)), "/order_id"],
      [() => msp.gateways.get("KBC/CBC"), "/gateway_id"],
      [() => msp.paymentMethods.get("kbc card"), "/payment_method_id"],
      [
        () =>
          msp.api.PATCH("/orders/{order_id}/refunds/{refund_id}", {
            params: { path: { order_id: "o-1", refund_id: "r-1" } },
            body: { status: "void" },
          }),
        "/refund_id",
      ],
      [() => api.PATCH!("/orders/o-1/refunds/r-1", { body: { status: "void" } }), "/refund_id"],
      [() => msp.api.GET("/gateways/{gateway_id}", { params: { path: { gateway_id: "a b" } } }), "/gateway_id"],
      [() => api.GET!(`/orders/${"x".repeat(51)}`), "/order_id"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call());
      expect(error, path).toMatchObject({
        code: "validation_error",
        issues: [{ path, message: expect.stringContaining("the spec's rule") }],
      });
      expect(error.message, path).toContain(path);
    }
    expect(server.requests).toEqual([]);
    // Digits are a refund id, as a number or a string (beyond 2^53 too); both kinds of call send them.
    await msp.refunds.cancel("o-1", 3326969);
    await msp.refunds.cancel("o-1", "17472052901237122");
    await msp.api.PATCH("/orders/{order_id}/refunds/{refund_id}", {
      params: { path: { order_id: "o-1", refund_id: "3326969" } },
      body: { status: "void" },
    });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/v1/json/orders/o-1/refunds/3326969",
      "/v1/json/orders/o-1/refunds/17472052901237122",
      "/v1/json/orders/o-1/refunds/3326969",
    ]);
  });

  it("a path written with a malformed %-escape, through msp.api", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    const msp = client(server.base);
    const api = msp.api as unknown as Record<string, (path: string, init?: object) => Promise<unknown>>;
    const cases: [() => Promise<unknown>, string][] = [
      [() => api.GET!("/orders/%zz"), "/order_id"],
      [() => api.POST!("/orders/%E0%A4%A/refunds", { body: { currency: "EUR", amount: 100 } }), "/order_id"],
      [() => api.PATCH!("/orders/o-1/refunds/%", { body: { status: "void" } }), "/refund_id"],
      [() => api.GET!("/gateways/%E0%A4"), "/gateway_id"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call());
      expect(error, path).toMatchObject({
        code: "validation_error",
        issues: [{ path, message: expect.stringContaining("malformed %-escape") }],
      });
    }
    // The same value given as a parameter is encoded, so it is sent (and names the order spelt "%zz").
    await msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "%zz" } } });
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/json/orders/%25zz"]);
  });

  it("a query parameter with a lone surrogate, through the resource methods and msp.api", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: [] })));
    const msp = client(server.base);
    const cases: [() => Promise<unknown>, string][] = [
      [() => msp.transactions.list({ payment_method: lone } as never), "/payment_method"],
      [() => msp.paymentMethods.list({ country: lone } as never), "/country"],
      [() => msp.gateways.list({ country: lone } as never), "/country"],
      [() => msp.api.GET("/transactions", { params: { query: { payment_method: lone } as never } }), "/payment_method"],
      [() => msp.api.GET("/gateways", { params: { query: { country: lone } as never } }), "/country"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call());
      expect(error, path).toMatchObject({
        code: "validation_error",
        issues: expect.arrayContaining([expect.objectContaining({ path })]),
      });
    }
    expect(server.requests).toEqual([]);
  });

  it("a header value with CR/LF (or a bad header name) through msp.api", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: [] })));
    const msp = client(server.base);
    const cases: [() => Promise<unknown>, string][] = [
      [() => msp.api.GET("/gateways", { headers: { "x-a": "b\r\nc" } }), "/headers/x-a"],
      [() => msp.api.GET("/gateways", { headers: { "x-a": ["ok", "b\nc"] } as never }), "/headers/x-a"],
      [() => msp.api.GET("/gateways", { headers: { "bad name": "v" } }), "/headers/bad name"],
      [() => msp.api.request("get", "/gateways", { headers: { "x-a": "b\rc" } }), "/headers/x-a"],
      [() => msp.api.GET("/gateways", { params: { header: { "x-b": "\u0000" } } as never }), "/params/header/x-b"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call());
      expect(error, path).toMatchObject({ code: "validation_error", issues: [{ path }] });
    }
    expect(server.requests).toEqual([]);
    // A good header still goes through.
    await msp.api.GET("/gateways", { headers: { "x-a": "b c" } });
    expect(server.requests[0]?.headers["x-a"]).toBe("b c");
  });
});

describe(`transactions.iterate against a server handing out endless cursors (${TRANSPORT})`, () => {
  /** A page per request; `cursorAfter(n)` is the cursor the n-th page (from 0) hands out, undefined to end. */
  async function pager(cursorAfter: (n: number) => string | undefined) {
    let served = 0;
    const server = await loopback((_req, res) => {
      // Bounded whatever the client does: past 16 384 pages the walk ends.
      const after = served >= 16_384 ? undefined : cursorAfter(served);
      served++;
      res.end(
        JSON.stringify({
          success: true,
          data: [{ order_id: `o-${served}` }],
          pager: { cursor: { after: after ?? null } },
        }),
      );
    });
    return { server, served: () => served };
  }
  /** The resource over this transport's sender, with the walk's guard watched (the test seam). */
  function watched(base: string) {
    const sender =
      TRANSPORT === "node-http" ? createNodeSender(4) : createFetchSender((request) => globalThis.fetch(request), 4);
    const pipeline = createPipeline({
      baseUrl: base,
      apiKey: API_KEY,
      sender,
      timeoutMs: 10_000,
      maxRetries: 0,
      maxResponseBytes: 1 << 20,
    });
    let peak = 0;
    const transactions = transactionsResource(pipeline, () => {
      const guard = createCursorGuard();
      return {
        repeats: (cursor: string) => {
          const repeated = guard.repeats(cursor);
          peak = Math.max(peak, guard.retained);
          return repeated;
        },
        get retained() {
          return guard.retained;
        },
      };
    });
    return { transactions, peak: () => peak, close: () => pipeline.close() };
  }
  const walk = async (transactions: ReturnType<typeof watched>["transactions"]) => {
    let rows = 0;
    for await (const _ of transactions.iterate()) rows++;
    return rows;
  };
  // Distinct, large (4 KiB, the longest taken) cursors: a walk keeps their hashes, never their text.
  const large = (n: number) => `${n}-`.padEnd(MAX_CURSOR_LENGTH, "x");

  it("walks thousands of distinct large cursors holding a bounded number of them", async () => {
    const pages = 2 * CURSOR_WINDOW + 50;
    const { server, served } = await pager((n) => (n < pages - 1 ? large(n) : undefined));
    const client = watched(server.base);
    expect(await walk(client.transactions)).toBe(pages);
    expect(served()).toBe(pages);
    expect(client.peak()).toBeLessThanOrEqual(CURSOR_WINDOW + 1);
    await client.close();
  });

  it("still refuses a repeated cursor: right away in a short loop, and within three times its length in a loop longer than what it holds", async () => {
    for (const [start, length] of [
      [3, 1],
      [5, 7],
      [10, 3 * CURSOR_WINDOW],
    ] as const) {
      const { server, served } = await pager((n) => large(n < start ? n : start + ((n - start) % length)));
      const client = watched(server.base);
      expect(await caught(walk(client.transactions)), `${start}+${length}`).toMatchObject({
        code: "invalid_response",
        message: expect.stringContaining("loop"),
      });
      if (length <= CURSOR_WINDOW) expect(served()).toBe(start + length + 1);
      else expect(served()).toBeLessThanOrEqual(3 * (start + length) + 2);
      expect(client.peak()).toBeLessThanOrEqual(CURSOR_WINDOW + 1);
      await client.close();
    }
  });

  it(`refuses a cursor longer than ${MAX_CURSOR_LENGTH} characters as invalid_response, without following it`, async () => {
    const { server, served } = await pager(() => "c".repeat(64 * 1024));
    const msp = client(server.base);
    expect(await caught(walk(msp.transactions as never))).toMatchObject({
      code: "invalid_response",
      message: expect.stringContaining(`${MAX_CURSOR_LENGTH} characters`),
    });
    expect(served()).toBe(1);
    await msp.close();
  });
});

describe(`many calls pausing between retries (${TRANSPORT})`, () => {
  it("print no MaxListenersExceededWarning: 50 concurrent retrying calls, with and without a shared signal", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on("warning", onWarning);
    try {
      let served = 0;
      // Every call's first attempt hears 503 with a short Retry-After; the retry succeeds.
      const server = await loopback((req, res) => {
        const first = served++ < 100;
        if (first)
          return void res
            .writeHead(503, { "retry-after": "1", "content-type": "application/json" })
            .end('{"success":false,"data":{},"error_code":9999,"error_info":"busy"}');
        res.end(
          JSON.stringify({ success: true, data: { order_id: req.url?.split("/").pop(), status: "initialized" } }),
        );
      });
      const msp = client(server.base);
      const shared = new AbortController();
      const calls = Array.from({ length: 50 }, (_, i) => msp.orders.get(`o-${i}`));
      const withSignal = Array.from({ length: 50 }, (_, i) => msp.orders.get(`s-${i}`, { signal: shared.signal }));
      const orders = await Promise.all([...calls, ...withSignal]);
      expect(orders).toHaveLength(100);
      expect(server.requests).toHaveLength(200);
      await msp.close();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});

describe(`a money-moving call whose answer proves nothing (${TRANSPORT})`, () => {
  type Answer = (res: import("node:http").ServerResponse) => void;
  const send =
    (status: number, body: string, type = "application/json", headers: Record<string, string> = {}): Answer =>
    (res) =>
      void res.writeHead(status, { "content-type": type, ...headers }).end(body);
  const calls: [string, (msp: ReturnType<typeof client>) => Promise<unknown>][] = [
    ["refunds.create", (msp) => msp.refunds.create("o-1", { currency: "EUR", amount: 100 })],
    ["refunds.cancel", (msp) => msp.refunds.cancel("o-1", "2")],
    ["orders.cancel", (msp) => msp.orders.cancel("o-1")],
    [
      "msp.api refund",
      (msp) =>
        msp.api.POST("/orders/{order_id}/refunds", {
          params: { path: { order_id: "o-1" } },
          body: { currency: "EUR", amount: 100 },
        }),
    ],
    [
      "msp.api order cancel",
      (msp) =>
        msp.api.PATCH("/orders/{order_id}", { params: { path: { order_id: "o-1" } }, body: { status: "cancelled" } }),
    ],
  ];
  const unknown: [string, Answer, Record<string, unknown>][] = [
    [
      "a proxy's 502 page",
      send(502, "<html><body>502 Bad Gateway</body></html>", "text/html"),
      { code: "invalid_response", status: 502 },
    ],
    [
      "a proxy's 504 page",
      send(504, "<html><body>504 Gateway Time-out</body></html>", "text/html"),
      { code: "invalid_response", status: 504 },
    ],
    ["truncated JSON", send(200, '{"success":true,"da'), { code: "invalid_response", status: 200 }],
    ["an empty 200", send(200, ""), { code: "invalid_response" }],
    [
      "a 500 with MultiSafepay's envelope",
      send(500, '{"success":false,"data":{},"error_code":1000,"error_info":"Internal error"}'),
      { code: "api_error", status: 500 },
    ],
    [
      "an error status without MultiSafepay's error_code",
      send(400, '{"message":"bad request"}'),
      { code: "api_error", status: 400, errorCode: null },
    ],
    [
      "a redirect",
      send(302, "", "text/html", { location: "http://127.0.0.1:9/elsewhere" }),
      { code: "invalid_response", status: 302 },
    ],
    [
      "an answer over maxResponseBytes",
      send(200, JSON.stringify({ success: true, data: { pad: "x".repeat(5000) } })),
      { code: "invalid_response" },
    ],
  ];

  for (const [name, call] of calls) {
    it.each(unknown)(`${name}: %s is outcome_unknown, sent once`, async (_what, answer, cause) => {
      const server = await loopback((_req, res) => answer(res));
      const error = await caught(call(client(server.base, { maxRetries: 5, maxResponseBytes: 4096 })));
      expect(error).toMatchObject({ code: "outcome_unknown", accepted: false, cause });
      expect(error.message).toContain("may have acted on the request");
      expect(server.requests).toHaveLength(1);
    });

    it(`${name}: success: true with data it cannot read is outcome_unknown, saying MultiSafepay accepted it`, async () => {
      const bodies = ['{"success":true}', '{"success":true,"data":"refunded"}', '{"success":true,"data":[1]}'];
      // The cancellations read no data: only an envelope without `data` is unreadable for them.
      for (const body of name.startsWith("refunds.create") ? bodies : bodies.slice(0, 1)) {
        const server = await loopback(
          (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(body),
        );
        const error = await caught(call(client(server.base, { maxRetries: 5 })));
        expect(error, body).toMatchObject({
          code: "outcome_unknown",
          accepted: true,
          cause: { code: "invalid_response" },
        });
        expect(error.message).toContain("MultiSafepay accepted the request");
        expect(server.requests).toHaveLength(1);
      }
    });

    it(`${name}: MultiSafepay's refusal stays a definite api_error / authentication_error`, async () => {
      const refusals: [number, string, Record<string, unknown>][] = [
        [
          404,
          '{"success":false,"data":{},"error_code":1034,"error_info":"Cannot refund"}',
          { code: "api_error", status: 404, errorCode: 1034 },
        ],
        [
          200,
          '{"success":false,"data":{},"error_code":1034,"error_info":"Cannot refund"}',
          { code: "api_error", status: 200, errorCode: 1034 },
        ],
        [
          401,
          '{"success":false,"data":{},"error_code":1032,"error_info":"Invalid API key"}',
          { code: "authentication_error", errorCode: 1032 },
        ],
      ];
      for (const [status, body, expected] of refusals) {
        const server = await loopback(
          (_req, res) => void res.writeHead(status, { "content-type": "application/json" }).end(body),
        );
        expect(await caught(call(client(server.base, { maxRetries: 5 }))), body).toMatchObject(expected);
        expect(server.requests).toHaveLength(1);
      }
    });
  }

  it("a GET's unreadable answer stays invalid_response (it can be read again: nothing was moved)", async () => {
    const server = await loopback(
      (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"da'),
    );
    expect(await caught(client(server.base).orders.get("o-1"))).toMatchObject({ code: "invalid_response" });
  });
});

describe(`the API key never reaches an error, whatever the server echoes (${TRANSPORT})`, () => {
  const KEYS = ["40000", "KBC-1", "https", "a/b/c", randomBytes(20).toString("hex")];
  /** Every way the key may be spelt in JSON: as it is, its JSON string form, \u-escaped (either case), `/` as `\/`. */
  const forms = (key: string) => {
    const u = (upper: boolean) =>
      [...key]
        .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")[upper ? "toUpperCase" : "toLowerCase"]()}`)
        .join("");
    return [...new Set([key, JSON.stringify(key).slice(1, -1), u(false), u(true), key.replaceAll("/", "\\/")])];
  };
  /** Every string an error shows: printed at any depth, as JSON, as a string, and each own property down `cause`. */
  function shown(error: unknown): string[] {
    const out = [
      util.inspect(error, { depth: Infinity }),
      util.inspect(error, { depth: Infinity, showHidden: true }),
      JSON.stringify(error),
      String(error),
    ];
    const seen = new Set<unknown>();
    const walk = (value: unknown, depth: number) => {
      if (depth > 20) return;
      if (typeof value === "string") return void out.push(value);
      if (typeof value !== "object" || value === null || seen.has(value)) return;
      seen.add(value);
      if (ArrayBuffer.isView(value))
        return void out.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1"));
      for (const name of Reflect.ownKeys(value)) {
        out.push(String(name));
        walk(Object.getOwnPropertyDescriptor(value, name)?.value, depth + 1);
      }
      for (const name of ["message", "stack", "cause"]) walk((value as Record<string, unknown>)[name], depth + 1);
    };
    walk(error, 0);
    return out;
  }
  function expectKeyFree(error: unknown, key: string, label: string) {
    expect(error, label).toBeInstanceOf(Error);
    for (const text of shown(error))
      for (const form of forms(key))
        expect(text.includes(form), `${label}: ${form} in ${text.slice(0, 2000)}`).toBe(false);
  }
  /** The request as a server that repeats it would: its head as text, and its headers as JSON in each escaped form. */
  function echoes(req: import("node:http").IncomingMessage, key: string) {
    const head = `${req.method} ${req.url}\r\n${Object.entries(req.headers)
      .map(([n, v]) => `${n}: ${v}`)
      .join("\r\n")}`;
    const escaped = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    return { head, escaped, slashed: key.replaceAll("/", "\\/") };
  }

  const answers: [
    string,
    (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, key: string) => void,
  ][] = [
    [
      "an HTML error page repeating the headers",
      (req, res, key) =>
        void res.writeHead(502, { "content-type": "text/html" }).end(`<pre>${echoes(req, key).head}</pre>`),
    ],
    [
      "a JSON page with the key \\u-escaped",
      (req, res, key) =>
        void res
          .writeHead(502, { "content-type": "application/json" })
          .end(`{"error":"${echoes(req, key).escaped}", "also": "${echoes(req, key).slashed}"`),
    ],
    [
      "MultiSafepay's envelope whose error_info holds the \\u-escaped key",
      (req, res, key) =>
        void res
          .writeHead(400, { "content-type": "application/json" })
          .end(
            `{"success":false,"data":{},"error_code":1000,"error_info":"bad key ${echoes(req, key).escaped} / ${echoes(req, key).slashed}"}`,
          ),
    ],
    [
      "an error status without error_code, echoing JSON",
      (req, res, key) =>
        void res
          .writeHead(500, { "content-type": "application/json" })
          .end(JSON.stringify({ echo: echoes(req, key).head, key })),
    ],
    [
      "a header repeating the key, then a cut",
      (req, res, key) => {
        res.writeHead(200, { "content-type": "application/json", "x-echo": key, "content-length": "1000" });
        res.write('{"success":true,"data":{"x":"');
        setTimeout(() => req.socket.destroy(), 5);
      },
    ],
  ];

  for (const key of KEYS) {
    it.each(answers)(`key ${JSON.stringify(key.length > 10 ? "(random)" : key)}: %s`, async (_what, answer) => {
      const server = await loopback((req, res) => answer(req, res, key));
      const msp = createMultiSafepay({ apiKey: key, baseUrl: server.base, maxRetries: 0 });
      const errors = [
        await caught(msp.orders.get("o-1")),
        await caught(msp.orders.create(redirectOrder())),
        await caught(msp.refunds.create("o-1", { currency: "EUR", amount: 100 })),
        await caught(msp.api.GET("/gateways", {})),
        await caught(
          (async () => {
            for await (const _ of msp.transactions.iterate()) break;
          })(),
        ),
      ];
      for (const [i, error] of errors.entries()) expectKeyFree(error, key, `call ${i}`);
      await msp.close();
    });

    it(`key ${JSON.stringify(key.length > 10 ? "(random)" : key)}: an error page whose first 500 characters (error.body) end inside the key`, async () => {
      // `cut` characters of the key fall within the first 500.
      for (const cut of [4, key.length - 1]) {
        const server = await loopback(
          (_req, res) =>
            void res.writeHead(502, { "content-type": "text/html" }).end(`${"x".repeat(500 - cut)}${key} and more`),
        );
        const error = await caught(
          createMultiSafepay({ apiKey: key, baseUrl: server.base, maxRetries: 0 }).orders.get("o-1"),
        );
        expect(error).toMatchObject({ code: "invalid_response" });
        // Not even the part of the key before the cut (at least 4 characters of it) is left.
        const left = key.slice(0, cut);
        expect(String(error.body).endsWith(left), `cut ${cut}`).toBe(false);
        expectKeyFree(error, key, `cut ${cut}`);
      }
    });

    it(`key ${JSON.stringify(key.length > 10 ? "(random)" : key)}: a server that sends the request's own bytes back (not HTTP)`, async () => {
      const server = createNetServer((socket) => socket.on("data", (data) => void socket.write(data)));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/json`;
        const msp = createMultiSafepay({ apiKey: key, baseUrl: base, maxRetries: 0, timeoutMs: 2_000 });
        const errors = [
          await caught(msp.orders.get("o-1")),
          await caught(msp.refunds.create("o-1", { currency: "EUR", amount: 100 })),
        ];
        for (const [i, error] of errors.entries())
          expectKeyFree(error, key, `call ${i}: ${util.inspect(error, { depth: 1 }).slice(0, 300)}`);
        await msp.close();
      } finally {
        server.close();
      }
    });

    it(`key ${JSON.stringify(key.length > 10 ? "(random)" : key)}: a successful answer holding the key's characters as data comes back unchanged`, async () => {
      const data = {
        ...redirectCreated().data,
        payment_url: `https://pay.example/${key}?k=${key}`,
        description: `order ${key}`,
        var1: key,
        [key]: key,
      };
      const order = {
        order_id: "o-1",
        status: "initialized",
        amount: 1000,
        currency: "EUR",
        description: `KBC-1 ${key} https 40000 00000`,
        var1: key,
        items: `${key}\\u0034`,
      };
      const server = await loopback(
        (req, res) =>
          void res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ success: true, data: req.method === "POST" ? data : order })),
      );
      const msp = createMultiSafepay({ apiKey: key, baseUrl: server.base });
      expect(await msp.orders.create(redirectOrder())).toEqual(data);
      expect(await msp.orders.get("o-1")).toEqual(order);
      expect((await msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "o-1" } } })).data?.data).toEqual(
        order,
      );
      await msp.close();
    });
  }
});

describe(`msp.api calls only the spec's operations, spelt exactly (${TRANSPORT})`, () => {
  const refundBody = { currency: "EUR", ammount: 5 } as never;

  it("refuses another spelling of a path (trailing slash, //, other case), another method and a missing path parameter, sending nothing", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: {} })));
    const api = client(server.base).api as unknown as {
      request: (method: string, url: string, init?: object) => Promise<unknown>;
      POST: (url: string, init?: object) => Promise<unknown>;
      GET: (url: string, init?: object) => Promise<unknown>;
    };
    const path = { params: { path: { order_id: "o1" } }, body: refundBody };
    for (const call of [
      () => api.POST("/orders/{order_id}/refunds/", path),
      () => api.POST("//orders/{order_id}/refunds", path),
      () => api.POST("/Orders/{order_id}/refunds", path),
      () => api.request("put", "/orders/{order_id}/refunds", path),
      () => api.POST("/orders/", { body: { ...redirectOrder(), amount: 10.5 } }),
    ]) {
      expect(await caught(call() as Promise<unknown>)).toMatchObject({
        code: "validation_error",
        issues: [{ message: expect.stringContaining("is not an operation of the spec") }],
      });
    }
    expect(await caught(api.GET("/orders/{order_id}", { params: { path: {} } }))).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/order_id", message: "is required (a path parameter)" }],
    });
    expect(server.requests).toEqual([]);
  });

  it("checks query parameters by the operation's parameters in the spec, in the resource methods and msp.api", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: [] })));
    const msp = client(server.base);
    for (const [call, path, message] of [
      [() => msp.paymentMethods.list({ amount: Number.NaN } as never), "/amount", "must be a finite number"],
      [
        () => msp.paymentMethods.list({ amount: Number.POSITIVE_INFINITY } as never),
        "/amount",
        "must be a finite number",
      ],
      [
        () => msp.paymentMethods.list({ amuont: 5 } as never),
        "/amuont",
        'is not a parameter of GET /payment-methods; did you mean "amount"?',
      ],
      [() => msp.transactions.list({ limit: { a: 1 } } as never), "/limit", "must be a string, a number or a boolean"],
      [
        () => msp.api.GET("/payment-methods", { params: { query: { amount: Number.NaN } as never } }),
        "/amount",
        "must be a finite number",
      ],
    ] as const) {
      expect(await caught((call as () => Promise<unknown>)())).toMatchObject({
        code: "validation_error",
        issues: [{ path, message }],
      });
    }
    expect(server.requests).toEqual([]);
  });

  it("refuses an id with a control character before sending", async () => {
    const server = await loopback((_req, res) => void res.end(createdBody));
    expect(await caught(client(server.base).orders.get("a\r\nb"))).toMatchObject({
      code: "validation_error",
      issues: [{ path: "/order_id" }],
    });
    expect(server.requests).toEqual([]);
  });

  it("resolves an accepted refund answered with an odd success status, never a RangeError", async () => {
    const server = await loopback((_req, res) => {
      res.statusCode = 299;
      res.end(JSON.stringify({ success: true, data: { transaction_id: 1, refund_id: 2 } }));
    });
    const { data } = await client(server.base).api.POST("/orders/{order_id}/refunds", {
      params: { path: { order_id: "o1" } },
      body: { currency: "EUR", amount: 100 },
    });
    expect(data?.success).toBe(true);
  });

  it("takes a baseUrl in any spelling of its host and port, and refuses one with a query", async () => {
    const server = await loopback((_req, res) => void res.end(JSON.stringify({ success: true, data: [] })));
    const upper = server.base.replace("127.0.0.1", "LOCALHOST");
    const { data } = await client(upper).api.GET("/gateways");
    expect(data?.success).toBe(true);
    expect(() => client(`${server.base}?x=1`)).toThrow(
      /baseUrl must be an absolute http\(s\) URL without a query or fragment/,
    );
  });

  it("reports a next-page cursor with a lone surrogate as the server's fault (invalid_response)", async () => {
    const server = await loopback(
      (_req, res) => void res.end(`{"success":true,"data":[],"pager":{"cursor":{"after":"ab\\ud800"}}}`),
    );
    const walk = async () => {
      for await (const _ of client(server.base).transactions.iterate()) void _;
    };
    expect(await caught(walk())).toMatchObject({ code: "invalid_response" });
  });
});
