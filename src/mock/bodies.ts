// The bodies of the refund and cancel requests, checked with the validators generated from the spec (the
// same ones the client runs before sending), so the mock refuses exactly what the contract refuses.
import { bodyIssues } from "../issues.js";

export const refundIssues = (body: unknown) => bodyIssues("RefundRequest", body);
export const cancelRefundIssues = (body: unknown) => bodyIssues("CancelRefundRequest", body);
export const cancelOrderIssues = (body: unknown) => bodyIssues("CancelOrderRequest", body);

/** The body as JSON, or undefined when it is not JSON. */
export async function jsonBody(request: Request): Promise<{ body: unknown } | undefined> {
  try {
    return { body: JSON.parse(await request.text()) };
  } catch {
    return undefined;
  }
}
