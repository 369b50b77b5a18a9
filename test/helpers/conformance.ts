// Checks every answer against the spec: the response schema for the operation and status it came from.
import { expect } from "vitest";
import { spec, validateAt } from "./spec.js";

const OPERATIONS: [method: string, path: RegExp, specPath: string][] = [
  ["POST", /\/orders$/, "/orders"],
  ["GET", /\/orders\/[^/]+$/, "/orders/{order_id}"],
  ["PATCH", /\/orders\/[^/]+$/, "/orders/{order_id}"],
  ["POST", /\/orders\/[^/]+\/refunds$/, "/orders/{order_id}/refunds"],
  ["PATCH", /\/orders\/[^/]+\/refunds\/[^/]+$/, "/orders/{order_id}/refunds/{refund_id}"],
  ["GET", /\/gateways$/, "/gateways"],
  ["GET", /\/gateways\/[^/]+$/, "/gateways/{gateway_id}"],
  ["GET", /\/transactions$/, "/transactions"],
  ["GET", /\/payment-methods$/, "/payment-methods"],
  ["GET", /\/payment-methods\/[^/]+$/, "/payment-methods/{payment_method_id}"],
];

/** Asserts that `response` is one the spec allows for this request; returns the parsed body. */
export async function expectConformingAnswer(request: Request, response: Response): Promise<unknown> {
  const { pathname } = new URL(request.url);
  const operation = OPERATIONS.find(([method, path]) => method === request.method && path.test(pathname));
  expect(operation, `${request.method} ${pathname} is not in the spec`).toBeDefined();
  const specPath = operation![2];
  const responses = spec.paths[specPath][request.method.toLowerCase()].responses;
  expect(Object.keys(responses), `${request.method} ${specPath} answered ${response.status}`).toContain(
    String(response.status),
  );
  const body = await response.clone().json();
  const pointer = `#/paths/${specPath.replaceAll("/", "~1")}/${request.method.toLowerCase()}/responses/${response.status}/content/application~1json/schema`;
  const resolved = responses[String(response.status)].$ref
    ? `${responses[String(response.status)].$ref}/content/application~1json/schema`
    : pointer;
  const { valid, errors } = validateAt(resolved, body);
  expect(errors, `${request.method} ${specPath} ${response.status}`).toEqual([]);
  expect(valid).toBe(true);
  return body;
}
