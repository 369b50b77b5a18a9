// Issue 19 items 1–5 over both transports: call events (msp.on), logging, .withResponse(), per-call headers and
// the User-Agent. Every event, log line and error a test captures is searched for the API key at the end.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CallEvents, ResponseEvent } from "../src/index.js";
import { logLevelOf } from "../src/logging.js";
import { VERSION } from "../src/version.js";
import { caught } from "./helpers/caught.js";
import { keyFreeCapture } from "./helpers/key-free-capture.js";
import { createMultiSafepay } from "./helpers/client.js";
import { useMswServer } from "./helpers/msw.js";
import { TEST_BASE, completedOrder, errorBody, gatewayList, redirectCreated, redirectOrder } from "./helpers/orders.js";

// Recognisable, so any leak shows in the search below.
const KEY = "LEAKCHECK-key-93f1c7a2e6";
const IBAN = "NL87ABNA0000000001";
const { server, sent } = useMswServer();

/** Everything a test captured: events, log lines, errors, spans. None may hold the key. */
const { captured, recorder } = keyFreeCapture(KEY);

function observed(options: Parameters<typeof createMultiSafepay>[0] = { apiKey: KEY, environment: "test" }) {
  const msp = createMultiSafepay(options);
  const events: { name: keyof CallEvents; event: CallEvents[keyof CallEvents] }[] = [];
  for (const name of ["request", "response", "retry"] as const)
    msp.on(name, (event) => {
      events.push({ name, event });
      captured.push(event);
    });
  return { msp, events, names: () => events.map((e) => `${e.name}#${e.event.attempt}`) };
}

const orderAnswer = () => ({ success: true, data: { ...completedOrder().data, order_id: "o-1" } });

