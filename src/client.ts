// createMultiSafepay(): options, environments and the wiring of the resources onto one request pipeline.
import { SERVERS } from "../generated/spec-constants.js";
import type { paths } from "../generated/schema.js";
import { answeredResource, type Internal } from "./answered.js";
import { lazyApi } from "./api-lazy.js";
import { apiKeyProblem } from "./api-key.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import { createEvents, type On } from "./events.js";
import { lazyLogging, logLevelOf, type LogLevel, type Logger } from "./logging.js";
import type { Client } from "./openapi-fetch.js";
import { createRedactor, keyFreeResource } from "./redact.js";
import type { ApiWire } from "./api-fetch.js";
import { readEnvelope } from "./envelope.js";
import { parseJson } from "./json.js";
import {
  checkedCallHeaders,
  clientControlled,
  createPipeline,
  safePathSerializer,
  type RequestOptions,
} from "./pipeline.js";
import { gatewaysResource, type Gateways } from "./resources/gateways.js";
import { ordersResource, type InternalOrders, type Orders } from "./resources/orders.js";
import { paymentMethodsResource, type PaymentMethods } from "./resources/payment-methods.js";
import { refundsResource, type Refunds } from "./resources/refunds.js";
import { transactionsResource, type Transactions } from "./resources/transactions.js";
import { createFetchSender, type FetchLike } from "./senders/fetch-sender.js";
import type { Sender } from "./senders/sender.js";
import { VERSION } from "./version.js";

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
  /**
   * What the client logs through `logger`: "off" (the default), "error", "warn", "info" or "debug" (every
   * attempt, with headers and bodies, the key, the Auth header and IBANs masked). Without it, the
   * MULTISAFEPAY_LOG environment variable where the runtime has one.
   */
  logLevel?: LogLevel;
  /** Where log lines go. Default `console`. */
  logger?: Logger;
  /** Your application, added to the User-Agent MultiSafepay sees: `{ name: "my-shop", version: "2.1.0" }`. */
  appInfo?: AppInfo;
}

export interface AppInfo {
  name: string;
  version?: string;
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
  /**
   * Calls `listener` for every attempt of every call (resources and `msp.api`): "request" before it is sent,
   * "response" when it ended, "retry" before the pause that follows one. Returns the function that
   * unsubscribes. Events carry no key and no body; a listener that throws is ignored.
   */
  on: On;
  /** Releases kept-alive sockets; later calls fail. Also `await using msp = createMultiSafepay(...)`. */
  close(): Promise<void>;
}

/** The well-known symbol where the runtime has it, else the key TypeScript's `await using` helper looks for. */
const ASYNC_DISPOSE = ((Symbol as { asyncDispose?: symbol }).asyncDispose ??
  Symbol.for("Symbol.asyncDispose")) as typeof Symbol.asyncDispose;

