// Issue 19's review as a hostile stranger, over real loopback sockets and both transports (vitest.config.ts):
// headers a caller can slip past the per-call check, secrets other than the key in debug logs, and the other
// edges found (see each test). Every log line and error a test captures is searched for the key at the end.
import { inspect } from "node:util";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it, vi } from "vitest";
import { logLevelOf } from "../src/logging.js";
import { instrument } from "../src/otel.js";
import { caught } from "./helpers/caught.js";
import { keyFreeCapture } from "./helpers/key-free-capture.js";
import { createMultiSafepay, TRANSPORT } from "./helpers/client.js";
import { loopback } from "./helpers/loopback.js";

const KEY = "LEAKCHECK-rv19-5c1e9a7b3d";
const answer = JSON.stringify({ success: true, data: { order_id: "o-1" } });

/** Everything a test captured: events, log lines, errors, spans. None may hold the key. */
const { captured, recorder } = keyFreeCapture(KEY);

const server = () =>
  loopback((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(answer));

describe(`msp.api's params.header (${TRANSPORT})`, () => {
  it("cannot replace a header the client controls (the key, the User-Agent, the framing): nothing is sent", async () => {
    const api = await server();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, maxRetries: 0 });
    for (const header of [
      { api_key: "other-key-123" },
      { API_KEY: "other-key-123" },
      { "user-agent": "someone-else/1" },
      { "content-length": "5" },
      { "transfer-encoding": "chunked" },
      { host: "elsewhere.example" },
    ]) {
      const name = Object.keys(header)[0];
      const error = await caught(
        msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "o-1" }, header: header as never } }),
      );
      captured.push(error);
      expect(error, name).toMatchObject({
        code: "validation_error",
        issues: [expect.objectContaining({ path: `/params/header/${name}` })],
      });
    }
    expect(api.requests).toEqual([]);
  });
});

describe(`per-call header values (${TRANSPORT})`, () => {
  it("with a CR or LF anywhere (even at the end, which the Fetch API would trim) are a ValidationError", async () => {
    const api = await server();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, maxRetries: 0 });
    for (const value of ["a\r\n", "a\n", "\r\na", "a\0"]) {
      for (const call of [
        msp.orders.get("o-1", { headers: { "x-trace": value } }),
        msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "o-1" } }, headers: { "x-trace": value } }),
      ]) {
        const error = await caught(call);
        captured.push(error);
        expect(error, JSON.stringify(value)).toMatchObject({
          code: "validation_error",
          issues: [expect.objectContaining({ path: "/headers/x-trace" })],
        });
      }
    }
    expect(api.requests).toEqual([]);
  });
});

describe(`debug logging (${TRANSPORT})`, () => {
  it("masks the credentials a caller or a server puts in other headers: Authorization, Cookie, Set-Cookie", async () => {
    const api = await loopback(
      (_req, res) =>
        void res
          .writeHead(200, { "content-type": "application/json", "set-cookie": "session=server-secret-777" })
          .end(answer),
    );
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, logLevel: "debug", logger });
    await msp.orders.get("o-1", {
      headers: {
        Authorization: "Bearer proxy-secret-555",
        "Proxy-Authorization": "Basic proxy-secret-666",
        Cookie: "session=caller-secret-888",
      },
    });
    expect(api.requests[0]?.headers.authorization).toBe("Bearer proxy-secret-555");
    const logged = inspect(lines, { depth: 10 });
    expect(logged).toContain("authorization");
    expect(logged).not.toMatch(/secret-\d{3}/);
  });
});