describe("events", () => {
  it("tell a call's request and response, with the operation, template, URL, attempt and outcome", async () => {
    server.use(http.get(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json(orderAnswer())));
    const { msp, events, names } = observed();
    await msp.orders.get("o-1");
    expect(names()).toEqual(["request#1", "response#1"]);
    const [request, response] = events.map((e) => e.event);
    expect(request).toEqual({
      requestId: expect.stringMatching(/^req_/),
      operationId: "getOrder",
      method: "GET",
      path: "/orders/{order_id}",
      url: `${TEST_BASE}/orders/o-1`,
      attempt: 1,
      movesMoney: false,
    });
    expect(response).toMatchObject({
      ...request,
      status: 200,
      errorCode: null,
      outcome: "ok",
      final: true,
      durationMs: expect.any(Number),
    });
    expect(Object.isFrozen(response)).toBe(true);
  });

  it("keep one requestId across a call's attempts and tell each retry with its reason and delay", async () => {
    let calls = 0;
    server.use(
      http.get(`${TEST_BASE}/gateways`, () =>
        ++calls === 1
          ? HttpResponse.json({ success: false }, { status: 503, headers: { "retry-after": "0" } })
          : HttpResponse.json(gatewayList()),
      ),
    );
    const { msp, events, names } = observed();
    await msp.gateways.list();
    expect(names()).toEqual(["request#1", "response#1", "retry#1", "request#2", "response#2"]);
    expect(new Set(events.map((e) => e.event.requestId)).size).toBe(1);
    expect(events[1]?.event).toMatchObject({ status: 503, outcome: "api_error", final: false });
    expect(events[2]?.event).toMatchObject({ reason: "status 503", delayMs: 0 });
    expect(events[4]?.event).toMatchObject({ status: 200, outcome: "ok", final: true });
  });

  it("give MultiSafepay's error_code and the error's code as the outcome; a second call has another requestId", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/gone`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
      http.get(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json(orderAnswer())),
    );
    const { msp, events } = observed();
    const error = await caught(msp.orders.get("gone"));
    captured.push(error);
    await msp.orders.get("o-1");
    const responses = events.filter((e) => e.name === "response").map((e) => e.event as ResponseEvent);
    expect(responses[0]).toMatchObject({ status: 404, errorCode: 1006, outcome: "api_error", final: true });
    expect(responses[0]?.requestId).not.toBe(responses[1]?.requestId);
  });

  it("say a refund moves money, and its unclear answer is outcome_unknown (as the call rejects)", async () => {
    server.use(http.post(`${TEST_BASE}/orders/o-1/refunds`, () => new HttpResponse("Bad gateway", { status: 502 })));
    const { msp, events } = observed();
    const error = await caught(msp.refunds.create("o-1", { currency: "EUR", amount: 100 }));
    captured.push(error);
    expect(error.code).toBe("outcome_unknown");
    expect(events.map((e) => e.name)).toEqual(["request", "response"]);
    expect(events[1]?.event).toMatchObject({
      operationId: "refundOrder",
      movesMoney: true,
      status: 502,
      outcome: "outcome_unknown",
      final: true,
    });
  });

  it("tell a connection failure with no status", async () => {
    server.use(http.patch(`${TEST_BASE}/orders/o-1`, () => HttpResponse.error()));
    const { msp, events } = observed();
    const error = await caught(msp.orders.cancel("o-1"));
    captured.push(error);
    expect(events.at(-1)?.event).toMatchObject({ status: null, outcome: error.code, final: true, movesMoney: true });
  });

  it("mask the key even where a caller put it in the URL", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/:id`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const { msp, events } = observed();
    captured.push(await caught(msp.orders.get(KEY)));
    expect(events[0]?.event.url).toBe(`${TEST_BASE}/orders/[api_key]`);
  });

  it("end with a final response when the caller aborts during the pause before a retry", async () => {
    server.use(
      http.get(`${TEST_BASE}/gateways`, () => HttpResponse.json({}, { status: 503, headers: { "retry-after": "30" } })),
    );
    const { msp, events, names } = observed();
    const controller = new AbortController();
    msp.on("retry", () => controller.abort());
    const error = await caught(msp.gateways.list({}, { signal: controller.signal }));
    captured.push(error);
    expect(error.code).toBe("request_aborted");
    expect(names()).toEqual(["request#1", "response#1", "retry#1", "response#1"]);
    expect(events.at(-1)?.event).toMatchObject({ status: null, outcome: "request_aborted", final: true });
  });

  it("fire for msp.api calls too", async () => {
    server.use(http.get(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json(orderAnswer())));
    const { msp, events } = observed();
    await msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "o-1" } } });
    expect(events.map((e) => [e.name, e.event.operationId, e.event.path])).toEqual([
      ["request", "getOrder", "/orders/{order_id}"],
      ["response", "getOrder", "/orders/{order_id}"],
    ]);
  });

  it("stop after off(), and a listener that throws or rejects changes nothing (a warning, said once)", async () => {
    server.use(http.get(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json(orderAnswer())));
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test", logLevel: "warn", logger });
    const seen: string[] = [];
    const off = msp.on("request", (e) => void seen.push(e.requestId));
    msp.on("request", () => {
      throw new Error(`listener bug ${KEY}`);
    });
    msp.on("response", async () => {
      throw new Error("async listener bug");
    });
    // A slow listener: never awaited, so it holds nothing up.
    msp.on("response", () => new Promise(() => {}));
    const first = await msp.orders.get("o-1");
    off();
    off();
    const second = await msp.orders.get("o-1");
    expect(first).toEqual(second);
    expect(seen).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const warnings = lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/an event listener threw/);
  });

  it("refuse an unknown event name or a listener that is not a function", () => {
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
    expect(() => msp.on("answer" as never, () => {})).toThrow(expect.objectContaining({ code: "validation_error" }));
    expect(() => msp.on("request", "x" as never)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "/listener" })] }),
    );
  });
});

