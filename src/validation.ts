// Checks what the caller passes before anything is sent: ids against what a path segment may be, queries and
// headers; the bodies' checks against the client's guard (generated from the spec) are order-check.ts and
// body-check.ts, loaded when a call first needs them (checks.ts). What is checked is what is sent: a body is first turned
// into the JSON it will be on the wire (getters, inherited and non-enumerable fields, `toJSON` and `undefined`
// resolved as JSON.stringify resolves them), and that copy is both checked and sent.
import { ValidationError, type ValidationIssue } from "./errors.js";
import { keepsRule, OPERATIONS, operationOf, type Operation, type OperationId } from "./operations.js";
import { closest } from "./closest.js";

/** The JSON value `value` is on the wire; a ValidationError when it has none (BigInt, a cycle, a lone surrogate). */
export function wireCopy(value: unknown, subject: string): unknown {
  return wireJson(value, subject).copy;
}

/**
 * The wire copy and its JSON text, which is what is sent: the pipeline sends the text as it is instead of
 * writing the copy out again (a second JSON.stringify of every created order). The copy is parsed from the
 * text, so it writes out as the same text.
 */
export function wireJson(value: unknown, subject: string): { copy: unknown; text: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new ValidationError([{ path: "", message: "must be plain JSON data (no BigInt, no cycles)" }], subject);
  }
  if (text === undefined) throw new ValidationError([{ path: "", message: "must be a JSON object" }], subject);
  const copy: unknown = JSON.parse(text);
  // JSON.stringify writes a lone surrogate as a \udXXX escape and leaves a well-formed pair as it is: a text
  // without "\ud" has none, and the walk (5 % of an in-process create, npm run bench) is only for the others.
  if (!text.includes("\\ud")) return { copy, text };
  const bad = loneSurrogateAt(copy);
  if (bad !== undefined) throw new ValidationError([{ path: bad, message: LONE_MESSAGE }], subject);
  return { copy, text };
}

/** The JSON pointer of the first string (value or key) with a lone surrogate in a parsed JSON value, if any. */
export function loneSurrogateAt(root: unknown): string | undefined {
  const stack: [unknown, string][] = [[root, ""]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (!isWellFormed(value)) return path;
    } else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const at = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (!isWellFormed(key)) return at;
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}

export const LONE_MESSAGE = "has a lone UTF-16 surrogate, which is not UTF-8: MultiSafepay cannot read it";
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (s: string) => !LONE.test(s);

/** Ids are printable: a control character (CR, LF, NUL…) in one is a mistake, never MultiSafepay's id. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose.
export const CONTROL = /[\u0000-\u001f\u007f]/;
export const CONTROL_MESSAGE = "must not contain control characters (CR, LF, NUL, ...)";

type PathParamRule = Operation["pathParams"][number];
/** The names of an operation's path parameters, from the table. */
export type PathParamName<Id extends OperationId> = (typeof OPERATIONS)[Id]["pathParams"][number]["name"];

/**
 * An id as the path of operation `operation` takes it in parameter `field`: a string, or a non-negative integer
 * written in digits, that keeps the spec's rule for that parameter (its schema's length and pattern, from the
 * operation table: `refund_id` is digits, a gateway id letters, digits, `_` and `-`). Throws a ValidationError
 * naming the field. Dot segments are refused where every path is built (pipeline.ts safePathSerializer).
 */
export function idForPath<Id extends OperationId>(id: unknown, operation: Id, field: PathParamName<Id>): string {
  const rule: PathParamRule = OPERATIONS[operation].pathParams.find((p: PathParamRule) => p.name === field)!;
  const text = typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? String(id) : id;
  const issue =
    typeof text === "string" ? pathParamIssue(rule, text) : { path: `/${field}`, message: ruleMessage(rule) };
  if (issue) throw new ValidationError([issue], field.replace("_", " "));
  return text as string;
}

