// The default transport in Node: node:http / node:https with keep-alive, behind the fetch-shaped seam
// openapi-fetch calls. Node's global fetch costs about twice as much per call on loopback (see npm run bench).
// Default imports, read at call time: instrumentation (msw, APM agents) patches `http.request` on the module
// object, which named ESM bindings would not see.
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { FetchLike } from "./transport.js";

/** A fetch over node:http with its own keep-alive agents (one pair per client: no shared module state). */
export function createNodeFetch(): FetchLike {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return async function nodeFetch(request: Request): Promise<Response> {
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    try {
      return await send(request, body, agents);
    } catch (error) {
      // A kept-alive socket the server had already closed fails before any byte of an answer: nothing reached
      // the server, so sending again is safe, even for POST.
      if (error instanceof StaleSocketError) return send(request, body, agents);
      throw error;
    }
  };
}

class StaleSocketError extends Error {}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function send(request: Request, body: Uint8Array | undefined, agents: { http: http.Agent; https: https.Agent }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body) headers["content-length"] = String(body.byteLength);
    let answered = false;
    const req = (secure ? https : http).request(url, {
      method: request.method,
      headers,
      agent: secure ? agents.https : agents.http,
      signal: request.signal,
    });
    req.on("response", (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("aborted", () => reject(new Error("The answer was cut short")));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers: toHeaders(res.headers) }));
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
      reject(stale ? new StaleSocketError(error.message, { cause: error }) : error);
    });
    req.end(body);
  });
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
