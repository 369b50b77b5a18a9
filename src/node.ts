// "multisafepay-kbc" as Node loads it (the "node" export condition): the same API, with node:http as the
// default sender. Bun, Deno, workers and browsers load index.ts and keep fetch.
import { clientFactory, type ClientOptions, type MultiSafepay } from "./client.js";
import { createNodeSender } from "./senders/node-sender.js";

export * from "./index.js";

/** Creates a client. Requires `environment` ("test" or "live") or `baseUrl`. In Node it talks over node:http. */
export const createMultiSafepay: (options: ClientOptions) => MultiSafepay = clientFactory(createNodeSender);
