// A loopback HTTP server that misbehaves on purpose: it redirects, drops sockets, streams without end or
// answers HTML. Each test gives the handler; the server counts connections so pools can be checked.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach } from "vitest";

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

export async function loopback(handler: Handler) {
  const sockets = new Set<Socket>();
  let connections = 0;
  let peak = 0;
  const requests: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];
  const server = createServer(async (req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await handler(req, res, Buffer.concat(chunks).toString("utf8"));
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  open.push(close);
  return {
    origin,
    base: `${origin}/v1/json`,
    requests,
    /** Connections open now, ever opened, and the most open at once. */
    connections: () => ({ open: sockets.size, total: connections, peak }),
    close,
  };
}

/** A node:http request as a Fetch API Request, so a test can hand it to the mock's core. */
export function toRequest(req: IncomingMessage, origin: string, body: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method ?? "GET",
    headers,
    ...(body ? { body } : {}),
  });
}

export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, {
    "content-type": response.headers.get("content-type") ?? "application/json",
    "content-length": body.length,
  });
  res.end(body);
}
