// The node:http transport: keep-alive, and the one safe retry of a request sent on a stale kept-alive socket.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createMultiSafepay } from "../src/node.js";
import { redirectCreated, redirectOrder } from "./helpers/orders.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function start(handler: (socket: Socket, served: number) => "answer" | "hang-up") {
  const served = new Map<Socket, number>();
  const sockets = new Set<Socket>();
  server = createServer((req, res) => {
    const count = served.get(req.socket) ?? 0;
    served.set(req.socket, count + 1);
    sockets.add(req.socket);
    req.resume();
    req.on("end", () => {
      if (handler(req.socket, count) === "hang-up") return req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(redirectCreated()));
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1/json`, sockets };
}

describe("node:http transport", () => {
  it("reuses one kept-alive connection across calls", async () => {
    const { base, sockets } = await start(() => "answer");
    const msp = createMultiSafepay({ apiKey: "node-key-123", baseUrl: base });
    for (let i = 0; i < 5; i++) await msp.orders.create({ ...redirectOrder(), order_id: `o-${i}` });
    expect(sockets.size).toBe(1);
  });

  it("resends a POST once when a reused socket turns out to be closed, and not when a fresh one fails", async () => {
    let attempts = 0;
    const { base } = await start((_socket, served) => {
      attempts++;
      // The server drops a kept-alive connection on its second use, before answering.
      return served === 1 ? "hang-up" : "answer";
    });
    // No retries of its own: the resend below is the transport's, not the retry policy's.
    const msp = createMultiSafepay({ apiKey: "node-key-123", baseUrl: base, maxRetries: 0 });
    await msp.orders.create({ ...redirectOrder(), order_id: "first" });
    const created = await msp.orders.create({ ...redirectOrder(), order_id: "second" });
    expect(created.payment_url).toMatch(/^https:\/\/testpayv2\.multisafepay\.com\/connect\//);
    expect(attempts).toBe(3);

    const freshFailure = await start(() => "hang-up");
    const other = createMultiSafepay({ apiKey: "node-key-123", baseUrl: freshFailure.base, maxRetries: 0 });
    await expect(other.orders.create(redirectOrder())).rejects.toMatchObject({ code: "connection_error" });
  });
});
