// The conformance corpus (test/fixtures/conformance/manifest.json) and the two places its bodies are sent:
// the mock's fetch and the sandbox over real HTTP on loopback. Operation paths come from the operation table.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createSandboxRoutes } from "../../scripts/sandbox.mjs";
import { OPERATIONS as TABLE } from "../../generated/operations.js";
import { createMultiSafepayMock } from "../../src/mock/index.js";
import { projectRoot } from "./consumer.js";

export const CORPUS_DIR = join(projectRoot, "test/fixtures/conformance");

export type Operation = "createOrder" | "createRefund" | "cancelOrder" | "cancelRefund";
export type Refusal = {
  path: string;
  why: "unknown-field" | "null" | "type-required" | "gateway" | "refund-amount-zero";
  closest?: string;
};
export interface CorpusEntry {
  file: string;
  operation: Operation;
  source: string;
  /** Top-level fields replaced at run time (see `note`); the file itself stays as the source has it. */
  set?: Record<string, unknown>;
  note?: string;
  client: "accepts" | { refuses: Refusal[] };
}

export const corpus: CorpusEntry[] = JSON.parse(readFileSync(join(CORPUS_DIR, "manifest.json"), "utf8"));

let sequence = 0;
/** An order id no earlier run, test or target has used. */
export const uniqueId = (tag: string) => `corpus-${tag}-${process.pid}-${Date.now().toString(36)}-${++sequence}`;

/** The body as sent: the file, the manifest's `set`, and a fresh order_id for a create. */
export function bodyOf(entry: CorpusEntry): Record<string, any> {
  const body = { ...JSON.parse(readFileSync(join(CORPUS_DIR, entry.file), "utf8")), ...entry.set };
  if (entry.operation === "createOrder") body.order_id = uniqueId("order");
  return body;
}

const id = encodeURIComponent;
/** The spec's operation (generated/operations.js) behind each of the corpus's names. */
const SPEC_IDS = {
  createOrder: "createOrder",
  createRefund: "refundOrder",
  cancelOrder: "cancelOrder",
  cancelRefund: "cancelRefund",
} as const satisfies Record<Operation, keyof typeof TABLE>;
/** The operation's method, and its path template from the table filled in (each value encoded). */
function at(operation: Operation, params: Record<string, string> = {}): { method: string; path: string } {
  const { method, path } = TABLE[SPEC_IDS[operation]];
  return { method, path: path.replace(/\{([^}]+)\}/g, (_m, name: string) => id(params[name]!)) };
}
/** Each operation's method and path, from the operation table. */
export const OPERATIONS = {
  createOrder: () => at("createOrder"),
  createRefund: (orderId: string) => at("createRefund", { order_id: orderId }),
  cancelOrder: (orderId: string) => at("cancelOrder", { order_id: orderId }),
  cancelRefund: (orderId: string, refundId: string) => at("cancelRefund", { order_id: orderId, refund_id: refundId }),
} as const;

export const KEY = "corpus-test-key-7c1e";
export type Answer = { status: number; body: any };
/** Where a body goes: the mock or the sandbox, with a way to play the shopper's payment. */
export interface Target {
  base: string;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  pay(orderId: string): Promise<void>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

const request = (base: string, method: string, path: string, body: unknown, headers: Record<string, string>) =>
  new Request(`${base}${path}`, {
    method,
    headers: { api_key: KEY, "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });

export const MOCK_BASE = "https://testapi.multisafepay.com/v1/json";
export function mockTarget(mock = createMultiSafepayMock()): Target & { mock: typeof mock } {
  return {
    mock,
    base: MOCK_BASE,
    send: async (method, path, body, headers = {}) =>
      answer(await mock.fetch(request(MOCK_BASE, method, path, body, headers))),
    pay: async (orderId) => void (await mock.pay(orderId, { status: "completed" })),
  };
}

/** The sandbox `npm start` serves, on an ephemeral loopback port; pays through its control route. */
export async function startSandbox(): Promise<Target & { origin: string; close(): Promise<void> }> {
  const routes = createSandboxRoutes();
  const server: Server = createServer(async (req, res) => {
    if (!(await routes.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}/v1/json`;
  return {
    origin,
    base,
    send: async (method, path, body, headers = {}) => answer(await fetch(request(base, method, path, body, headers))),
    async pay(orderId) {
      const paid = await fetch(`${origin}/sandbox/orders/${id(orderId)}/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "completed" }),
      });
      if (!paid.ok) throw new Error(`sandbox pay ${orderId}: ${paid.status} ${await paid.text()}`);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A plain KBC order the harness itself creates, for a refund or a cancel to act on. */
export const baseOrder = (orderId: string) => ({
  type: "redirect",
  gateway: "KBC",
  order_id: orderId,
  currency: "EUR",
  amount: 1000,
  description: "Conformance corpus base order",
  payment_options: { redirect_url: "https://example.com/return" },
});

export interface Prepared {
  method: string;
  path: string;
  orderId?: string;
  refundId?: string;
}

/** Creates (and pays, and refunds) what the entry's operation acts on; returns where its body goes. */
export async function prepare(target: Target, operation: Operation): Promise<Prepared> {
  if (operation === "createOrder") return OPERATIONS.createOrder();
  const orderId = uniqueId("base");
  const created = await target.send("POST", OPERATIONS.createOrder().path, baseOrder(orderId));
  if (created.body?.success !== true)
    throw new Error(`harness: base order not created: ${JSON.stringify(created.body)}`);
  if (operation === "cancelOrder") return { ...OPERATIONS.cancelOrder(orderId), orderId };
  await target.pay(orderId);
  if (operation === "createRefund") return { ...OPERATIONS.createRefund(orderId), orderId };
  const refund = await target.send("POST", OPERATIONS.createRefund(orderId).path, {
    currency: "EUR",
    amount: 100,
    description: "to cancel",
  });
  const refundId = String(refund.body?.data?.refund_id);
  if (refund.body?.success !== true)
    throw new Error(`harness: refund to cancel not created: ${JSON.stringify(refund.body)}`);
  return { ...OPERATIONS.cancelRefund(orderId, refundId), orderId, refundId };
}
