// openapi-fetch, whichever build of it loads. Its CommonJS build exports createClient as `exports.default`;
// under Node's CommonJS interop (our .cjs build) the namespace's default is that whole `exports` object, so
// the function is one level further down. The URL helpers are plain named exports in both builds, and are all
// the pipeline takes: `msp.api` (api-client.ts, loaded on first use) alone needs the client.
import * as openapiFetch from "openapi-fetch";

type CreateClient = typeof openapiFetch.default;

/** Resolved when called, not at import, so that a bundle of the pipeline alone may leave the client out. */
export const createClient = ((...args: Parameters<CreateClient>) => {
  const exported = openapiFetch.default as CreateClient | { default: CreateClient };
  return (typeof exported === "function" ? exported : exported.default)(...args);
}) as CreateClient;
export { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
export type { Client } from "openapi-fetch";
