// The node:http sender: keep-alive, no resend of its own, and what counts as never sent.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createMultiSafepay } from "../src/node.js";
import { createNodeSender } from "../src/senders/node-sender.js";
import { Cancellation, SendFailure } from "../src/senders/sender.js";
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

  it("never resends on its own: a request lost on a reused socket is an attempt the retry rule counts", async () => {
    let attempts = 0;
    const { base } = await start((_socket, served) => {
      attempts++;
      // The server drops a kept-alive connection on its second use, before answering.
      return served === 1 ? "hang-up" : "answer";
    });
    const msp = createMultiSafepay({ apiKey: "node-key-123", baseUrl: base, maxRetries: 0 });
    await msp.orders.create({ ...redirectOrder(), order_id: "first" });
    await expect(msp.orders.create({ ...redirectOrder(), order_id: "second" })).rejects.toMatchObject({
      code: "connection_error",
    });
    expect(attempts).toBe(2);
  });

  it("counts a refused connection as never sent", async () => {
    const { base } = await start(() => "answer");
    await new Promise((r) => server!.close(r));
    server = undefined;
    const sent: boolean[] = [];
    const sender = createNodeSender(4);
    const failure = await sender
      .send(
        { method: "POST", url: `${base}/orders/x/refunds`, headers: {}, body: "{}" },
        { cancellation: new Cancellation(), maxResponseBytes: 100 },
      )
      .catch((e) => e);
    sent.push(failure.sent);
    expect(failure).toBeInstanceOf(SendFailure);
    expect(sent).toEqual([false]);
  });
});
