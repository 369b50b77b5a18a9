// `msp.api` as createMultiSafepay returns it: an object of openapi-fetch's shape that loads the real client
// (api-client.ts, and openapi-fetch with it) on its first call. Every call method is async anyway, so waiting for
// the module there changes nothing a caller can see; middleware registered before then (use/eject, the only
// synchronous methods) is applied, in order, to the client when it is built.
import type { Api } from "./client.js";
import type { ApiParts } from "./api-client.js";
import type { RequestOptions } from "./pipeline.js";

const CALLS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;
type Middleware = Parameters<Api["use"]>[number];

export function lazyApi(parts: ApiParts, options: RequestOptions = {}): Api {
  let client: Api | undefined;
  let loading: Promise<Api> | undefined;
  const registered: ["use" | "eject", Middleware[]][] = [];
  const load = () =>
    (loading ??= import("./api-client.js").then(({ apiClient }) => {
      const built = apiClient(parts, options);
      for (const [method, middleware] of registered) built[method](...middleware);
      registered.length = 0;
      client = built;
      return built;
    }));
  const facade: Record<string, unknown> = {
    use(...middleware: Middleware[]) {
      if (client) client.use(...middleware);
      else registered.push(["use", middleware]);
    },
    eject(...middleware: Middleware[]) {
      if (client) client.eject(...middleware);
      else registered.push(["eject", middleware]);
    },
    withOptions: (more: RequestOptions) => lazyApi(parts, { ...options, ...more }),
  };
  for (const name of CALLS) {
    facade[name] = async (...args: unknown[]) => {
      const real = (client ?? (await load())) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return real[name]!(...args);
    };
  }
  return facade as unknown as Api;
}
