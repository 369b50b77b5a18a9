// TypeScript consumer, compiled under node16 and bundler resolution: the published types must resolve and
// narrow the result by flow.
import {
  createMultiSafepay,
  type DirectOrderCreated,
  type MultiSafepayError,
  type RedirectOrderCreated,
} from "multisafepay-kbc";
import { verifyNotification } from "multisafepay-kbc/webhooks";

const msp = createMultiSafepay({ apiKey: "consumer-key-123", environment: "test" });
const base = { order_id: "ts-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "TS consumer" } as const;

export async function run(): Promise<[RedirectOrderCreated, DirectOrderCreated]> {
  const redirect: RedirectOrderCreated = await msp.orders.create({ ...base, type: "redirect" });
  const direct: DirectOrderCreated = await msp.orders.create({ ...base, type: "direct" });
  // @ts-expect-error amount is integer cents
  await msp.orders.create({ ...base, type: "redirect", amount: "10" });
  return [redirect, direct];
}

export function branch(error: MultiSafepayError): string {
  return error.code === "api_error" ? "api" : error.code;
}

export const verify = verifyNotification;