describe(`debug logging of a large answer (${TRANSPORT})`, () => {
  it("holds a bounded part of the body, cleaned before it is cut, and says how much was left out", async () => {
    const IBAN = "NL87ABNA0000000001";
    const big = JSON.stringify({
      success: true,
      data: { order_id: "o-1", note: `${IBAN} ${KEY} ${"x".repeat(2_000_000)}` },
    });
    const api = await loopback((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(big));
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, logLevel: "debug", logger });
    expect((await msp.orders.get("o-1")).order_id).toBe("o-1");
    const logged = lines.find((l) => l.message.endsWith("answer 200"))?.details[0] as { body: string };
    expect(logged.body.length).toBeLessThan(20_000);
    expect(logged.body).toMatch(
      /^\{"success":true,"data":\{"order_id":"o-1","note":"\[iban\] \[api_key\] x+… \(\d+ more characters\)$/,
    );
  });
});

describe("MULTISAFEPAY_LOG", () => {
  it("is read without regard to case or surrounding whitespace (DEBUG does not stop the app from starting)", () => {
    for (const [value, level] of [
      ["DEBUG", "debug"],
      ["Info", "info"],
      [" warn\n", "warn"],
    ] as const) {
      vi.stubEnv("MULTISAFEPAY_LOG", value);
      expect(logLevelOf(undefined), JSON.stringify(value)).toBe(level);
    }
    vi.stubEnv("MULTISAFEPAY_LOG", "loud");
    expect(() => logLevelOf(undefined)).toThrow(/MULTISAFEPAY_LOG/);
    vi.unstubAllEnvs();
  });
});

describe("a baseUrl with credentials (user:password@)", () => {
  it("is refused when the client is made, without echoing them (fetch threw a TypeError with the URL in it; node:http sent them as Basic auth)", () => {
    for (const baseUrl of [`https://user:${KEY}@api.example/v1/json`, `https://${KEY}@api.example/v1/json`]) {
      let error: unknown;
      try {
        createMultiSafepay({ apiKey: KEY, baseUrl });
      } catch (thrown) {
        error = thrown;
      }
      captured.push(error);
      expect(error).toMatchObject({
        code: "validation_error",
        issues: [{ path: "/baseUrl", message: expect.stringContaining("credentials") }],
      });
    }
  });
});

describe(`a create whose lost answer is recovered (${TRANSPORT})`, () => {
  it("ends its events, log and withResponse() as the call does: ok, under the create's requestId", async () => {
    const order = {
      type: "direct",
      order_id: "rv19-1",
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: "recovered",
    } as const;
    let posts = 0;
    const api = await loopback((req, res) => {
      if (req.method === "POST" && ++posts === 1) return void req.socket.destroy();
      if (req.method === "POST")
        return void res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"success":false,"data":{},"error_code":1006,"error_info":"Invalid transaction ID"}');
      const data = { ...order, type: undefined, status: "initialized", payment_details: { type: "KBC" } };
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ success: true, data: { ...data, payment_url: "http://127.0.0.1/pay" } }));
    });
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, logLevel: "info", logger });
    const finals: { operationId: string; outcome: string; requestId: string }[] = [];
    msp.on("response", (e) => {
      if (e.final) finals.push({ operationId: e.operationId, outcome: e.outcome, requestId: e.requestId });
    });
    const created = await msp.orders.create(order).withResponse();
    expect(created.data.order_id).toBe("rv19-1");
    const create = finals.find((f) => f.operationId === "createOrder");
    expect(create).toMatchObject({ outcome: "ok", requestId: created.requestId });
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe(`debug logging of what a server echoes (${TRANSPORT})`, () => {
  it("cuts the key out of header names too, and masks IBANs written in lower case", async () => {
    const api = await loopback(
      (_req, res) =>
        void res.writeHead(200, { "content-type": "application/json", [`x-echo-${KEY}`]: "1" }).end(
          JSON.stringify({
            success: true,
            data: { order_id: "o-1", iban: "nl91abna0417164300", spaced: "nl91 abna 0417 1643 00 and more" },
          }),
        ),
    );
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, logLevel: "debug", logger });
    await msp.orders.get("o-1");
    const logged = lines.find((l) => l.message.endsWith("answer 200"))?.details[0] as {
      headers: Record<string, string>;
      body: string;
    };
    expect(Object.keys(logged.headers)).toContain("x-echo-[api_key]");
    expect(logged.body).toContain('"iban":"[iban]","spaced":"[iban] and more"');
  });

  it("leaves lower-case words that only look like an IBAN (no valid check digits) as they are", async () => {
    const api = await loopback(
      (_req, res) =>
        void res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ success: true, data: { order_id: "ab12cdefghijklmnop" } })),
    );
    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, logLevel: "debug", logger });
    await msp.orders.get("o-1");
    const logged = lines.find((l) => l.message.endsWith("answer 200"))?.details[0] as { body: string };
    expect(logged.body).toContain("ab12cdefghijklmnop");
  });
});

describe(`per-call headers given as Headers or pairs (${TRANSPORT})`, () => {
  it("are sent (a Headers instance was dropped without a word, pairs went out as headers named 0 and 1)", async () => {
    const api = await server();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, maxRetries: 0 });
    const given = [new Headers({ "x-trace": "t-1" }), [["x-trace", "t-2"]]] as unknown as Record<string, string>[];
    for (const headers of given) await msp.orders.get("o-1", { headers });
    await msp.api.withOptions({ headers: given[0] as Record<string, string> }).GET("/gateways");
    expect(api.requests.map((r) => r.headers["x-trace"])).toEqual(["t-1", "t-2", "t-1"]);
    expect(api.requests.map((r) => r.headers["0"])).toEqual([undefined, undefined, undefined]);
    const refused = await caught(msp.orders.get("o-1", { headers: new Headers({ API_KEY: "x" }) as never }));
    expect(refused).toMatchObject({
      code: "validation_error",
      issues: [expect.objectContaining({ path: "/headers/api_key" })],
    });
  });
});

describe(`msp.api's checks before anything is sent (${TRANSPORT})`, () => {
  it("reject key-free, as the resources' do (a header or query name holding the key was echoed)", async () => {
    const api = await server();
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: api.base, maxRetries: 0 });
    for (const call of [
      msp.api.GET("/gateways", { headers: { [`${KEY} `]: "1" } as never }),
      msp.api.GET("/gateways", { params: { header: { [`${KEY} `]: "1" } as never } }),
      msp.api.GET("/gateways", { params: { query: { [KEY]: "1" } as never } }),
    ]) {
      const error = await caught(call);
      captured.push(error);
      expect(error).toMatchObject({ code: "validation_error", message: expect.stringContaining("[api_key]") });
    }
    expect(api.requests).toEqual([]);
  });
});

describe(`OpenTelemetry with a short key that the URL also spells (${TRANSPORT})`, () => {
  it("still makes the call's spans (the masked URL, http://127.0.0.1:[api_key]/…, is no URL to parse)", async () => {
    const api = await server();
    // A short test key can be any text, here the port the server listens on.
    const port = new URL(api.origin).port;
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const msp = createMultiSafepay({ apiKey: port, baseUrl: api.base });
    instrument(msp, { tracer: provider.getTracer("test") });
    await msp.orders.get("o-1");
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["multisafepay getOrder attempt 1", "multisafepay getOrder"]);
    expect(spans[1]?.attributes).toMatchObject({ "url.template": "/orders/{order_id}", "server.address": "127.0.0.1" });
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(`:${port}/`);
  });
});
