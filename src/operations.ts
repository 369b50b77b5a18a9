// The operation table (generated/operations.js, from the spec): every operation by id with its method, path
// template, path and query parameters, body validator, retry class and documented error codes. The pipeline,
// the retry rule, the resources and `msp.api` find operations here, and the mock's router routes by it.
import { OPERATIONS } from "../generated/operations.js";
import type { operations } from "../generated/schema.js";

export { OPERATIONS };
export type { RetryClass } from "../generated/operations.js";

export type OperationId = keyof typeof OPERATIONS;
export type Operation = (typeof OPERATIONS)[OperationId];

/** Every operation, in the spec's order. */
export const OPERATION_LIST: readonly Operation[] = Object.values(OPERATIONS);

type Parameters<Id extends OperationId> = operations[Id]["parameters"];
type JsonBody<Id extends OperationId> = operations[Id] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/**
 * What a call of operation `Id` takes, typed from the spec's generated types: its path parameters (required
 * when the template has any), its query and its JSON body. A wrong name does not compile.
 */
export type CallInput<Id extends OperationId> = (Parameters<Id> extends { path: infer P }
  ? { path: P }
  : { path?: never }) &
  (Parameters<Id> extends { query?: infer Q } ? { query?: Q } : { query?: never }) &
  ([JsonBody<Id>] extends [never] ? { body?: never } : { body: JsonBody<Id> });

const PLACEHOLDER = /\{[^}]+\}/g;
const MATCHERS = OPERATION_LIST.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(PLACEHOLDER, "([^/]+)")}$`),
}));

/** The operation a template (`/orders/{order_id}`) names, as written in the spec. */
export function operationOf(method: string, template: string): Operation | undefined {
  return OPERATION_LIST.find((operation) => operation.method === method && operation.path === template);
}

/**
 * The operation a request path (`/orders/o-1`, below the base URL) is, exactly (no other spelling matches), with
 * its path parameters as they appear in it (still %-encoded), by name; undefined when no operation of that
 * method has this shape.
 */
export function matchOperation(
  method: string,
  path: string,
): { operation: Operation; raw: Record<string, string> } | undefined {
  for (const { operation, pattern } of MATCHERS) {
    if (operation.method !== method) continue;
    const match = pattern.exec(path);
    if (match)
      return { operation, raw: Object.fromEntries(operation.pathParams.map((p, i) => [p.name, match[i + 1]!])) };
  }
  return undefined;
}

/**
 * A path segment decoded, or undefined when a %-escape in it is malformed (`%zz`, a cut UTF-8 sequence). Such a
 * segment names nothing: a client that encodes its ids never sends one (msp.api refuses to), and its raw text
 * must not reach an id that happens to be spelt so. The mock and the sandbox answer it 404 on every route.
 */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Whether some operation (of any method) has this path's shape: a wrong method is then not a missing path. */
export function pathKnown(path: string): boolean {
  return MATCHERS.some(({ pattern }) => pattern.test(path));
}

/** The path parameters a template names, for a request path that left one of them unfilled (`%7Border_id%7D`). */
export function unfilledParameters(operation: Operation, path: string): string[] {
  const segments = path.split("/");
  return operation.path
    .split("/")
    .flatMap((part, i) =>
      /^\{.+\}$/.test(part) && segments[i] === encodeURIComponent(part) ? [part.slice(1, -1)] : [],
    );
}

/** A path parameter's rule from its schema in the spec (length and pattern); true when `value` keeps it. */
export function keepsRule(rule: Operation["pathParams"][number], value: string): boolean {
  const { minLength, maxLength, pattern } = rule as { minLength?: number; maxLength?: number; pattern?: string };
  const length = [...value].length;
  return (
    (minLength === undefined || length >= minLength) &&
    (maxLength === undefined || length <= maxLength) &&
    (pattern === undefined || new RegExp(pattern, "u").test(value))
  );
}
