// `msp.api`: the typed openapi-fetch client for anything in the spec, over the same pipeline as the resource
// methods: the same retry rule, sender, answer cap and typed errors, and ids beyond 2^53 kept exact.
import { BODY_OPERATIONS } from "../generated/spec-constants.js";
import { readEnvelope } from "./envelope.js";
import { ValidationError } from "./errors.js";
import type { Pipeline, RequestOptions } from "./pipeline.js";
import { parseJson } from "./json.js";
import type { Orders } from "./resources/orders.js";
import { readAnswer, repeatRule } from "./retry.js";
import type { BodySchema } from "./issues.js";
import type { OrderRequest } from "./types.js";
import { checkedBody, checkedHeaders, checkedQuery } from "./validation.js";

/**
 * The fetch openapi-fetch calls: it rejects with the same typed errors as `msp.orders`. A create goes through
 * `orders.create` itself, so it gets the same validation, lost-answer recovery and payment_url check.
 */
export function apiFetch(pipeline: Pipeline, baseUrl: string, orders: Orders, options: RequestOptions = {}): (request: Request) => Promise<Response> {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  return async (request) => {
    const callOptions = { ...options, signal: options.signal ? AbortSignal.any([options.signal, request.signal]) : request.signal };
    if (!request.url.startsWith(`${baseUrl}/`)) {
      throw new ValidationError([{ path: "", message: `msp.api only calls ${baseUrl}` }], "request");
    }
    if (request.method === "POST" && request.url === `${baseUrl}/orders`) {
      const created = await orders.create(readJson(await request.text(), "order") as OrderRequest, callOptions);
      return Response.json({ success: true, data: created });
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const path = new URL(request.url).pathname;
    const body = await checkedText(request, bodySchemaAt(request.method, path.slice(basePath.length)), callOptions);
    const outgoing = { method: request.method, url: request.url, headers, ...(body === undefined ? {} : { body }) };
    const sent = await pipeline.send(outgoing, repeatRule(request.method, path), callOptions);
    const { answer } = sent;
    // Re-serialized from the exact parse: openapi-fetch's own JSON.parse then sees big ids as strings.
    const { envelope } = readAnswer(sent, readEnvelope);
    return new Response(JSON.stringify(envelope), { status: answer.status, headers: { "content-type": "application/json" } });
  };
}

/** Each operation with a body, by method and path template (from the spec), as a matcher of request paths. */
const BODY_PATHS = BODY_OPERATIONS.map(({ method, path, schema }) => ({ method, schema, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`) }));
const SUBJECTS: Record<BodySchema, string> = { RefundRequest: "refund", CancelRefundRequest: "refund cancellation", CancelOrderRequest: "order cancellation" };

function bodySchemaAt(method: string, path: string): BodySchema | undefined {
  return BODY_PATHS.find((operation) => operation.method === method && operation.pattern.test(path))?.schema;
}

/**
 * The body to send: for an operation with a body schema, the body checked exactly as the resource methods
 * check it (the same guard, the same refund rules) and sent as checked; otherwise as given.
 */
async function checkedText(request: Request, schema: BodySchema | undefined, options: RequestOptions): Promise<string | undefined> {
  const text = request.body ? await request.text() : undefined;
  if (!schema) return text;
  const subject = SUBJECTS[schema];
  return JSON.stringify(checkedBody(schema, text === undefined ? undefined : readJson(text, subject), subject, options));
}

function readJson(text: string, subject: string): unknown {
  try {
    return parseJson(text);
  } catch {
    throw new ValidationError([{ path: "", message: "must be JSON" }], subject);
  }
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** What openapi-fetch reads from a call's init before it builds the request. */
interface CallInit {
  headers?: unknown;
  params?: { query?: unknown; header?: unknown };
}

/**
 * The input openapi-fetch turns into a URL and headers before any fetch is called, checked first: the query
 * exactly as the resource methods check it (checkedQuery, by the operation's parameters in the spec), and the
 * headers as the Fetch API would take them. A bad one rejects with a ValidationError naming it; nothing is sent.
 * (Path values are checked by safePathSerializer, bodies in apiFetch.)
 */
export function guardedInput<C extends object>(client: C): C {
  const methods = client as unknown as Record<string, (url: string, init?: CallInit) => Promise<unknown>>;
  const call = (method: string, url: string, init: CallInit | undefined, send: () => Promise<unknown>) => {
    try {
      checkedHeaders(init?.headers);
      checkedHeaders(init?.params?.header, "params/header");
      checkedQuery(method, url, init?.params?.query);
    } catch (error) {
      return Promise.reject(error);
    }
    return send();
  };
  const guarded: Record<string, unknown> = {};
  for (const method of METHODS) {
    const original = methods[method]!;
    guarded[method] = (url: string, init?: CallInit) => call(method, url, init, () => original(url, init));
  }
  const request = (client as unknown as { request: (method: string, url: string, init?: CallInit) => Promise<unknown> }).request;
  guarded.request = (method: string, url: string, init?: CallInit) => call(String(method).toUpperCase(), url, init, () => request(method, url, init));
  return Object.assign(client, guarded);
}
