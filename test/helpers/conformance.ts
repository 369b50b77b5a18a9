// Checks every answer against the spec: the response schema for the operation and status it came from, and
// against what the TypeScript types promise (scripts/typed-spec.mjs: the fields MultiSafepay always sends).
import { expect } from "vitest";
import { OPERATIONS as TABLE } from "../../generated/operations.js";
import { spec, validateAt, validateTypedAt } from "./spec.js";

/** Each operation of the generated table: its method, its template as the end of a request path, the template. */
const OPERATIONS: [method: string, path: RegExp, specPath: string][] = Object.values(TABLE).map(({ method, path }) => [
  method,
  new RegExp(`${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  path,
]);

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
  // And it carries what the TypeScript types promise a reader: every field MultiSafepay always sends, not null.
  const typed = validateTypedAt(resolved, body);
  expect(typed.errors, `${request.method} ${specPath} ${response.status}, as typed`).toEqual([]);
  return body;
}
