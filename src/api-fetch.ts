// `msp.api`: the typed openapi-fetch client for anything in the spec, over the same pipeline as the resource
// methods: the same retry rule, sender, answer cap and typed errors, and ids beyond 2^53 kept exact.
import { readEnvelope } from "./envelope.js";
import { ValidationError } from "./errors.js";
import type { Pipeline, RequestOptions } from "./pipeline.js";
import { parseJson } from "./json.js";
import type { Orders } from "./resources/orders.js";
import { repeatRule } from "./retry.js";
import type { OrderRequest } from "./types.js";

/**
 * The fetch openapi-fetch calls: it rejects with the same typed errors as `msp.orders`. A create goes through
 * `orders.create` itself, so it gets the same validation, lost-answer recovery and payment_url check.
 */
export function apiFetch(pipeline: Pipeline, baseUrl: string, orders: Orders, options: RequestOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    const callOptions = { ...options, signal: options.signal ? AbortSignal.any([options.signal, request.signal]) : request.signal };
    if (!request.url.startsWith(`${baseUrl}/`)) {
      throw new ValidationError([{ path: "", message: `msp.api only calls ${baseUrl}` }], "request");
    }
    if (request.method === "POST" && request.url === `${baseUrl}/orders`) {
      const created = await orders.create(readJson(await request.text()) as OrderRequest, callOptions);
      return Response.json({ success: true, data: created });
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const outgoing = { method: request.method, url: request.url, headers, ...(request.body ? { body: await request.text() } : {}) };
    const path = new URL(request.url).pathname;
    const { answer } = await pipeline.send(outgoing, repeatRule(request.method, path), callOptions);
    // Re-serialized from the exact parse: openapi-fetch's own JSON.parse then sees big ids as strings.
    const { envelope } = readEnvelope(answer);
    return new Response(JSON.stringify(envelope), { status: answer.status, headers: { "content-type": "application/json" } });
  };
}

function readJson(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    throw new ValidationError([{ path: "", message: "must be a JSON order" }], "order");
  }
}
