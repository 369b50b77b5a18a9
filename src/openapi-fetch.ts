// openapi-fetch, whichever build of it loads, for `msp.api` alone (api-client.ts, loaded on its first call; the
// pipeline builds its URLs with url.ts). Its CommonJS build exports createClient as `exports.default`; under
// Node's CommonJS interop (our .cjs build) the namespace's default is that whole `exports` object, so the
// function is one level further down.
import * as openapiFetch from "openapi-fetch";

type CreateClient = typeof openapiFetch.default;

const exported = openapiFetch.default as CreateClient | { default: CreateClient };

export const createClient: CreateClient = typeof exported === "function" ? exported : exported.default;
export type { Client } from "openapi-fetch";
