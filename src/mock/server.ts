// The sandbox over node:http, as the `multisafepay-kbc-sandbox` bin (cli.ts, createSandboxServer) and `npm start`
// (scripts/start.mjs: createSandboxRoutes beside the docs page) serve it. Node only; the in-process mock
// (index.ts) runs anywhere fetch does. Every request is first refused if its Host is not one the sandbox serves
// on (403, DNS rebinding), its body passes MAX_BODY_BYTES (413), or it changes something and comes from another
// site (403). Then two tables route it:
// - under /v1/json, MultiSafepay's API: the spec's operation table, in the sandbox core (sandbox.ts, one handler
//   per operation in operations/, over the store), called with the core's own request (exchange.ts) made from
//   the IncomingMessage, its answer written straight to the ServerResponse: no Fetch Request or Response;
// - SANDBOX_ROUTES: the sandbox's control API, generated from its own OpenAPI document (openapi-sandbox/,
//   generated/sandbox-api.js, served at /sandbox/openapi.json): the orders with their history, the shopper's and
//   the merchant's actions (the merchant's make the same API calls a client makes), the clock, reset, the
//   overview page (/sandbox) built on them, and the payment page every payment_url opens (/sandbox/pay/<id>).
// A path parameter is decoded once; a malformed %-escape is a 404. Any other path is left to the host server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SANDBOX_OPENAPI, SANDBOX_ROUTES } from "../../generated/sandbox-api.js";
import type { Order } from "../types.js";
import { OUTCOMES, type PaymentOutcome } from "./orders.js";
import { OVERVIEW_PAGE, outcomePage, SHOPPER_OUTCOMES, shopperPage } from "./pages.js";
import { createSandbox, SHOPPER_PAGE_PATH } from "./sandbox.js";
import { decodeSegment } from "../operations.js";
import { notFound } from "./errors.js";
import { type Answer, json, type SandboxRequest } from "./exchange.js";
import { hostAllowed, hostName, LOOPBACK_NAMES } from "./hosts.js";

// API requests are mapped onto one fixed origin, so the sandbox answers whatever host name it is reached by.
const ORIGIN = "http://sandbox.local";
const API_PATH = "/v1/json";

export interface SandboxRoutesOptions {
  /** The only API key accepted; without it, any key of at least 5 characters. */
  apiKey?: string;
  /** Where the sandbox says what a developer should see (fields MultiSafepay would ignore). Default: none. */
  log?: (message: string) => void;
  /**
   * Host names the sandbox answers to besides loopback (localhost, 127.0.0.0/8, [::1]) and the address a
   * request arrived on: a request whose Host header names anything else is refused (403), on every path, so a
   * web page cannot reach the sandbox through a DNS name it controls (DNS rebinding). The bin adds its --host.
   */
  allowHosts?: readonly string[];
  /** Hosts a notification_url may name besides loopback (see SandboxOptions.allowNotify). Default: none. */
  allowNotify?: readonly string[];
}

