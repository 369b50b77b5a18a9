// createMultiSafepay(): options, environments and the wiring of the resources onto one request pipeline.
import { SERVERS } from "../generated/spec-constants.js";
import type { paths } from "../generated/schema.js";
import { lazyApi } from "./api-lazy.js";
import { apiKeyProblem } from "./api-key.js";
import { ValidationError } from "./errors.js";
import type { Client } from "./openapi-fetch.js";
import { createRedactor, keyFreeResource } from "./redact.js";
import { createPipeline, type RequestOptions } from "./pipeline.js";
import { gatewaysResource, type Gateways } from "./resources/gateways.js";
import { ordersResource, type Orders } from "./resources/orders.js";
import { paymentMethodsResource, type PaymentMethods } from "./resources/payment-methods.js";
import { refundsResource, type Refunds } from "./resources/refunds.js";
import { transactionsResource, type Transactions } from "./resources/transactions.js";
import { createFetchSender, type FetchLike } from "./senders/fetch-sender.js";
import type { Sender } from "./senders/sender.js";

export type { RequestOptions } from "./pipeline.js";

/** `msp.api`: openapi-fetch's typed client over the client's pipeline. */
export type Api = Client<paths> & {
  /**
   * The same client with request options for every call made through it, e.g.
   * `msp.api.withOptions({ allowUnknownFields: true }).POST("/orders", { body })` (openapi-fetch's own call
   * options have no room for them).
   */
  withOptions(options: RequestOptions): Api;
};
export type { FetchLike } from "./senders/fetch-sender.js";

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
  /** The fetch to use. Default: node:http in Node, the global fetch elsewhere. */
  fetch?: FetchLike;
  /** Per attempt, in milliseconds, including reading the whole answer. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, where the retry rule allows one (see the README). Default 2. */
  maxRetries?: number;
  /** Larger answers fail with `invalid_response` instead of being read. Default 4 MiB. */
  maxResponseBytes?: number;
  /**
   * Default 32. On node:http, the size of the keep-alive socket pool. On fetch, attempts in flight at once; an
   * attempt abandoned after it left keeps its slot 5 s more, so Node's fetch stays within about this many
   * connections (README: Hostile servers).
   */
  maxSockets?: number;
  /** The API key is a server secret; set this only if you really run the client in a browser. */
  dangerouslyAllowBrowser?: boolean;
}

/** `Symbol.asyncDispose` where the consumer's TypeScript lib knows it; nothing otherwise (no lib demands). */
type AsyncDisposeKey = SymbolConstructor extends { readonly asyncDispose: infer K extends symbol } ? K : never;
type AsyncDisposable = { [K in AsyncDisposeKey]: () => Promise<void> };

export interface MultiSafepay extends AsyncDisposable {
  readonly environment: Environment | "custom";
  readonly baseUrl: string;
  orders: Orders;
  refunds: Refunds;
  transactions: Transactions;
  paymentMethods: PaymentMethods;
  gateways: Gateways;
  /** The typed openapi-fetch client, for anything else in the spec: same pipeline, same typed errors. */
  api: Api;
  /** Releases kept-alive sockets; later calls fail. Also `await using msp = createMultiSafepay(...)`. */
  close(): Promise<void>;
}

/** The well-known symbol where the runtime has it, else the key TypeScript's `await using` helper looks for. */
const ASYNC_DISPOSE = ((Symbol as { asyncDispose?: symbol }).asyncDispose ??
  Symbol.for("Symbol.asyncDispose")) as typeof Symbol.asyncDispose;

const DEFAULTS = { timeoutMs: 30_000, maxRetries: 2, maxResponseBytes: 4 * 1024 * 1024, maxSockets: 32 };

/** Makes `createMultiSafepay` with a runtime's default sender; a `fetch` option always wins. */
export function clientFactory(defaultSender: (maxSockets: number) => Sender): (options: ClientOptions) => MultiSafepay {
  return (options) => createClientWith(options, defaultSender);
}

/** Creates a client. Requires `environment` ("test" or "live") or `baseUrl`. */
export const createMultiSafepay: (options: ClientOptions) => MultiSafepay = clientFactory((maxSockets) =>
  createFetchSender((request) => globalThis.fetch(request), maxSockets),
);

