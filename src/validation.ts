// Checks what the caller passes before anything is sent: bodies against the spec (generated validators),
// ids against what a path segment may be.
import { ValidationError } from "./errors.js";
import { bodyIssues, GUARD, orderIssues, type BodySchema, type IssueOptions } from "./issues.js";

/**
 * Throws a ValidationError naming every bad field of an order, by the client's guard (unknown names refused
 * unless `allowUnknownFields`); returns normally when the order is valid.
 */
export function assertValidOrder(order: unknown, options: IssueOptions = {}): void {
  const issues = orderIssues(order, GUARD, options);
  if (issues.length) throw new ValidationError(issues, "order");
}

/** Throws a ValidationError naming every bad field of a request body (refunds, cancellations). */
export function assertValidBody(schema: BodySchema, body: unknown, subject: string, options: IssueOptions = {}): void {
  const issues = bodyIssues(schema, body, GUARD, options);
  if (issues.length) throw new ValidationError(issues, subject);
}

/**
 * An id as a path segment needs it: a string of 1–50 characters, or a non-negative integer (the spec allows
 * both). Dot segments are refused where every path is built (pipeline.ts safePathSerializer).
 */
export function idForPath(id: unknown, field: string): string {
  const text = typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? String(id) : id;
  if (typeof text !== "string" || text.length === 0 || text.length > 50) {
    throw new ValidationError([{ path: `/${field}`, message: "must be a string of 1 to 50 characters, or an integer" }], field.replace("_", " "));
  }
  return text;
}