export interface SandboxRoutes {
  sandbox: ReturnType<typeof createSandbox>;
  /** Kept for callers of the former scripts/sandbox.mjs: `pay` and `orders` of the sandbox. */
  mock: Pick<ReturnType<typeof createSandbox>, "pay" | "orders" | "settleRefunds">;
  /** Answers the sandbox's routes; resolves false for any other path (so a host server can serve its own). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createSandboxRoutes(options: SandboxRoutesOptions = {}): SandboxRoutes {
  const sandbox = createSandbox({
    baseUrl: `${ORIGIN}${API_PATH}`,
    environment: [],
    allowNotify: options.allowNotify ?? [],
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const allowHosts = (options.allowHosts ?? []).map((h) => hostName(h)).filter((h): h is string => h !== null);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    closeOnUnreadBody(req, res);
    try {
      return await routesFor(req, res);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      tooLarge(req, res);
      return true;
    }
  }

  async function routesFor(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", ORIGIN);
    const { pathname } = url;
    const api = pathname === API_PATH || pathname.startsWith(`${API_PATH}/`);
    const badHost = hostRefusal(req, allowHosts);
    if (badHost) {
      if (api) await send(res, errorEnvelope(403, badHost));
      else res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end(`${badHost}\n`);
      return true;
    }
    if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) throw new BodyTooLarge();
    const changes = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS";
    if (api) {
      // MultiSafepay's clients (PHP, Python, Node) send neither Origin nor Sec-Fetch-*; a browser page does.
      const refused = changes ? crossSite(req, false) : undefined;
      if (refused) {
        await send(res, errorEnvelope(403, refused));
        return true;
      }
      const origin = publicOrigin(req) ?? socketOrigin(req);
      const request: SandboxRequest = {
        method: req.method ?? "GET",
        path: pathname.slice(API_PATH.length) || "/",
        query: url.searchParams,
        headers: nodeHeaders(req),
        body: req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req),
        reached: () => (origin ? new URL(`${pathname}${url.search}`, origin) : url),
      };
      write(res, sandbox.dispatch(request, origin ? { publicOrigin: origin } : {}));
      return true;
    }
    if (changes && pathname.startsWith("/sandbox/")) {
      const refused = crossSite(req, !pathname.startsWith(`${SHOPPER_PAGE_PATH}/`));
      if (refused) {
        await send(res, Response.json({ error: refused }, { status: 403 }));
        return true;
      }
    }
    const found = sandboxRoute(req.method, pathname);
    if (!found) return false;
    const { route, params } = found;
    // A malformed %-escape names nothing: 404, the page's own for a payment link, MultiSafepay's envelope otherwise.
    if (params.includes(undefined)) {
      if (route.id === "shopperPage" || route.id === "shopperOutcome") return html(res, 404, UNKNOWN_PAYMENT);
      await send(res, notFound());
      return true;
    }
    const [first = "", second = ""] = params as string[];
    const json = async (response: Response) => {
      await send(res, response);
      return true;
    };
    const refusal = (status: number) => (e: Error) => Response.json({ error: e.message }, { status });
    switch (route.id) {
      case "overviewPage":
        return html(res, 200, OVERVIEW_PAGE);
      case "getOpenApi":
        return json(Response.json(SANDBOX_OPENAPI));
      case "listOrders":
        // Newest first, each with its history and what MultiSafepay would have ignored in its requests.
        return json(Response.json(sandbox.orders.list().map(orderView).reverse()));
      case "payOrder": {
        const body = parseJson(await readBody(req)) ?? {};
        const extra = undefinedFields(body, ["status"]);
        if (extra) return json(extra);
        const { status } = body;
        if (!isOutcome(status))
          return json(
            Response.json({ error: `status must be one of ${Object.keys(OUTCOMES).join(", ")}` }, { status: 400 }),
          );
        return json(await sandbox.pay(first, { status }).then((r) => Response.json(r), refusal(409)));
      }
      case "selectMethod":
        try {
          return json(Response.json(orderView(sandbox.selectMethod(first, "sandbox"))));
        } catch (error) {
          return json(refusal(409)(error as Error));
        }
      case "cancelOrder":
        return json(await sandbox.controls.cancel(first));
      case "refundOrder": {
        const body = parseJson(await readBody(req));
        // Not a JSON object (malformed, empty, an array): refused, never read as {} and so as "refund it all".
        if (!body)
          return json(
            Response.json(
              { error: 'send a JSON object: {"amount": <integer cents>}, or {} to refund all that is left' },
              { status: 400 },
            ),
          );
        const extra = undefinedFields(body, ["amount"]);
        if (extra) return json(extra);
        const { amount } = body;
        // An empty field means a full refund; 0 goes through to the API, which treats it as one too, as MultiSafepay does.
        return json(
          await sandbox.controls.refund(first, {
            ...(amount === undefined ? {} : { amount: amount as number }),
            description: "Refund from the sandbox page",
          }),
        );
      }
      case "cancelRefund":
        return json(await sandbox.controls.cancelRefund(first, second));
      case "settleRefunds":
        return json(Response.json({ settled: await sandbox.settleRefunds() }));
      case "getClock":
        return json(Response.json(sandbox.clock.state()));
      case "setClock":
        return json(await setClock(parseJson(await readBody(req)) ?? {}));
      case "reset":
        sandbox.reset();
        return json(Response.json({ reset: true }));
      case "shopperPage":
      case "shopperOutcome":
        return shopperRoute(req, res, first);
    }
  }

  /** The order as the API answers it, with what the sandbox knows besides: its history, ignored fields, refusal. */
  function orderView(order: Order) {
    const id = String(order.order_id);
    return {
      ...order,
      ignored_fields: sandbox.orders.ignoredFields(id),
      notification_refused: sandbox.orders.notificationRefused(id),
      history: sandbox.orders.history(id),
    };
  }

