// MultiSafepay's official clients' captured requests (test/fixtures/conformance/official-clients/*.jsonl),
// replayed in order against the sandbox over real HTTP on loopback, with each client's own headers. Every step
// must succeed, as it does against MultiSafepay's API. See the README beside the captures for what is rewritten.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseOrder, CORPUS_DIR, KEY, OPERATIONS, startSandbox, uniqueId } from "./helpers/corpus.js";

interface Exchange {
  step: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  status: number;
}
const CAPTURED_RECEIVER = "http://127.0.0.1:4830";
const read = (client: string): Exchange[] =>
  readFileSync(join(CORPUS_DIR, "official-clients", `${client}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

// Notifications the sandbox sends on payments, refunds and cancels land here (and are acknowledged).
let receiver: Server;
let receiverOrigin: string;
beforeAll(async () => {
  receiver = createServer((req, res) =>
    req.resume().on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("OK")),
  );
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverOrigin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => receiver?.close(r)));

describe.each(["python", "php", "node"])("the %s client's captured requests, replayed", (client) => {
  const exchanges = read(client);
  const runPrefix = /\b(py|php|node)-\d+/.exec(exchanges.find((x) => x.body)?.body ?? "")![0];
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let prefix: string;
  let lastRefundId: string | undefined;
  let lastAfter: string | undefined;
  const paid = new Set<string>();
  beforeAll(async () => {
    sandbox = await startSandbox();
    prefix = uniqueId(client.slice(0, 3));
  });
  afterAll(() => sandbox?.close());

  /** The capture with this run's ids, refund id, cursor and receiver in place of the original run's. */
  function rewrite(x: Exchange) {
    const swap = (text: string) => text.split(runPrefix).join(prefix).split(CAPTURED_RECEIVER).join(receiverOrigin);
    let path = swap(x.path);
    if (lastRefundId) path = path.replace(/\/refunds\/[^/?]+/, `/refunds/${lastRefundId}`);
    if (lastAfter) path = path.replace(/([?&]after=)[^&]+/, `$1${lastAfter}`);
    const headers = Object.fromEntries(Object.entries(x.headers).map(([k, v]) => [k, v.replace("<api-key>", KEY)]));
    return { path, headers, body: x.body === null ? undefined : swap(x.body) };
  }

  it.each(exchanges.map((x, i) => [`${i + 1}. ${x.step}: ${x.method} ${x.path.split("?")[0]}`, x] as const))(
    "%s",
    async (_name, x) => {
      let { path, headers, body } = rewrite(x);
      // A refund of `amount: 0` refunds everything (MultiSafepay): it goes to a paid copy of the order, so the
      // steps after it meet the order as the capture did (there the sandbox refused it and nothing was refunded).
      if (x.method === "POST" && body && JSON.parse(body).amount === 0) {
        const copy = uniqueId(`${client}-zero`);
        await sandbox.send("POST", OPERATIONS.createOrder().path, baseOrder(copy));
        await sandbox.pay(copy);
        const query = path.includes("?") ? path.slice(path.indexOf("?")) : "";
        path = `/v1/json${OPERATIONS.createRefund(copy).path}${query}`;
      }
      const orderId = /\/orders\/([^/?]+)/.exec(path)?.[1];
      if (x.step.startsWith("3") && orderId && !paid.has(x.step)) {
        paid.add(x.step);
        await sandbox.pay(decodeURIComponent(orderId));
      }
      const response = await fetch(`${sandbox.origin}${path}`, {
        method: x.method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      const answer = JSON.parse(text);
      if (answer?.data?.refund_id !== undefined) lastRefundId = String(answer.data.refund_id);
      if (path.includes("/transactions")) lastAfter = answer?.pager?.cursor?.after ?? lastAfter;
      expect({ ok: response.ok, success: answer?.success }, `${response.status} ${text.slice(0, 300)}`).toEqual({
        ok: true,
        success: true,
      });
    },
  );
});
