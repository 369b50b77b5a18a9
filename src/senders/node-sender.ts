// The default Sender in Node: node:http / node:https over a bounded keep-alive pool. Node's global fetch
// costs about three times as much per call on loopback (npm run bench).
// Default imports, read at call time: instrumentation (msw, APM agents) patches `http.request` on the module
// object, which named ESM bindings would not see.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import {
  declaredTooLarge,
  SendFailure,
  tooLarge,
  type AttemptLimits,
  type Incoming,
  type Outgoing,
  type Sender,
} from "./sender.js";

/** One pool per client (no shared module state): at most `maxSockets` connections per origin. */
export function createNodeSender(maxSockets: number): Sender {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
  return {
    send: (outgoing, limits) => send(outgoing, limits, agents),
    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function send(
  outgoing: Outgoing,
  { cancellation, maxResponseBytes }: AttemptLimits,
  agents: { http: http.Agent; https: https.Agent },
): Promise<Incoming> {
  return new Promise((resolve, reject) => {
    const secure = outgoing.url.startsWith("https:");
    const headers =
      outgoing.body === undefined
        ? outgoing.headers
        : { ...outgoing.headers, "content-length": String(Buffer.byteLength(outgoing.body)) };
    const req = (secure ? https : http).request(outgoing.url, {
      method: outgoing.method,
      headers,
      agent: secure ? agents.https : agents.http,
    });
    // Until the connection is made nothing was sent, so even a refund may be sent again. On a reused
    // kept-alive socket the request may already have reached the server: that counts as sent.
    let connected = false;
    const dispatched = () => {
      connected = true;
      cancellation.dispatched = true;
    };
    req.on("socket", (socket: Socket) => {
      if (req.reusedSocket || !socket.connecting) dispatched();
      else socket.once(secure ? "secureConnect" : "connect", dispatched);
    });
    // A callback rather than http.request's `signal` option, which costs ~15 µs a call (npm run bench).
    cancellation.onCancel(() => req.destroy(new Error("cancelled")));
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const fail = (error: Error) => {
        reject(error);
        res.destroy();
      };
      if (declaredTooLarge(res.headers["content-length"], maxResponseBytes))
        return fail(tooLarge(status, maxResponseBytes));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) fail(tooLarge(status, maxResponseBytes));
        else chunks.push(chunk);
      });
      res.on("error", (cause) => reject(new SendFailure(true, "the answer was cut short", { cause })));
      res.on("aborted", () => reject(new SendFailure(true, "the answer was cut short")));
      res.on("end", () =>
        resolve({ status, headers: headerReader(res.headers), body: Buffer.concat(chunks, size).toString("utf8") }),
      );
    });
    req.on("error", (cause) =>
      reject(new SendFailure(connected, connected ? "the connection failed" : "could not connect", { cause })),
    );
    req.end(outgoing.body);
  });
}

function headerReader(incoming: IncomingHttpHeaders): Incoming["headers"] {
  return {
    get(name) {
      const value = incoming[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    forEach(visit) {
      for (const [name, value] of Object.entries(incoming))
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) visit(one, name);
    },
  };
}