/**
 * What is wrong with `value` (as it reaches MultiSafepay, decoded) as the path parameter `rule` describes, if
 * anything: a lone surrogate, a control character, or a value outside the spec's length and pattern.
 * `idForPath` (the resource methods) and `msp.api` both check with it.
 */
export function pathParamIssue(rule: PathParamRule, value: string): ValidationIssue | undefined {
  const path = `/${rule.name}`;
  if (!isWellFormed(value)) return { path, message: LONE_MESSAGE };
  if (CONTROL.test(value)) return { path, message: CONTROL_MESSAGE };
  return keepsRule(rule, value) ? undefined : { path, message: ruleMessage(rule) };
}

function ruleMessage({
  minLength,
  maxLength,
  pattern,
}: {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}): string {
  const length =
    minLength === undefined && maxLength === undefined
      ? ""
      : ` of ${minLength ?? 0} to ${maxLength ?? "any number of"} characters`;
  return `must be a string${length}${pattern === undefined ? "" : ` matching ${pattern}`} (the spec's rule), or a non-negative integer`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Query parameters as they will be sent, before anything is: each parameter of the operation (method and path
 * template of the spec) checked by its schema, and no string with a lone surrogate (which cannot be encoded
 * into a URL). The resource methods and `msp.api` both check with it; throws a ValidationError naming each.
 */
export function checkedQuery(id: OperationId, query: unknown): void {
  const { method, path } = OPERATIONS[id];
  checkedQueryAt(method, path, query);
}

/** checkedQuery for `msp.api`: the operation found by method and template (an unknown one: values only). */
export function checkedQueryAt(method: string, path: string, query: unknown): void {
  if (query === undefined || query === null) return;
  const issues: ValidationIssue[] = [];
  if (!isObject(query)) issues.push({ path: "", message: "must be an object of query parameters" });
  else {
    const bad = loneSurrogateAt(query);
    if (bad !== undefined) issues.push({ path: bad, message: LONE_MESSAGE });
    const known: readonly string[] | undefined = operationOf(method, path)?.query;
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (known && !known.includes(name)) {
        const suggestion = closest(name, [...known]);
        issues.push({
          path: `/${name}`,
          message: suggestion
            ? `is not a parameter of ${method} ${path}; did you mean "${suggestion}"?`
            : `is not a parameter of ${method} ${path} (it takes ${known.join(", ") || "none"})`,
        });
      }
      for (const one of Array.isArray(value) ? value : [value]) {
        if (typeof one === "number" && !Number.isFinite(one))
          issues.push({ path: `/${name}`, message: "must be a finite number" });
        else if (typeof one === "object" && one !== null)
          issues.push({ path: `/${name}`, message: "must be a string, a number or a boolean" });
      }
    }
  }
  if (issues.length) throw new ValidationError(issues, `query of ${method} ${path}`);
}

/**
 * Headers as openapi-fetch merges them (a record, `Headers`, arrays for repeated values, null to remove): a
 * name or value the Fetch API refuses (CR, LF or NUL in a value, a name that is not a token, characters past
 * U+00FF) is a ValidationError naming the header, instead of a TypeError from `new Headers`.
 */
export function checkedHeaders(headers: unknown, field = "headers"): void {
  if (headers === undefined || headers === null || typeof headers !== "object") return;
  const issues: ValidationIssue[] = [];
  const entries: [string, unknown][] = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === null || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      try {
        // The Fetch API trims a value's leading and trailing CR and LF where node:http refuses them: refused
        // here, so both transports send the same or nothing.
        if (/[\r\n\0]/.test(String(one))) throw new TypeError("CR, LF or NUL");
        new Headers().append(name, String(one));
      } catch {
        issues.push({
          path: `/${field}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          message:
            "is not a valid HTTP header: a token name, and a value without CR, LF, NUL or characters past U+00FF",
        });
        break;
      }
    }
  }
  if (issues.length) throw new ValidationError(issues, "headers");
}