  /** POST /sandbox/clock: `{"now": "<date-time>"}` or `{"advance_seconds": n}`, one of the two. */
  async function setClock(body: Record<string, unknown>): Promise<Response> {
    const extra = undefinedFields(body, ["now", "advance_seconds"]);
    if (extra) return extra;
    const { now, advance_seconds: seconds } = body;
    const bad = (error: string) => Response.json({ error }, { status: 400 });
    if ((now === undefined) === (seconds === undefined))
      return bad('send {"now": "<date-time>"} or {"advance_seconds": <integer>}, one of the two');
    if (now !== undefined) {
      // A zone is required: a time without one would mean the sandbox's zone to some readers and UTC to others.
      if (
        typeof now !== "string" ||
        !/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(now)
      )
        return bad("now must be an ISO 8601 date-time with a zone, e.g. 2026-03-02T09:00:00Z");
      // Date.parse rolls 2026-02-30 over to March 2nd: the day must be on the calendar as written.
      const day = now.slice(0, 10);
      if (Number.isNaN(Date.parse(now)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day)
        return bad(`now is not a date: ${now}`);
      if (!inRange(Date.parse(now))) return bad(OUT_OF_RANGE);
      return Response.json(await sandbox.clock.set(now));
    }
    if (!Number.isSafeInteger(seconds) || Math.abs(seconds as number) > 315_360_000)
      return bad("advance_seconds must be an integer of seconds, at most ten years either way");
    if (!inRange(Date.parse(sandbox.clock.state().now) + (seconds as number) * 1000)) return bad(OUT_OF_RANGE);
    return Response.json(await sandbox.clock.advance(seconds as number));
  }

  /** The payment page: GET shows it, POST plays the chosen outcome and sends the browser back to the shop. */
  async function shopperRoute(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<boolean> {
    const found = sandbox.session(sessionId);
    if (!found) return html(res, 404, UNKNOWN_PAYMENT);
    // Opening the payment page is where the shopper selects the method: a redirect order's 5 days start.
    if (req.method === "GET")
      return html(res, 200, shopperPage(sandbox.selectMethod(String(found.order.order_id)), sessionId));
    if (req.method !== "POST") return false;
    const outcome = new URLSearchParams(await readBody(req)).get("outcome");
    if (!SHOPPER_OUTCOMES.some(([value]) => value === outcome) || !isOutcome(outcome))
      return html(res, 400, "<!doctype html><title>Bad outcome</title><p>Pick one of the buttons.</p>");
    if (found.order.status !== "initialized") return html(res, 409, shopperPage(found.order, sessionId));
    // As MultiSafepay: status first, then the notification, then the browser goes back to the shop.
    const { order } = await sandbox.pay(String(found.order.order_id), { status: outcome });
    const options = found.request.payment_options;
    const target = outcome === "completed" ? options?.redirect_url : (options?.cancel_url ?? options?.redirect_url);
    if (!target) return html(res, 200, outcomePage(order));
    res.writeHead(303, { location: withTransactionId(target, String(order.order_id)) }).end();
    return true;
  }

  return { sandbox, mock: { pay: sandbox.pay, orders: sandbox.orders, settleRefunds: sandbox.settleRefunds }, handle };
}

/**
 * The sandbox's own routes, beside MultiSafepay's API under /v1/json (whose routes are the spec's operation
 * table): every operation of the control API's document (openapi-sandbox/openapi.yaml), as generated. The
 * server routes by this table, and the bin's --help lists it.
 */
export { SANDBOX_ROUTES };

type SandboxRoute = (typeof SANDBOX_ROUTES)[number];
const ROUTE_PATTERNS = SANDBOX_ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, "([^/]+)")}$`),
}));

/** The route of SANDBOX_ROUTES a request is, with its path parameters decoded (undefined: a malformed %-escape). */
function sandboxRoute(
  method: string | undefined,
  pathname: string,
): { route: SandboxRoute; params: (string | undefined)[] } | undefined {
  for (const { route, pattern } of ROUTE_PATTERNS) {
    const match = route.method === method ? pattern.exec(pathname) : null;
    if (match) return { route, params: match.slice(1).map(decodeSegment) };
  }
  return undefined;
}

/**
 * A chunked body no route read (on GET /gateways, on an unknown path, on the settle route) is not drained to
 * keep the connection alive: it may never end. Once answered, the connection is closed. A body with a
 * Content-Length is at most MAX_BODY_BYTES (a larger one is refused at once, tooLarge), so Node may drain it.
 */
function closeOnUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers["transfer-encoding"] === undefined) return;
  res.once("finish", () => {
    if (req.readableEnded) return;
    // As for a body over the limit (tooLarge): half-close after the answer, drop the connection shortly after.
    req.pause();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  });
}

/** A server with the sandbox alone (the bin's): `/` leads to the overview. */
export function createSandboxServer(options: SandboxRoutesOptions = {}): Server & { routes: SandboxRoutes } {
  const routes = createSandboxRoutes(options);
  const server = createServer(async (req, res) => {
    try {
      if (await routes.handle(req, res)) return;
      if (req.method === "GET" && (req.url === "/" || req.url === "")) {
        res.writeHead(302, { location: "/sandbox" }).end();
        return;
      }
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: false, data: {}, error_code: 9999, error_info: "Unknown error" }));
    }
  });
  return Object.assign(server, { routes });
}

/** MultiSafepay appends `transactionid=<order_id>` to the URL it sends the shopper back to. */
export function withTransactionId(target: string, orderId: string): string {
  const url = new URL(target);
  url.searchParams.set("transactionid", orderId);
  return url.href;
}

function publicOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host || !/^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(host)) return undefined;
  return `http://${host}`;
}

