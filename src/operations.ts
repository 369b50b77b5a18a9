// The spec's operations (generated/spec-constants.js OPERATIONS), looked up by method and path: `msp.api`
// calls only these, checks each body by its operation's schema and each query by its parameters.
import { OPERATIONS } from "../generated/spec-constants.js";

export type Operation = (typeof OPERATIONS)[number];

const MATCHERS = OPERATIONS.map((operation) => ({ operation, pattern: new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`) }));

/** The operation a template (`/orders/{order_id}`) names, as written in the spec. */
export function operationOf(method: string, template: string): Operation | undefined {
  return OPERATIONS.find((operation) => operation.method === method && operation.path === template);
}

/** The operation a request path (`/orders/o-1`, below the base URL) is, exactly: no other spelling matches. */
export function operationAt(method: string, path: string): Operation | undefined {
  return MATCHERS.find(({ operation, pattern }) => operation.method === method && pattern.test(path))?.operation;
}

/** The path parameters a template names, for a request path that left one of them unfilled (`%7Border_id%7D`). */
export function unfilledParameters(operation: Operation, path: string): string[] {
  const segments = path.split("/");
  return operation.path.split("/").flatMap((part, i) => (/^\{.+\}$/.test(part) && segments[i] === encodeURIComponent(part) ? [part.slice(1, -1)] : []));
}
