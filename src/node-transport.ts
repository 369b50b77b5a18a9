// The default transport in Node: node:http / node:https with keep-alive. Node's global fetch costs about
// three times as much per call on loopback (see npm run bench).
// Default imports, read at call time: instrumentation (msw, APM agents) patches `http.request` on the module
// object, which named ESM bindings would not see.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { Cancellation, Incoming, Outgoing, Sender } from "./transport.js";

/** A Sender over node:http with its own keep-alive agents (one pair per client: no shared module state). */
export function createNodeSender(): Sender {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return async (outgoing, cancellation) => {
    try {
      return await send(outgoing, cancellation, agents);
    } catch (error) {
      // A kept-alive socket the server had already closed fails before any byte of an answer: nothing reached
      // the server, so sending again is safe, even for POST.
      if (error instanceof StaleSocketError && !cancellation.cancelled) return send(outgoing, cancellation, agents);
      throw error;
    }
  };
}

class StaleSocketError extends Error {}

function send(outgoing: Outgoing, cancellation: Cancellation, agents: { http: http.Agent; https: https.Agent }): Promise<Incoming> {
  return new Promise((resolve, reject) => {
    const secure = outgoing.url.startsWith("https:");
    const headers: Record<string, string> = {};
    outgoing.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (outgoing.body !== undefined) headers["content-length"] = String(Buffer.byteLength(outgoing.body));
    let answered = false;
    const req = (secure ? https : http).request(outgoing.url, { method: outgoing.method, headers, agent: secure ? agents.https : agents.http });
    // A callback rather than http.request's `signal` option, which costs ~15 µs a call (npm run bench).
    cancellation.onCancel(() => req.destroy(new Error("aborted")));
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("error", reject);
      res.on("aborted", () => reject(new Error("The answer was cut short")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: headerReader(res.headers), body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
      reject(stale ? new StaleSocketError(error.message, { cause: error }) : error);
    });
    req.end(outgoing.body);
  });
}

function headerReader(incoming: IncomingHttpHeaders): Incoming["headers"] {
  return {
    get(name) {
      const value = incoming[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    toHeaders() {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming)) {
        for (const v of [value ?? []].flat()) headers.append(name, v);
      }
      return headers;
    },
  };
}
