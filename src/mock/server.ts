// The sandbox over node:http: MultiSafepay's API under /v1/json, the shopper's payment page that every
// payment_url opens (/sandbox/pay/<session_id>), and an overview of the orders (/sandbox). `npm start` and the
// `multisafepay-kbc-sandbox` bin both serve it. Node only (the other mock entry runs anywhere fetch does).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { OUTCOMES, type PaymentOutcome } from "./orders.js";
import { OVERVIEW_PAGE, outcomePage, SHOPPER_OUTCOMES, shopperPage } from "./pages.js";
import { createSandbox, SHOPPER_PAGE_PATH } from "./sandbox.js";
import { decodeSegment } from "./segments.js";

// API requests are mapped onto one fixed origin, so the sandbox answers whatever host name it is reached by.
const ORIGIN = "http://sandbox.local";
const API_PATH = "/v1/json";

export interface SandboxRoutesOptions {
  /** The only API key accepted; without it, any key of at least 5 characters. */
  apiKey?: string;
  /** Where the sandbox says what a developer should see (fields MultiSafepay would ignore). Default: none. */
  log?: (message: string) => void;
}

export interface SandboxRoutes {
  sandbox: ReturnType<typeof createSandbox>;
  /** Kept for callers of the former scripts/sandbox.mjs: `pay` and `orders` of the sandbox. */
  mock: Pick<ReturnType<typeof createSandbox>, "pay" | "orders" | "settleRefunds">;
  /** Answers the sandbox's routes; resolves false for any other path (so a host server can serve its own). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createSandboxRoutes(options: SandboxRoutesOptions = {}): SandboxRoutes {
  const sandbox = createSandbox({ baseUrl: `${ORIGIN}${API_PATH}`, environment: [], ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(options.log ? { log: options.log } : {}) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", ORIGIN);
    const { pathname } = url;
    if (pathname === API_PATH || pathname.startsWith(`${API_PATH}/`)) {
      const answer = await sandbox.handle(await toRequest(req, url), { publicOrigin: publicOrigin(req) ?? socketOrigin(req) });
      await send(res, answer ?? Response.json({ success: false, data: {}, error_code: 1000, error_info: "Not found" }, { status: 404 }));
      return true;
    }
    if (req.method === "POST" && pathname.startsWith("/sandbox/")) {
      const refused = crossSite(req, pathname);
      if (refused) {
        await send(res, Response.json({ error: refused }, { status: 403 }));
        return true;
      }
    }
    if (pathname === "/sandbox" && req.method === "GET") return html(res, 200, OVERVIEW_PAGE);
    if (pathname === "/sandbox/orders" && req.method === "GET") {
      // Each order with what MultiSafepay would have ignored in its requests, for the overview to show.
      const orders = sandbox.orders.list().map((order) => ({ ...order, ignored_fields: sandbox.orders.ignoredFields(String(order.order_id)) }));
      await send(res, Response.json(orders.reverse()));
      return true;
    }
    const pay = /^\/sandbox\/orders\/([^/]+)\/pay$/.exec(pathname);
    if (pay && req.method === "POST") {
      const { status } = parseJson(await readBody(req));
      if (!isOutcome(status)) {
        await send(res, Response.json({ error: `status must be one of ${Object.keys(OUTCOMES).join(", ")}` }, { status: 400 }));
      } else {
        await send(res, await sandbox.pay(decodeSegment(pay[1]!), { status }).then((r) => Response.json(r), (e: Error) => Response.json({ error: e.message }, { status: 409 })));
      }
      return true;
    }
    const shopper = new RegExp(`^${SHOPPER_PAGE_PATH}/([^/]+)$`).exec(pathname);
    if (shopper) return shopperRoute(req, res, decodeSegment(shopper[1]!));
    const merchant = await merchantAction(pathname, req);
    if (merchant) {
      await send(res, merchant);
      return true;
    }
    return false;
  }

  /** The merchant's side on the overview page (cancel, refund, cancel a refund): the same API calls a client makes. */
  async function merchantAction(pathname: string, req: IncomingMessage): Promise<Response | undefined> {
    if (req.method !== "POST") return undefined;
    const api = async (method: string, path: string, body: unknown) =>
      (await sandbox.handle(new Request(`${ORIGIN}${API_PATH}${path}`, { method, headers: { api_key: options.apiKey ?? "sandbox-page", "content-type": "application/json" }, body: JSON.stringify(body) }))) ??
      Response.json({ error: "not found" }, { status: 404 });
    if (pathname === "/sandbox/refunds/settle") return Response.json({ settled: await sandbox.settleRefunds() });
    const cancel = /^\/sandbox\/orders\/([^/]+)\/cancel$/.exec(pathname);
    if (cancel) return api("PATCH", `/orders/${cancel[1]}`, { status: "cancelled", exclude_order: true });
    const refund = /^\/sandbox\/orders\/([^/]+)\/refunds$/.exec(pathname);
    if (refund) {
      const { amount } = parseJson(await readBody(req));
      const order = sandbox.orders.get(decodeSegment(refund[1]!));
      // An empty field means a full refund; 0 goes through to the API, which treats it as one too, as MultiSafepay does.
      return api("POST", `/orders/${refund[1]}/refunds`, { currency: order?.currency ?? "EUR", ...(amount === undefined ? {} : { amount }), description: "Refund from the sandbox page" });
    }
    const cancelRefund = /^\/sandbox\/orders\/([^/]+)\/refunds\/([^/]+)\/cancel$/.exec(pathname);
    if (cancelRefund) return api("PATCH", `/orders/${cancelRefund[1]}/refunds/${cancelRefund[2]}`, { status: "void" });
    return undefined;
  }