/** Where this connection reached the server, for a request whose Host header cannot be used. */
function socketOrigin(req: IncomingMessage): string | undefined {
  const { localAddress, localPort } = req.socket;
  if (!localAddress || !localPort) return undefined;
  const host = localAddress.startsWith("::ffff:") ? localAddress.slice(7) : localAddress;
  return `http://${host.includes(":") ? `[${host}]` : host}:${localPort}`;
}

/**
 * A request whose Host names something the sandbox does not serve on: a page reaching it through a DNS name
 * that now points at this machine (DNS rebinding) would be same-origin with it, Origin and Host alike. Allowed:
 * loopback names, the address the connection arrived on, and the names the user added. No Host (HTTP/1.0, not
 * a browser) passes.
 */
function hostRefusal(req: IncomingMessage, allowed: readonly string[]): string | undefined {
  const host = req.headers.host;
  if (host === undefined) return undefined;
  const name = hostName(host);
  if (name && hostAllowed(name, allowed)) return undefined;
  if (name && name === hostName(addressHost(req.socket.localAddress ?? ""))) return undefined;
  const shown = name ?? JSON.stringify(host);
  return `Host ${shown} is not one the sandbox serves on (${LOOPBACK_NAMES}, the address it was reached at${allowed.length ? `, ${allowed.join(", ")}` : ""}): to reach it by this name, start it with --allow-host ${name ?? "<name>"} (or MSP_SANDBOX_ALLOW_HOSTS)`;
}

const addressHost = (address: string) => {
  const host = address.startsWith("::ffff:") ? address.slice(7) : address;
  return host.includes(":") ? `[${host}]` : host;
};

/**
 * What a page on another site open in the same browser can send without a preflight: a "simple" POST (a form,
 * or fetch with a text/plain body) carries Origin (the page's, or "null"), and modern browsers also say
 * Sec-Fetch-Site. Every state-changing request, API and page routes alike, must come from the sandbox's own
 * origin or from no browser at all (MultiSafepay's clients and curl send neither header). The page routes,
 * which act with the sandbox's key, also take JSON only (a browser cannot send that cross-site unpreflighted).
 */