/** What msp.api's lazy client uses of the pipeline's modules (api-fetch.ts says why it is handed over). */
const API_WIRE: ApiWire = { checkedCallHeaders, clientControlled, safePathSerializer, readEnvelope, parseJson };

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
  const { apiKey, baseUrl, environment, logLevel } = checkOptions(options);
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const transport = options.fetch
    ? createFetchSender(options.fetch, settings.maxSockets)
    : defaultSender(settings.maxSockets);
  // Every error leaves the client key-free (redact.ts); the answers themselves are never rewritten.
  const redactor = createRedactor(apiKey);
  const logging = logLevel === "off" ? undefined : lazyLogging(logLevel, options.logger ?? console, redactor);
  const events = createEvents((error) => logging?.listenerError(error));
  if (logging) events.tap(logging.tap);
  const sender = logging ? logging.gate(transport) : transport;
  const userAgent = looksLikeBrowser() ? undefined : userAgentOf(options.appInfo);
  const pipeline = createPipeline({
    baseUrl,
    apiKey,
    sender,
    ...settings,
    events,
    redact: redactor.text,
    ...(userAgent ? { userAgent } : {}),
  });
  const close = () => pipeline.close();
  // Key-free rejections first, then the data-only promise with .withResponse() (answered.ts).
  const resource = <R extends object>(internal: Internal<R>): R =>
    answeredResource<R>(keyFreeResource(internal, redactor));
  // Orders' public create is overloaded (one per flow); inside it is one signature, so checked by hand.
  const orders = answeredResource<Orders>(
    keyFreeResource(ordersResource(pipeline, baseUrl) satisfies InternalOrders, redactor) as never,
  );
  // Built on first use (api-lazy.ts): openapi-fetch's client reads globalThis.Request, which makes Node load
  // its bundled undici (17-22 ms of a cold start), and a bundle need not carry openapi-fetch's client for it.
  let api: Api | undefined;
  const apiHeaders = { api_key: apiKey, ...(userAgent ? { "user-agent": userAgent } : {}) };
  const client: Omit<MultiSafepay, AsyncDisposeKey> = {
    environment: environment ?? "custom",
    baseUrl,
    orders,
    refunds: resource<Refunds>(refundsResource(pipeline)),
    transactions: resource<Transactions>(transactionsResource(pipeline)),
    paymentMethods: resource<PaymentMethods>(paymentMethodsResource(pipeline)),
    gateways: resource<Gateways>(gatewaysResource(pipeline)),
    get api() {
      api ??= lazyApi({ pipeline, baseUrl, headers: apiHeaders, orders, redactor, wire: API_WIRE });
      return api;
    },
    on: events.on,
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

function checkOptions(options: ClientOptions): {
  apiKey: string;
  baseUrl: string;
  environment?: Environment;
  logLevel: LogLevel;
} {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError([{ path: "", message: "createMultiSafepay needs an options object" }], "client options");
  }
  const issues: ValidationIssue[] = [];
  let logLevel: LogLevel = "off";
  try {
    logLevel = logLevelOf(options.logLevel);
  } catch (error) {
    issues.push(...(error as ValidationError).issues);
  }
  const logger = options.logger as unknown;
  if (
    logger !== undefined &&
    (typeof logger !== "object" ||
      logger === null ||
      !["error", "warn", "info", "debug"].every((m) => typeof (logger as Record<string, unknown>)[m] === "function"))
  )
    issues.push({ path: "/logger", message: "must have error, warn, info and debug methods (console does)" });
  issues.push(...appInfoIssues(options.appInfo));
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
  } else if (
    options.baseUrl !== undefined &&
    (new URL(options.baseUrl).username || new URL(options.baseUrl).password)
  ) {
    // The Fetch API refuses such a URL with a TypeError that repeats it; node:http would send them as Basic auth.
    issues.push({ path: "/baseUrl", message: "must not hold credentials (user:password@): the key goes in apiKey" });
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
  return { apiKey, baseUrl, logLevel, ...(options.environment ? { environment: options.environment } : {}) };
}

/** A User-Agent word: visible ASCII without spaces, as `name/version` needs. */
const UA_WORD = /^[\x21-\x7e]{1,100}$/;

function appInfoIssues(appInfo: unknown): ValidationIssue[] {
  if (appInfo === undefined) return [];
  if (typeof appInfo !== "object" || appInfo === null)
    return [{ path: "/appInfo", message: "must be an object: { name, version }" }];
  const { name, version } = appInfo as { name?: unknown; version?: unknown };
  const issues: ValidationIssue[] = [];
  if (typeof name !== "string" || !UA_WORD.test(name) || name.includes("/"))
    issues.push({ path: "/appInfo/name", message: "must be 1 to 100 visible ASCII characters, without spaces or /" });
  if (version !== undefined && (typeof version !== "string" || !UA_WORD.test(version)))
    issues.push({ path: "/appInfo/version", message: "must be 1 to 100 visible ASCII characters, without spaces" });
  return issues;
}

/** `multisafepay-kbc/0.1.0 node/20.19.0 my-shop/2.1.0`: this package, the runtime, the caller's app. */
function userAgentOf(appInfo: AppInfo | undefined): string {
  const app = appInfo ? ` ${appInfo.name}${appInfo.version ? `/${appInfo.version}` : ""}` : "";
  return `multisafepay-kbc/${VERSION} ${runtimeName()}${app}`;
}

function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version?: { deno?: string } };
    process?: { versions?: { node?: string; bun?: string } };
    navigator?: { userAgent?: string };
  };
  // Deno and Bun also have process.versions.node (their Node compatibility): asked first.
  if (g.Deno?.version?.deno) return `deno/${g.Deno.version.deno}`;
  const versions = g.process?.versions;
  if (versions?.bun) return `bun/${versions.bun}`;
  if (versions?.node) return `node/${versions.node}`;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  return "unknown-runtime";
}

function looksLikeBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && typeof g.document !== "undefined";
}