describe("logging", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is off by default: nothing is logged, even for a failure", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/x`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const { lines, logger } = recorder();
    await caught(createMultiSafepay({ apiKey: KEY, environment: "test", logger }).orders.get("x"));
    expect(lines).toEqual([]);
  });

  it("logs the outcome at info, a failure at error, a retry at warn", async () => {
    let calls = 0;
    server.use(
      http.get(`${TEST_BASE}/gateways`, () =>
        ++calls === 1
          ? HttpResponse.json({}, { status: 500, headers: { "retry-after": "0" } })
          : HttpResponse.json(gatewayList()),
      ),
      http.get(`${TEST_BASE}/orders/x`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test", logLevel: "info", logger });
    await msp.gateways.list();
    captured.push(await caught(msp.orders.get("x")));
    expect(lines.map((l) => l.level)).toEqual(["warn", "info", "error"]);
    expect(lines[0]?.message).toMatch(/listGateways #1 failed \(status 500\): retrying in 0 ms/);
    expect(lines[1]?.message).toMatch(/listGateways #2 GET \/gateways: 200 ok in \d+ ms/);
    expect(lines[2]?.message).toMatch(/getOrder #1 GET \/orders\/\{order_id\}: 404 api_error \(error_code 1006\)/);
  });

  it("at debug, logs each attempt's headers and body with the key, the Auth header and IBANs masked", async () => {
    server.use(
      http.post(`${TEST_BASE}/orders/o-1/refunds`, () =>
        HttpResponse.json(
          { success: true, data: { refund_id: 7, transaction_id: 8, note: `to ${IBAN}, key ${KEY}` } },
          { headers: { auth: "c2lnbmF0dXJl" } },
        ),
      ),
    );
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test", logLevel: "debug", logger });
    await msp.refunds.create("o-1", { currency: "EUR", amount: 100, description: `refund to ${IBAN}` });
    const debug = lines.filter((l) => l.level === "debug");
    expect(debug).toHaveLength(2);
    const [request, answer] = debug.map((l) => l.details[0] as { headers: Record<string, string>; body: string });
    expect(request?.headers.api_key).toBe("[api_key]");
    expect(request?.body).toContain("refund to [iban]");
    expect(answer?.headers.auth).toBe("[redacted]");
    expect(answer?.body).toContain("to [iban], key [api_key]");
    expect(inspect(lines)).not.toContain(IBAN);
    expect(lines.at(-1)?.level).toBe("info");
  });

  it("reads MULTISAFEPAY_LOG when no logLevel is given; the option wins", async () => {
    server.use(http.get(`${TEST_BASE}/gateways`, () => HttpResponse.json(gatewayList())));
    vi.stubEnv("MULTISAFEPAY_LOG", "info");
    const fromEnv = recorder();
    await createMultiSafepay({ apiKey: KEY, environment: "test", logger: fromEnv.logger }).gateways.list();
    expect(fromEnv.lines.map((l) => l.level)).toEqual(["info"]);
    const option = recorder();
    await createMultiSafepay({
      apiKey: KEY,
      environment: "test",
      logger: option.logger,
      logLevel: "off",
    }).gateways.list();
    expect(option.lines).toEqual([]);
  });

  it("reads no environment where the runtime has none (workers, browsers)", () => {
    vi.stubEnv("MULTISAFEPAY_LOG", "debug");
    const saved = globalThis.process;
    let level: string;
    // Synchronous, so nothing else runs while `process` is gone.
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    try {
      level = logLevelOf(undefined);
    } finally {
      Object.defineProperty(globalThis, "process", { value: saved, configurable: true, writable: true });
    }
    expect(level).toBe("off");
    expect(logLevelOf(undefined)).toBe("debug");
  });

  it("refuses a bad logLevel (option or environment) and a logger without the four methods", () => {
    const issue = (options: object) => {
      try {
        createMultiSafepay({ apiKey: KEY, environment: "test", ...options });
      } catch (error) {
        captured.push(error);
        return (error as { issues: { path: string; message: string }[] }).issues;
      }
      throw new Error("expected a ValidationError");
    };
    expect(issue({ logLevel: "verbose" })).toEqual([
      { path: "/logLevel", message: expect.stringMatching(/one of off, error/) },
    ]);
    expect(issue({ logger: { info() {} } })).toEqual([{ path: "/logger", message: expect.any(String) }]);
    vi.stubEnv("MULTISAFEPAY_LOG", "loud");
    expect(issue({})).toEqual([{ path: "/logLevel", message: expect.stringMatching(/MULTISAFEPAY_LOG/) }]);
  });
});

describe(".withResponse()", () => {
  it("resolves the data with the answer's status and headers and the requestId; await alone is the data", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/o-1`, () =>
        HttpResponse.json(orderAnswer(), { headers: { "x-request-id": "msp-1" } }),
      ),
    );
    const { msp, events } = observed();
    const plain = await msp.orders.get("o-1");
    const { data, response, requestId } = await msp.orders.get("o-1").withResponse();
    expect(data).toEqual(plain);
    expect(data.order_id).toBe("o-1");
    expect(response.status).toBe(200);
    expect(response.headers).toBeInstanceOf(Headers);
    expect(response.headers.get("x-request-id")).toBe("msp-1");
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(requestId).toBe(events.at(-1)?.event.requestId);
  });

  it("works on every kind of method: a create, a list, a void cancel", async () => {
    server.use(
      http.post(`${TEST_BASE}/orders`, () => HttpResponse.json(redirectCreated(), { status: 201 })),
      http.get(`${TEST_BASE}/transactions`, () => HttpResponse.json({ success: true, data: [], pager: {} })),
      http.patch(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json({ success: true, data: {} })),
    );
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
    const created = await msp.orders.create(redirectOrder()).withResponse();
    expect(created.response.status).toBe(201);
    expect(created.data.payment_url).toBe(redirectCreated().data.payment_url);
    expect((await msp.transactions.list().withResponse()).data.data).toEqual([]);
    const cancelled = await msp.orders.cancel("o-1").withResponse();
    expect(cancelled).toMatchObject({ data: undefined, response: { status: 200 } });
  });

  it("rejects as the call does, key-free, and a call used only through withResponse() leaves no unhandled rejection", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/x`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
      const error = await caught(msp.orders.get("x").withResponse());
      captured.push(error);
      expect(error).toMatchObject({ code: "api_error", errorCode: 1006 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe("per-call headers and the User-Agent", () => {
  it("sends a caller's headers with the call, and names this package, its version and the runtime", async () => {
    server.use(http.get(`${TEST_BASE}/orders/o-1`, () => HttpResponse.json(orderAnswer())));
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
    await msp.orders.get("o-1", {
      headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    expect(sent[0]?.headers.get("traceparent")).toMatch(/^00-0af7/);
    expect(sent[0]?.headers.get("api_key")).toBe(KEY);
    expect(sent[0]?.headers.get("user-agent")).toBe(`multisafepay-kbc/${VERSION} node/${process.versions.node}`);
  });

  it("adds appInfo to the User-Agent, on msp.api too, where init headers are sent as well", async () => {
    server.use(http.get(`${TEST_BASE}/gateways`, () => HttpResponse.json(gatewayList())));
    const msp = createMultiSafepay({
      apiKey: KEY,
      environment: "test",
      appInfo: { name: "my-shop", version: "2.1.0" },
    });
    await msp.gateways.list();
    await msp.api.GET("/gateways", { headers: { "x-correlation-id": "c-1" } });
    await msp.api.withOptions({ headers: { "x-tenant": "t-9" } }).GET("/gateways");
    const agent = `multisafepay-kbc/${VERSION} node/${process.versions.node} my-shop/2.1.0`;
    expect(sent.map((s) => s.headers.get("user-agent"))).toEqual([agent, agent, agent]);
    expect(sent[1]?.headers.get("x-correlation-id")).toBe("c-1");
    expect(sent[2]?.headers.get("x-tenant")).toBe("t-9");
  });

  it("sends msp.api's headers with a create too (which runs through orders.create)", async () => {
    server.use(http.post(`${TEST_BASE}/orders`, () => HttpResponse.json(redirectCreated())));
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
    const { data } = await msp.api.POST("/orders", { body: redirectOrder(), headers: { "x-correlation-id": "c-2" } });
    expect(data?.success).toBe(true);
    expect(sent[0]?.headers.get("x-correlation-id")).toBe("c-2");
    expect(sent[0]?.headers.get("api_key")).toBe(KEY);
  });

  it("refuses a header the client controls, naming it, and sends nothing", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, environment: "test" });
    const cases: [Promise<unknown>, string][] = [
      [msp.orders.get("o-1", { headers: { API_KEY: "other-key-123" } }), "/headers/API_KEY"],
      [msp.gateways.list({}, { headers: { "User-Agent": "me" } }), "/headers/User-Agent"],
      [
        msp.refunds.create("o-1", { currency: "EUR", amount: 1 }, { headers: { "content-type": "text/plain" } }),
        "/headers/content-type",
      ],
      [msp.api.GET("/gateways", { headers: { api_key: "other-key-123" } }), "/headers/api_key"],
      [msp.api.GET("/gateways", { headers: { api_key: null } as never }), "/headers/api_key"],
      [msp.api.withOptions({ headers: { host: "evil.example" } }).GET("/gateways"), "/headers/host"],
      [msp.orders.get("o-1", { headers: { "x-a": "b\r\nc" } }), "/headers/x-a"],
    ];
    for (const [call, path] of cases) {
      const error = await caught(call);
      captured.push(error);
      expect(error).toMatchObject({ code: "validation_error", issues: [expect.objectContaining({ path })] });
    }
    expect(sent).toEqual([]);
  });

  it("refuses a bad appInfo, naming the field", () => {
    for (const [appInfo, path] of [
      [{ name: "my shop" }, "/appInfo/name"],
      [{ name: "shop", version: "" }, "/appInfo/version"],
      ["shop", "/appInfo"],
    ] as const) {
      expect(() => createMultiSafepay({ apiKey: KEY, environment: "test", appInfo: appInfo as never })).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ path })] }),
      );
    }
  });

  it("keeps VERSION equal to package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