function crossSite(req: IncomingMessage, jsonOnly: boolean): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(req))
    return `cross-site request refused (Origin ${origin}): the sandbox takes API calls from your server, not from web pages`;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `cross-site request refused (Sec-Fetch-Site: ${site}): the sandbox takes API calls from your server, not from web pages`;
  if (jsonOnly && !/^application\/json\b/i.test(req.headers["content-type"] ?? ""))
    return "send JSON (content-type: application/json)";
  return undefined;
}

/** The origin this request addressed (its Host passed hostRefusal), as a browser on it would write Origin. */
function ownOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined) return socketOrigin(req);
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return undefined;
  }
}

function errorEnvelope(status: number, info: string): Answer {
  return json({ success: false, data: {}, error_code: status === 413 ? 9999 : 1000, error_info: info }, status);
}

const UNKNOWN_PAYMENT = "<!doctype html><title>Unknown payment</title><p>No sandbox payment with this link.</p>";

const isOutcome = (value: unknown): value is PaymentOutcome =>
  typeof value === "string" && Object.hasOwn(OUTCOMES, value);

// The clock stays where its stamps are dates of four digits (and Amsterdam's zone is a whole offset).
const CLOCK_MIN = Date.UTC(1970, 0, 1);
const CLOCK_MAX = Date.UTC(9999, 11, 31);
const inRange = (ms: number) => ms >= CLOCK_MIN && ms <= CLOCK_MAX;
const OUT_OF_RANGE = "the clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T00:00:00Z";

/** A 400 naming the fields the control API's document does not define (its bodies allow no others), if any. */
function undefinedFields(body: Record<string, unknown>, allowed: readonly string[]): Response | undefined {
  const extra = Object.keys(body).filter((name) => !allowed.includes(name));
  if (!extra.length) return undefined;
  const error = `${extra.map((name) => JSON.stringify(name)).join(", ")}: not a field of this route (it takes ${allowed.join(", ")})`;
  return Response.json({ error }, { status: 400 });
}

/** The body as a JSON object; undefined when it is not one (malformed, empty, an array, a string, null). */
function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function html(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
  return true;
}

/**
 * The spec sets no limit MultiSafepay does not state on single fields, so the sandbox bounds what one request
 * may make it hold instead: a body larger than this (MultiSafepay's are a few kB) is refused with 413 and an
 * error envelope, on every route: at once when Content-Length says so, else as soon as the count passes it.
 * The rest is not read; the connection is closed.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      done();
      req.pause();
      chunks.length = 0;
      reject(new BodyTooLarge());
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** 413 with an error envelope, then the connection closes: the rest of the body is never read. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  req.pause();
  const body = JSON.stringify({
    success: false,
    data: {},
    error_code: 9999,
    error_info: `Request body larger than ${MAX_BODY_BYTES} bytes (the sandbox's limit; MultiSafepay's bodies are a few kB)`,
  });
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  res.writeHead(413, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  // Half-close after the answer, and drop the connection shortly after: never wait for (or read) the rest.
  res.end(body, () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  });
}

/** A request's headers as the core reads them: by lower-case name, single values (as a Fetch Headers had them). */
function nodeHeaders(req: IncomingMessage): SandboxRequest["headers"] {
  const { headers } = req;
  return {
    get: (name) => {
      const value = headers[name];
      return typeof value === "string" ? value : null;
    },
    has: (name) => typeof headers[name] === "string",
  };
}

/**
 * Writes the core's answer: its content type (JSON by default) and the body's length. The body goes as a
 * string: Node then sends head and body in one write.
 */
function write(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    "content-type": answer.headers["content-type"] ?? "application/json",
    "content-length": Buffer.byteLength(answer.body, "utf8"),
  });
  res.end(answer.body, "utf8");
}

async function send(res: ServerResponse, response: Response | Answer): Promise<void> {
  if (!(response instanceof Response)) return write(res, response);
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, {
    "content-type": response.headers.get("content-type") ?? "application/json",
    "content-length": body.length,
  });
  res.end(body);
}
