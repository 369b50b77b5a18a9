// An order's check against the client's guard (generated/order-validators.js, from the spec), loaded by
// orders.create (and msp.api's POST /orders) when it first runs (checks.ts): a consumer that never creates an
// order never loads the order schemas.
import { ORDER_VALIDATORS } from "../generated/order-validators.js";
import { ValidationError } from "./errors.js";
import { orderIssues, type IssueOptions } from "./issues.js";
import { wireCopy } from "./validation.js";

const LAYER = { order: (type: keyof typeof ORDER_VALIDATORS) => ORDER_VALIDATORS[type] };

/**
 * The order as it will be sent, after the guard (unknown names refused unless `allowUnknownFields`); throws a
 * ValidationError naming every bad field. `wire`: its wire copy when the caller made it already.
 */
export function checkedOrder(
  order: unknown,
  options: IssueOptions = {},
  wire: unknown = wireCopy(order, "order"),
): unknown {
  const issues = orderIssues(wire, LAYER, options);
  if (issues.length) throw new ValidationError(issues, "order");
  return wire;
}
