// Checks request bodies against the spec (generated validators) before anything is sent.
import { ValidationError } from "./errors.js";
import { orderIssues } from "./issues.js";

/** Throws a ValidationError naming every bad field of an order; returns normally when the order is valid. */
export function assertValidOrder(order: unknown): void {
  const issues = orderIssues(order);
  if (issues.length) throw new ValidationError(issues, "order");
}

/** An order id as the path needs it: the spec allows strings of 1–50 characters, or integers. */
export function orderIdForPath(orderId: unknown): string {
  const id = typeof orderId === "number" && Number.isSafeInteger(orderId) && orderId >= 0 ? String(orderId) : orderId;
  if (typeof id !== "string" || id.length === 0 || id.length > 50) {
    throw new ValidationError([{ path: "/order_id", message: "must be a string of 1 to 50 characters, or an integer" }], "order id");
  }
  return id;
}

