// The default Sender in Node: node:http / node:https over a bounded keep-alive pool. Node's global fetch
// costs about three times as much per call on loopback (npm run bench).
// node:http and node:https load on the first request (4.7 ms of a cold start, npm run bench), not at import:
// every call is async, so the first one waits for them. Their module objects are read at call time:
// instrumentation (msw, APM agents) patches `http.request` on the module object, which named ESM bindings
// would not see.
import type * as Http from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import type * as Https from "node:https";
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

type Modules = { http: typeof Http; https: typeof Https };
type Agents = { http: Http.Agent; https: Https.Agent };

let modules: Modules | Promise<Modules> | undefined;

/** node:http and node:https, once per process: the modules once loaded, else the promise of them. */
function nodeModules(): Modules | Promise<Modules> {
  modules ??= Promise.all([import("node:http"), import("node:https")]).then(
    ([http, https]) => (modules = { http: http.default, https: https.default }),
    (cause: unknown) => {
      modules = undefined;
      // Nothing was sent: the pipeline reads it as a connection that was never made.
      throw new SendFailure(false, "could not load node:http", { cause });
    },
  );
  return modules;
}

/**
 * One pool per client (no shared module state): at most `maxSockets` connections per origin. The pool is made
 * with the first request; a client closed before it sent anything has none to release.
 */
export function createNodeSender(maxSockets: number): Sender {
  let agents: Agents | undefined;
  let closed = false;
  const made = ({ http, https }: Modules): Agents =>
    (agents ??= {
      http: new http.Agent({ keepAlive: true, maxSockets }),
      https: new https.Agent({ keepAlive: true, maxSockets }),
    });
  return {
    send(outgoing, limits) {
      const loaded = nodeModules();
      if (!(loaded instanceof Promise)) return send(outgoing, limits, loaded, made(loaded));
      return loaded.then((mods) => {
        // Closed while node:http loaded: the pipeline refuses calls after close(); an attempt already past
        // that check fails as an attempt on a destroyed agent would.
        if (closed) throw new SendFailure(false, "the client was closed");
        return send(outgoing, limits, mods, made(mods));
      });
    },
    async close() {
      closed = true;
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}

function send(
  outgoing: Outgoing,
  { cancellation, maxResponseBytes }: AttemptLimits,
  { http, https }: Modules,
  agents: Agents,
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