  /** The payment page: GET shows it, POST plays the chosen outcome and sends the browser back to the shop. */
  async function shopperRoute(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<boolean> {
    const found = sandbox.session(sessionId);
    if (!found) return html(res, 404, "<!doctype html><title>Unknown payment</title><p>No sandbox payment with this link.</p>");
    if (req.method === "GET") return html(res, 200, shopperPage(found.order, sessionId));
    if (req.method !== "POST") return false;
    const outcome = new URLSearchParams(await readBody(req)).get("outcome");
    if (!SHOPPER_OUTCOMES.some(([value]) => value === outcome) || !isOutcome(outcome)) return html(res, 400, "<!doctype html><title>Bad outcome</title><p>Pick one of the buttons.</p>");
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
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { "content-type": "application/json", ...(tooLarge ? { connection: "close" } : {}) });
      res.end(JSON.stringify({ success: false, data: {}, error_code: 9999, error_info: tooLarge ? `Request body larger than ${MAX_BODY_BYTES} bytes` : "Unknown error" }));
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
 * The page routes pay, refund and cancel with the sandbox's key: a page on another site open in the same
 * browser must not reach them. Browsers send Origin on such POSTs, and cannot send JSON cross-site without a
 * preflight this server never answers.
 */
function crossSite(req: IncomingMessage, pathname: string): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return "cross-site requests are refused";
  const form = pathname.startsWith(`${SHOPPER_PAGE_PATH}/`);
  if (!form && !/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return "send JSON (content-type: application/json)";
  return undefined;
}

const isOutcome = (value: unknown): value is PaymentOutcome => typeof value === "string" && Object.hasOwn(OUTCOMES, value);

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function html(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
  return true;
}

/**
 * The spec sets no limit MultiSafepay does not state on single fields, so the sandbox bounds what one request
 * may make it hold instead: a body larger than this is refused whole (413).
 */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function toRequest(req: IncomingMessage, url: URL): Promise<Request> {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(url, { method: req.method, headers, body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json", "content-length": body.length });
  res.end(body);
}
