// The conformance corpus: real request bodies (MultiSafepay's documented examples, its SDKs' serialized orders,
// refunds and cancels, the official clients' captured requests), each with its source in
// test/fixtures/conformance/manifest.json. Each one is accepted by the mock and by the sandbox over real HTTP,
// and the typed client either sends it or refuses it, before sending anything, for exactly the listed reasons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMultiSafepay, ValidationError } from "../src/index.js";
import type { RequestOptions } from "../src/pipeline.js";
import {
  bodyOf,
  corpus,
  type CorpusEntry,
  KEY,
  mockTarget,
  prepare,
  startSandbox,
  type Target,
} from "./helpers/corpus.js";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

const cases = corpus.map((entry) => [`${entry.file} (${entry.operation})`, entry] as const);

async function accepted(target: Target, entry: CorpusEntry) {
  const { method, path } = await prepare(target, entry.operation);
  const answer = await target.send(method, path, bodyOf(entry));
  expect(
    answer.body,
    `${method} ${path} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`,
  ).toMatchObject({ success: true });
  expect(answer.status).toBeLessThan(300);
}

describe("every corpus body is accepted", () => {
  it.each(cases)("by the mock: %s", async (_name, entry) => accepted(mockTarget(), entry));
  it.each(cases)("by the sandbox over HTTP: %s", async (_name, entry) => accepted(sandbox, entry));
});

/** The typed client over the mock (what the call acts on prepared beside it), recording what it sent. */
async function clientCall(entry: CorpusEntry, options?: RequestOptions) {
  const target = mockTarget();
  const prepared = await prepare(target, entry.operation);
  const sent: string[] = [];
  const msp = createMultiSafepay({
    apiKey: KEY,
    baseUrl: target.base,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return target.mock.fetch(request);
    },
  });
  const body = bodyOf(entry) as any;
  const { orderId = "", refundId = "" } = prepared;
  const call = {
    createOrder: () => msp.orders.create(body, options),
    createRefund: () => msp.refunds.create(orderId, body, options),
    // The resource methods build their own PATCH bodies; msp.api sends the body as it is.
    cancelOrder: () => msp.api.PATCH("/orders/{order_id}", { params: { path: { order_id: orderId } }, body }),
    cancelRefund: () =>
      msp.api.PATCH("/orders/{order_id}/refunds/{refund_id}", {
        params: { path: { order_id: orderId, refund_id: refundId } },
        body,
      }),
  }[entry.operation];
  const outcome = await call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { outcome, sent };
}

// Not in RequestOptions' type until the client has the option; passed as the design names it.
const lenient = { allowUnknownFields: true } as unknown as RequestOptions;

describe("the typed client", () => {
  const accepts = cases.filter(([, e]) => e.client === "accepts");
  const refuses = cases.filter(([, e]) => e.client !== "accepts");

  it.each(accepts)("sends %s", async (_name, entry) => {
    const { outcome, sent } = await clientCall(entry);
    expect(outcome.ok, outcome.ok ? "" : String(outcome.error)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it.each(refuses)("refuses %s for exactly the listed reasons, sending nothing", async (_name, entry) => {
    const listed = (entry.client as { refuses: { path: string; why: string; closest?: string }[] }).refuses;
    const { outcome, sent } = await clientCall(entry);
    expect(sent, "the client sent it").toEqual([]);
    expect(outcome.ok ? "sent" : outcome.error).toBeInstanceOf(ValidationError);
    const error = (outcome as { error: ValidationError }).error;
    expect(error.issues.map((i) => i.path).sort()).toEqual(listed.map((r) => r.path).sort());
    for (const { path, closest } of listed.filter((r) => r.closest)) {
      const issue = error.issues.find((i) => i.path === path);
      expect(issue?.message).toMatch(/did you mean/i);
      expect(issue?.message).toContain(closest);
    }
  });

  const onlyUnknown = refuses.filter(
    ([, e]) =>
      e.operation.startsWith("create") &&
      (e.client as { refuses: { why: string }[] }).refuses.every((r) => r.why === "unknown-field"),
  );
  it.each(onlyUnknown)("sends %s with { allowUnknownFields: true }", async (_name, entry) => {
    const { outcome, sent } = await clientCall(entry, lenient);
    expect(outcome.ok, outcome.ok ? "" : String(outcome.error)).toBe(true);
    expect(sent).toHaveLength(1);
  });
});
