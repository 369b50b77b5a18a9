// multisafepay-kbc/otel over both transports, with the OpenTelemetry SDK's in-memory exporter: one span per
// call with a child per attempt, their attributes, and no key in any of them.
import { inspect } from "node:util";
import { build } from "esbuild";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { instrument } from "../src/otel.js";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { useMswServer } from "./helpers/msw.js";
import { TEST_BASE, completedOrder, errorBody, gatewayList } from "./helpers/orders.js";

const KEY = "LEAKCHECK-otel-4b8d2f6a1c";
const { server } = useMswServer();
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer("test");

afterEach(() => {
  const spans = exporter.getFinishedSpans();
  expect(
    inspect(
      spans.map((s) => [s.name, s.attributes, s.events, s.status]),
      { depth: 10 },
    ),
  ).not.toContain(KEY);
  exporter.reset();
});

const client = () => createMultiSafepay({ apiKey: KEY, environment: "test" });

describe("instrument()", () => {
  it("makes one CLIENT span per call, named by operation, with a child per attempt", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/o-1`, () =>
        HttpResponse.json({ success: true, data: { ...completedOrder().data, order_id: "o-1" } }),
      ),
    );
    const msp = client();
    instrument(msp, { tracer });
    await msp.orders.get("o-1");
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["multisafepay getOrder attempt 1", "multisafepay getOrder"]);
    const [attempt, call] = spans;
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(call?.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.template": "/orders/{order_id}",
      "url.full": `${TEST_BASE}/orders/o-1`,
      "server.address": "testapi.multisafepay.com",
      "server.port": 443,
      "http.response.status_code": 200,
      "multisafepay.operation_id": "getOrder",
      "multisafepay.retry_count": 0,
      "multisafepay.attempts": 1,
    });
    expect(call?.attributes["error.type"]).toBeUndefined();
    expect(call?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(attempt?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    expect(attempt?.spanContext().traceId).toBe(call?.spanContext().traceId);
  });

  it("counts retries, and marks a failed call with the error code and MultiSafepay's error_code", async () => {
    let calls = 0;
    server.use(
      http.get(`${TEST_BASE}/gateways`, () =>
        ++calls < 3
          ? HttpResponse.json({}, { status: 503, headers: { "retry-after": "0" } })
          : HttpResponse.json(gatewayList()),
      ),
      http.get(`${TEST_BASE}/orders/x`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const msp = client();
    instrument(msp, { tracer });
    await msp.gateways.list();
    await caught(msp.orders.get("x"));
    const spans = exporter.getFinishedSpans();
    const list = spans.find((s) => s.name === "multisafepay listGateways");
    expect(list?.attributes).toMatchObject({ "multisafepay.retry_count": 2, "multisafepay.attempts": 3 });
    expect(list?.events.map((e) => e.name)).toEqual(["retry", "retry"]);
    const attempts = spans.filter((s) => s.name.startsWith("multisafepay listGateways attempt"));
    expect(attempts.map((s) => s.attributes["http.response.status_code"])).toEqual([503, 503, 200]);
    expect(attempts[2]?.attributes["http.request.resend_count"]).toBe(2);
    const failed = spans.find((s) => s.name === "multisafepay getOrder");
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: "api_error" });
    expect(failed?.attributes).toMatchObject({
      "http.response.status_code": 404,
      "multisafepay.error_code": 1006,
      "error.type": "api_error",
    });
  });

  it("spans msp.api calls too, and stops when the returned function is called", async () => {
    server.use(http.get(`${TEST_BASE}/gateways`, () => HttpResponse.json(gatewayList())));
    const msp = client();
    const stop = instrument(msp, { tracer });
    await msp.api.GET("/gateways");
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      "multisafepay listGateways attempt 1",
      "multisafepay listGateways",
    ]);
    stop();
    exporter.reset();
    await msp.gateways.list();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe("the core entries", () => {
  it("never import @opentelemetry/api (an optional peer, for multisafepay-kbc/otel only)", async () => {
    const imported = async (entry: string) => {
      const { metafile } = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        metafile: true,
        platform: "node",
        format: "esm",
        packages: "external",
        logLevel: "silent",
      });
      return Object.values(metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    };
    for (const entry of ["src/index.ts", "src/node.ts"])
      expect((await imported(entry)).filter((path) => path.startsWith("@opentelemetry/"))).toEqual([]);
    expect(await imported("src/otel.ts")).toContain("@opentelemetry/api");
  });
});
