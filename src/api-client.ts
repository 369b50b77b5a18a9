// `msp.api`'s openapi-fetch client over the client's pipeline. Loaded by api-lazy.ts on the first call through
// `msp.api`, so neither Node nor a bundle that code-splits loads openapi-fetch's client (or, in Node, the undici
// its `globalThis.Request` default pulls in) for an application that never uses `msp.api`.
import type { paths } from "../generated/schema.js";
import { apiFetch, guardedInput, type ApiWire } from "./api-fetch.js";
import type { Api } from "./client.js";
import { createClient } from "./openapi-fetch.js";
import type { Pipeline, RequestOptions } from "./pipeline.js";
import type { Redactor } from "./redact.js";
import type { Orders } from "./resources/orders.js";

export interface ApiParts {
  pipeline: Pipeline;
  baseUrl: string;
  /** The key header and the User-Agent: every call's own headers (api-fetch.ts) go over these. */
  headers: Record<string, string>;
  orders: Orders;
  redactor: Redactor;
  wire: ApiWire;
}

/** The openapi-fetch client, with these request options on every call made through it. */
export function apiClient(parts: ApiParts, options: RequestOptions): Api {
  const { pipeline, baseUrl, headers, orders, redactor, wire } = parts;
  const send = apiFetch(pipeline, baseUrl, orders, options, wire);
  const fetch = (request: Request) => send(request).catch((error: unknown) => Promise.reject(redactor.error(error)));
  const client = guardedInput(
    createClient<paths>({
      baseUrl,
      fetch,
      pathSerializer: wire.safePathSerializer,
      headers: { ...headers, accept: "application/json" },
    }),
    redactor,
    wire.checkedCallHeaders,
  );
  return Object.assign(client, {
    withOptions: (more: RequestOptions) => apiClient(parts, { ...options, ...more }),
  });
}
