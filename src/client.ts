// createMultiSafepay(): the client. A thin layer over openapi-fetch that adds what a payments SDK needs:
// environments, validation before sending, envelope-aware typed errors, retries and timeouts.
import { createClient, type Client } from "./openapi-fetch.js";
import type { paths } from "../generated/schema.js";
import { SERVERS } from "../generated/spec-constants.js";
import { readEnvelope } from "./envelope.js";
import { ApiError, InvalidResponseError, ValidationError } from "./errors.js";
import { createTransport, fetchSender, LightRequest, type CallRecord, type FetchLike, type Sender } from "./transport.js";
import type { CreatedOrder, Gateway, GatewayQuery, Order, OrderRequest } from "./types.js";
import { assertValidOrder, orderIdForPath } from "./validation.js";

/** MultiSafepay's API base URLs, from the spec's `servers`. */
export const ENVIRONMENTS = SERVERS;

export type Environment = keyof typeof ENVIRONMENTS;

export interface ClientOptions {
  /** The website API key. It is sent in the `api_key` header only. */
  apiKey: string;
  /** Which MultiSafepay to talk to. Required unless `baseUrl` is given: there is no default, least of all live. */
  environment?: Environment;
  /** Another server (a sandbox, a proxy). Takes the place of `environment`. */
  baseUrl?: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: FetchLike;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt (see the README for which requests are retried). Default 2. */
  maxRetries?: number;
  /** The API key is a server secret; set this only if you really run the client in a browser. */
  dangerouslyAllowBrowser?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface MultiSafepay {
  readonly environment: Environment | "custom";
  readonly baseUrl: string;
  orders: {
    /** Creates a KBC/CBC order. The result's type follows the order's `type`: redirect or direct. */
    create<T extends OrderRequest>(order: T, options?: RequestOptions): Promise<CreatedOrder<T>>;
    /** Reads an order by your `order_id`. */
    get(orderId: string | number, options?: RequestOptions): Promise<Order>;
  };
  gateways: {
    list(query?: GatewayQuery, options?: RequestOptions): Promise<Gateway[]>;
  };
  /** The typed openapi-fetch client, for anything else in the spec. Sends the key and uses the same transport. */
  api: Client<paths>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const ORDER_ID_IN_USE = 1006;

/** The global fetch: the default transport everywhere but Node (see node.ts). */
const globalFetchSender = (): Sender => fetchSender((request) => globalThis.fetch(request));

/** Makes `createMultiSafepay` with a runtime's default transport; a `fetch` option always wins. */
export function clientFactory(defaultSender: () => Sender): (options: ClientOptions) => MultiSafepay {
  return (options) => createClientWith(options, defaultSender);
}

/** Creates a client. Requires `environment` ("test" or "live") or `baseUrl`. */
export const createMultiSafepay: (options: ClientOptions) => MultiSafepay = clientFactory(globalFetchSender);

function createClientWith(options: ClientOptions, defaultSender: () => Sender): MultiSafepay {
  const { apiKey, baseUrl, environment } = checkOptions(options);
  const defaults = {
    send: options.fetch ? fetchSender(options.fetch) : defaultSender(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  };
  const headers = { api_key: apiKey, accept: "application/json" };
  // `api` is the standard openapi-fetch client, for users. The resource methods use a twin that builds
  // LightRequests (openapi-fetch's `Request` option), which the transport sends without a body stream.
  const api = createClient<paths>({ baseUrl, fetch: createTransport(defaults), headers });
  const internal = createClient<paths>({ baseUrl, headers, Request: LightRequest as unknown as typeof Request });

  /** openapi-fetch options for one call: a transport with the call's overrides, recording its attempts and body. */
  function callOptions(options: RequestOptions | undefined) {
    const record: CallRecord = { attempts: 0 };
    const transport = createTransport(
      { ...defaults, timeoutMs: options?.timeoutMs ?? defaults.timeoutMs, maxRetries: options?.maxRetries ?? defaults.maxRetries },
      record,
    );
    return { record, init: { fetch: transport, parseAs: "stream" as const, ...(options?.signal ? { signal: options.signal } : {}) } };
  }

  async function getOrder(orderId: string | number, options?: RequestOptions): Promise<Order> {
    const id = orderIdForPath(orderId);
    const { record, init } = callOptions(options);
    const { response } = await internal.GET("/orders/{order_id}", { params: { path: { order_id: id } }, ...init });
    return readEnvelope(response, record.body ?? "") as Order;
  }

  async function createOrder<T extends OrderRequest>(order: T, options?: RequestOptions): Promise<CreatedOrder<T>> {
    assertValidOrder(order);
    const { record, init } = callOptions(options);
    const { response } = await internal.POST("/orders", { body: order, ...init });
    try {
      return checkCreated(readEnvelope(response, record.body ?? ""), response.status) as CreatedOrder<T>;
    } catch (error) {
      // A retried create answered "order id in use": the first attempt reached MultiSafepay. Return that order.
      if (record.attempts > 1 && error instanceof ApiError && error.errorCode === ORDER_ID_IN_USE) {
        return (await recoverCreated(order, error, options)) as CreatedOrder<T>;
      }
      throw error;
    }
  }

  async function recoverCreated(order: OrderRequest, duplicate: ApiError, options?: RequestOptions) {
    const existing = await getOrder(order.order_id, options);
    const same = existing.amount === order.amount && existing.currency === order.currency;
    if (!same || typeof (existing as { payment_url?: unknown }).payment_url !== "string") throw duplicate;
    return existing;
  }

  const client: MultiSafepay = {
    environment: environment ?? "custom",
    baseUrl,
    orders: { create: createOrder, get: getOrder },
    gateways: {
      async list(query, options) {
        const { record, init } = callOptions(options);
        const { response } = await internal.GET("/gateways", { params: { query: query ?? {} }, ...init });
        const data = readEnvelope(response, record.body ?? "");
        if (!Array.isArray(data)) throw new InvalidResponseError(response.status, "gateway list is not an array");
        return data as Gateway[];
      },
    },
    api,
  };
  return client;
}

/** Both flows answer with a `payment_url` to send the shopper to; an answer without one is unusable. */
function checkCreated(data: unknown, status: number): unknown {
  if (typeof data !== "object" || data === null || typeof (data as { payment_url?: unknown }).payment_url !== "string") {
    throw new InvalidResponseError(status, "the created order has no payment_url");
  }
  return data;
}

function checkOptions(options: ClientOptions): { apiKey: string; baseUrl: string; environment?: Environment } {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError([{ path: "", message: "createMultiSafepay needs an options object" }], "client options");
  }
  const issues = [];
  const apiKey = typeof options.apiKey === "string" ? options.apiKey.trim() : "";
  // MultiSafepay's keys are long; the PHP SDK refuses anything under 5 characters too. Never echo the key.
  if (apiKey.length < 5) issues.push({ path: "/apiKey", message: "must be your MultiSafepay API key (a string of at least 5 characters)" });
  if (options.environment !== undefined && !(options.environment in ENVIRONMENTS)) {
    issues.push({ path: "/environment", message: 'must be "test" or "live"' });
  }
  if (options.environment === undefined && options.baseUrl === undefined) {
    issues.push({ path: "/environment", message: 'is required: choose "test" or "live" (or give a baseUrl)' });
  }
  if (options.baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(String(options.baseUrl))) {
    issues.push({ path: "/baseUrl", message: "must be an absolute http(s) URL" });
  }
  if (options.environment !== undefined && options.baseUrl !== undefined) {
    issues.push({ path: "/baseUrl", message: "give either environment or baseUrl, not both" });
  }
  for (const name of ["timeoutMs", "maxRetries"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= (name === "timeoutMs" ? 1 : 0))) {
      issues.push({ path: `/${name}`, message: name === "timeoutMs" ? "must be a positive integer" : "must be an integer of at least 0" });
    }
  }
  if (issues.length) throw new ValidationError(issues, "client options");
  if (looksLikeBrowser() && !options.dangerouslyAllowBrowser) {
    const message =
      "refuses to run in a browser, where the API key would be exposed to every visitor: call MultiSafepay from your server, or set it to true if you accept that risk";
    throw new ValidationError([{ path: "/dangerouslyAllowBrowser", message }], "client options");
  }
  const baseUrl = (options.baseUrl ?? ENVIRONMENTS[options.environment as Environment]).replace(/\/+$/, "");
  return { apiKey, baseUrl, ...(options.environment ? { environment: options.environment } : {}) };
}

function looksLikeBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}
