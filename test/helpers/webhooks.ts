// The webhooks module under test, as this test project's runtime would load it: Web Crypto (the "fetch"
// project, like Bun, Deno, workers and browsers) or node:crypto (the "node-http" project, like Node).
import * as web from "../../src/webhooks.js";
import * as node from "../../src/webhooks-node.js";
import { TRANSPORT } from "./client.js";

export const webhooks: typeof web = TRANSPORT === "node-http" ? node : web;
export const HMAC = TRANSPORT === "node-http" ? "node:crypto" : "Web Crypto";
