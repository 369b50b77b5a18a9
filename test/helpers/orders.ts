// Sample orders and answers, taken from the spec's own examples so tests and contract cannot drift.
import { spec } from "./spec.js";
import type { DirectOrderRequest, RedirectOrderRequest } from "../../src/index.js";

const example = (name: string) => structuredClone(spec.components.examples[name].value);

export const redirectOrder = (): RedirectOrderRequest => example("KbcRedirectOrderRequest");
export const directOrder = (): DirectOrderRequest => example("KbcDirectOrderRequest");
export const redirectCreated = () => example("KbcRedirectOrderCreated");
export const directCreated = () => example("KbcDirectOrderCreated");
export const completedOrder = () => example("KbcCompletedOrder");
export const gatewayList = () => example("GatewayList");
export const errorBody = (name: string) => example(name);

export const API_KEY = "test-key-5f2c9a1e7d";
export const TEST_BASE = "https://testapi.multisafepay.com/v1/json";
export const LIVE_BASE = "https://api.multisafepay.com/v1/json";

/**
 * A merchant endpoint for the mock's notifications that acknowledges every one, without the network: the
 * orders above name www.example.com as their notification_url, which a test must never reach.
 */
export const acknowledgeNotifications = async (_request: Request): Promise<Response> => new Response("OK");
