// The sandbox core's own request and answer (src/mock/exchange.ts), which the node:http server calls without
// Fetch objects, and the shortcuts the core takes on the way (bodies.ts readJson, order-body.ts): each gives
// the answer the long way gave.
import { describe, expect, it } from "vitest";
import { NOT_JSON, readJson } from "../src/mock/bodies.js";
import type { SandboxRequest } from "../src/mock/exchange.js";
import { normalizeOrderBody } from "../src/mock/order-body.js";
import { localTime } from "../src/mock/orders.js";
import { createSandbox } from "../src/mock/sandbox.js";
import { API_KEY, redirectOrder, TEST_BASE } from "./helpers/orders.js";

function request(method: string, path: string, body = "", headers: Record<string, string> = {}): SandboxRequest {
  const all = new Map(Object.entries({ api_key: API_KEY, ...headers }));
  const url = new URL(`${TEST_BASE}${path}`);
  return {
    method,
    path: url.pathname.slice(new URL(TEST_BASE).pathname.length),
    query: url.searchParams,
    headers: { get: (name) => all.get(name) ?? null, has: (name) => all.has(name) },
    body,
    reached: () => url,
  };
}

describe("dispatch: the core without Fetch objects", () => {
  it("answers as handle() does, for a create, a read, a refusal and an unknown path", async () => {
    const viaFetch = createSandbox({ apiKey: API_KEY });
    const direct = createSandbox({ apiKey: API_KEY });
    // One moment on both clocks: the two creates' stamps would otherwise differ when a second passes between them.
    const moment = Date.parse("2026-03-02T10:00:00Z");
    viaFetch.store.clock.set(moment);
    direct.store.clock.set(moment);
    const body = JSON.stringify({ ...redirectOrder(), order_id: "core-1" });
    const cases: [string, string, string?, Record<string, string>?][] = [
      ["POST", "/orders", body],
      ["GET", "/orders/core-1"],
      ["GET", "/orders/core-%zz"],
      ["POST", "/orders", "{not json"],
      ["GET", "/transactions?limit=1"],
      ["GET", "/nowhere"],
      ["GET", "/gateways", "", { api_key: "", authorization: "Basic x" }],
    ];
    for (const [method, path, text = "", headers = {}] of cases) {
      const answer = direct.dispatch(request(method, path, text, headers));
      const response = await viaFetch.handle(
        new Request(`${TEST_BASE}${path}`, {
          method,
          headers: { api_key: API_KEY, ...headers },
          ...(method === "GET" ? {} : { body: text }),
        }),
      );
      const withoutSession = (t: string) => t.replace(/sbx[0-9a-z]+/g, "<session>");
      expect({ status: answer.status, body: withoutSession(answer.body) }).toEqual({
        status: response!.status,
        body: withoutSession(await response!.text()),
      });
      expect(answer.headers["content-type"]).toBe(response!.headers.get("content-type"));
    }
  });

  it("answers 500, never throws, when a handler fails", () => {
    const sandbox = createSandbox({ apiKey: API_KEY });
    const broken = {
      ...request("GET", "/orders"),
      headers: {
        get: () => {
          throw new Error("boom");
        },
        has: () => false,
      },
    };
    expect(sandbox.dispatch(broken)).toMatchObject({ status: 500 });
  });
});

describe("the create path's shortcuts", () => {
  it("readJson refuses nesting from depth 513 at the shortest text that holds it, and takes 512", () => {
    expect(readJson(`${"[".repeat(513)}${"]".repeat(513)}`)).toBe(NOT_JSON);
    expect(readJson(`${"[".repeat(512)}${"]".repeat(512)}`)).not.toBe(NOT_JSON);
  });

  it("readJson refuses a lone surrogate, escaped or raw, in a value or a key, and takes a pair", () => {
    for (const text of ['{"a":"\\udfff"}', '{"a":"\\uD800x"}', '{"\\ud800":1}', `{"a":"\udfff"}`, `{"\ud800":1}`])
      expect(readJson(text)).toBe(NOT_JSON);
    expect(readJson('{"a":"\\ud83d\\ude00"}')).toEqual({ a: "😀" });
    expect(readJson('{"a":"\\\\udfff"}')).toEqual({ a: "\\udfff" });
  });

  it("normalizeOrderBody drops null fields at any depth (keeping nulls in arrays), else keeps the body as it is", () => {
    const clean = { type: "redirect", customer: { first_name: "Jan" }, items: [1, "a"] };
    expect(normalizeOrderBody(clean)).toBe(clean);
    expect(
      normalizeOrderBody({ customer: { first_name: null, city: "Gent" }, var1: null, list: [null, { a: null }] }),
    ).toEqual({
      type: "redirect",
      customer: { city: "Gent" },
      list: [null, {}],
    });
    const proto = JSON.parse('{"__proto__":{"x":null},"y":1}');
    const normalized = normalizeOrderBody(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(normalized)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(normalized, "__proto__")?.value).toEqual({});
  });

  it("localTime gives each second its own text, also going back in time", () => {
    const at = (iso: string) => localTime(new Date(iso));
    expect(at("2026-03-29T00:59:59.900Z")).toBe("2026-03-29T01:59:59");
    expect(at("2026-03-29T01:00:00.000Z")).toBe("2026-03-29T03:00:00");
    expect(at("2026-03-29T01:00:00.999Z")).toBe("2026-03-29T03:00:00");
    expect(at("2026-03-29T00:59:59.000Z")).toBe("2026-03-29T01:59:59");
    expect(() => localTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