function createClientWith(options: ClientOptions, defaultSender: (maxSockets: number) => Sender): MultiSafepay {
  const { apiKey, baseUrl, environment } = checkOptions(options);
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const sender = options.fetch
    ? createFetchSender(options.fetch, settings.maxSockets)
    : defaultSender(settings.maxSockets);
  const pipeline = createPipeline({ baseUrl, apiKey, sender, ...settings });
  const close = () => pipeline.close();
  // Every error leaves the client key-free (redact.ts); the answers themselves are never rewritten.
  const redactor = createRedactor(apiKey);
  const keyFree = <T extends object>(resource: T) => keyFreeResource(resource, redactor);
  const orders = keyFree(ordersResource(pipeline, baseUrl));
  // Built on first use (api-lazy.ts): openapi-fetch's client reads globalThis.Request, which makes Node load
  // its bundled undici (17-22 ms of a cold start), and a bundle need not carry openapi-fetch's client for it.
  let api: Api | undefined;
  const client: Omit<MultiSafepay, AsyncDisposeKey> = {
    environment: environment ?? "custom",
    baseUrl,
    orders,
    refunds: keyFree(refundsResource(pipeline)),
    transactions: keyFree(transactionsResource(pipeline)),
    paymentMethods: keyFree(paymentMethodsResource(pipeline)),
    gateways: keyFree(gatewaysResource(pipeline)),
    get api() {
      api ??= lazyApi({ pipeline, baseUrl, apiKey, orders, redactor });
      return api;
    },
    close,
  };
  return Object.assign(client, { [ASYNC_DISPOSE]: close }) as unknown as MultiSafepay;
}

function definedOnly(options: ClientOptions): Partial<typeof DEFAULTS> {
  const picked: Partial<typeof DEFAULTS> = {};
  for (const name of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[])
    if (options[name] !== undefined) picked[name] = options[name];
  return picked;
}

const POSITIVE: Record<keyof typeof DEFAULTS, number> = {
  timeoutMs: 1,
  maxRetries: 0,
  maxResponseBytes: 1,
  maxSockets: 1,
};

function checkOptions(options: ClientOptions): { apiKey: string; baseUrl: string; environment?: Environment } {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError([{ path: "", message: "createMultiSafepay needs an options object" }], "client options");
  }
  const issues = [];
  const apiKey = typeof options.apiKey === "string" ? options.apiKey.trim() : "";
  // The same rule as the sandbox and the mock (api-key.ts). Never echo the key.
  const keyProblem = apiKeyProblem(options.apiKey);
  if (keyProblem) issues.push({ path: "/apiKey", message: `must be your MultiSafepay API key: ${keyProblem}` });
  if (options.environment !== undefined && !Object.hasOwn(ENVIRONMENTS, options.environment)) {
    issues.push({
      path: "/environment",
      message: `must be one of ${Object.keys(ENVIRONMENTS)
        .map((e) => JSON.stringify(e))
        .join(", ")}`,
    });
  }
  if (options.environment === undefined && options.baseUrl === undefined) {
    issues.push({ path: "/environment", message: 'is required: choose "test" or "live" (or give a baseUrl)' });
  }
  if (options.baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(String(options.baseUrl))) {
    issues.push({ path: "/baseUrl", message: "must be an absolute http(s) URL" });
  } else if (options.baseUrl !== undefined && (!URL.canParse(options.baseUrl) || /[?#]/.test(options.baseUrl))) {
    issues.push({ path: "/baseUrl", message: "must be an absolute http(s) URL without a query or fragment" });
  }
  if (options.environment !== undefined && options.baseUrl !== undefined) {
    issues.push({ path: "/baseUrl", message: "give either environment or baseUrl, not both" });
  }
  for (const [name, minimum] of Object.entries(POSITIVE) as [keyof typeof DEFAULTS, number][]) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= minimum))
      issues.push({ path: `/${name}`, message: `must be an integer of at least ${minimum}` });
  }
  if (issues.length) throw new ValidationError(issues, "client options");
  if (looksLikeBrowser() && !options.dangerouslyAllowBrowser) {
    const message =
      "refuses to run in a browser, where the API key would be exposed to every visitor: call MultiSafepay from your server, or set it to true if you accept that risk";
    throw new ValidationError([{ path: "/dangerouslyAllowBrowser", message }], "client options");
  }
  // In the form a Request gives its URL (host lower-cased, default port dropped), so msp.api recognizes it.
  const baseUrl = new URL(options.baseUrl ?? ENVIRONMENTS[options.environment as Environment]).href.replace(/\/+$/, "");
  return { apiKey, baseUrl, ...(options.environment ? { environment: options.environment } : {}) };
}

function looksLikeBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}
