// `msp.api`: the typed openapi-fetch client for anything in the spec, over the same pipeline as the resource
// methods: the same retry rule, sender, answer cap and typed errors, and ids beyond 2^53 kept exact.
import { ValidationError, type ValidationIssue } from "./errors.js";
import type { Pipeline, RequestOptions } from "./pipeline.js";
import type { Orders } from "./resources/orders.js";
import type { BodySchema } from "./issues.js";
import { decodeSegment, matchOperation, unfilledParameters } from "./operations.js";
import type { OrderRequest } from "./types.js";
import type { Redactor } from "./redact.js";
// Static: msp.api is a chunk of its own (api-lazy.ts), which loads the body checks with it.
import { checkedBody } from "./body-check.js";
import { checkedQueryAt, pathParamIssue } from "./validation.js";

/**
 * The client's own functions this module uses, handed in by client.ts (through api-client.ts) rather than
 * imported: a lazy chunk that imports the pipeline's modules shares them, and a bundler then splits them out of
 * the entry into one more file loaded at start (docs/performance.md, round five).
 */
export interface ApiWire {
  checkedCallHeaders: typeof import("./pipeline.js").checkedCallHeaders;
  clientControlled: typeof import("./pipeline.js").clientControlled;
  safePathSerializer: typeof import("./pipeline.js").safePathSerializer;
  readEnvelope: typeof import("./envelope.js").readEnvelope;
  parseJson: typeof import("./json.js").parseJson;
}

/**
 * The fetch openapi-fetch calls: it rejects with the same typed errors as `msp.orders`. A create goes through
 * `orders.create` itself, so it gets the same validation, lost-answer recovery and payment_url check.
 */
export function apiFetch(
  pipeline: Pipeline,
  baseUrl: string,
  orders: Orders,
  options: RequestOptions,
  { clientControlled, readEnvelope, parseJson }: ApiWire,
): (request: Request) => Promise<Response> {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  return async (request) => {
    const callOptions = {
      ...options,
      signal: options.signal ? AbortSignal.any([options.signal, request.signal]) : request.signal,
    };
    if (!request.url.startsWith(`${baseUrl}/`)) {
      throw new ValidationError([{ path: "", message: `msp.api only calls ${baseUrl}` }], "request");
    }
    // Only the spec's operations, spelt exactly: another spelling (a trailing slash, `//`, other case) could
    // reach the same handler at a server while skipping the checks below.
    const relative = new URL(request.url).pathname.slice(basePath.length);
    const found = matchOperation(request.method, relative);
    if (!found)
      throw new ValidationError(
        [
          {
            path: "",
            message: `${request.method} ${relative} is not an operation of the spec (check the method and the path's spelling)`,
          },
        ],
        "request",
      );
    const { operation, raw } = found;
    const unfilled = unfilledParameters(operation, relative);
    if (unfilled.length)
      throw new ValidationError(
        unfilled.map((name) => ({ path: `/${name}`, message: "is required (a path parameter)" })),
        "path parameter",
      );
    // Each path parameter as MultiSafepay will read it (decoded) against the spec's rule for it, as the resource
    // methods check theirs. A literal path (`msp.api.GET("/orders/%zz")`) is sent as written: a malformed escape
    // in it names nothing.
    const issues = operation.pathParams.flatMap((rule): ValidationIssue[] => {
      const value = decodeSegment(raw[rule.name]!);
      if (value === undefined)
        return [
          {
            path: `/${rule.name}`,
            message: "has a malformed %-escape (encode the value with encodeURIComponent, or pass it in params.path)",
          },
        ];
      const issue = pathParamIssue(rule, value);
      return issue ? [issue] : [];
    });
    if (issues.length) throw new ValidationError(issues, "path parameter");
    if (operation.id === "createOrder") {
      // The caller's own headers go with it (the client's are set again by the pipeline).
      const own: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        if (!clientControlled(name)) own[name] = value;
      });
      const created = await orders.create(readJson(await request.text(), "order", parseJson) as OrderRequest, {
        ...callOptions,
        headers: { ...own, ...callOptions.headers },
      });
      return Response.json({ success: true, data: created });
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await checkedText(
      request,
      "schema" in operation ? operation.schema : undefined,
      callOptions,
      parseJson,
    );
    const outgoing = { method: request.method, url: request.url, headers, ...(body === undefined ? {} : { body }) };
    const sent = await pipeline.send(outgoing, operation, callOptions);
    // Re-serialized from the exact parse: openapi-fetch's own JSON.parse then sees big ids as strings.
    const { envelope } = sent.read(readEnvelope).data;
    return new Response(JSON.stringify(envelope), {
      status: responseStatus(sent.answer.status),
      headers: { "content-type": "application/json" },
    });
  };
}

/**
 * A status a Fetch Response with a body can carry: an answer read as MultiSafepay's envelope with another one
 * (600, 999, 205 with a body) must not turn into a RangeError after a refund was accepted.
 */
function responseStatus(status: number): number {
  return status >= 200 && status <= 599 && status !== 204 && status !== 205 && status !== 304 ? status : 200;
}

const SUBJECTS: Record<BodySchema, string> = {
  RefundRequest: "refund",
  CancelRefundRequest: "refund cancellation",
  CancelOrderRequest: "order cancellation",
};

/**
 * The body to send: for an operation with a body schema, the body checked exactly as the resource methods
 * check it (the same guard, the same refund rules) and sent as checked; otherwise as given.
 */
async function checkedText(
  request: Request,
  schema: BodySchema | undefined,
  options: RequestOptions,
  parseJson: ApiWire["parseJson"],
): Promise<string | undefined> {
  const text = request.body ? await request.text() : undefined;
  if (!schema) return text;
  const subject = SUBJECTS[schema];
  return JSON.stringify(
    checkedBody(schema, text === undefined ? undefined : readJson(text, subject, parseJson), subject, options),
  );
}

function readJson(text: string, subject: string, parseJson: ApiWire["parseJson"]): unknown {
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
 * (Path values are checked by safePathSerializer and, against the spec's rule for each, in apiFetch; bodies in apiFetch.)
 */
export function guardedInput<C extends object>(
  client: C,
  redactor: Redactor,
  checkedCallHeaders: ApiWire["checkedCallHeaders"],
): C {
  const methods = client as unknown as Record<string, (url: string, init?: CallInit) => Promise<unknown>>;
  const call = (method: string, url: string, init: CallInit | undefined, send: () => Promise<unknown>) =>
    // Key-free, as what the fetch below rejects with is: these checks (and openapi-fetch) may name what was given.
    checkedThenSent(method, url, init, send).catch((error: unknown) => Promise.reject(redactor.error(error)));
  const checkedThenSent = (method: string, url: string, init: CallInit | undefined, send: () => Promise<unknown>) => {
    try {
      // The headers the client controls (the key's among them) are refused here as in the resources' options.
      checkedCallHeaders(init?.headers ?? undefined);
      // openapi-fetch sends params.header as headers too, over the client's own: the same names are refused.
      checkedCallHeaders(init?.params?.header ?? undefined, "params/header");
      checkedQueryAt(method, url, init?.params?.query);
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
  const request = (client as unknown as { request: (method: string, url: string, init?: CallInit) => Promise<unknown> })
    .request;
  guarded.request = (method: string, url: string, init?: CallInit) =>
    call(String(method).toUpperCase(), url, init, () => request(method, url, init));
  return Object.assign(client, guarded);
}
