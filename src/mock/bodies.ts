// The bodies of the refund and cancel requests, checked the way the spec's schemas check them.
//
// The client's generated validators cover order requests only so far; until the generator also emits
// validators for RefundRequest, CancelRefundRequest and CancelOrderRequest, these small checks stand in.
// Each table is keyed by the spec's own type (`satisfies` fails to compile when the spec gains or loses a
// field), and test/refunds.mock.test.ts checks with fast-check that they accept exactly what the spec does.
import type { components } from "../../generated/schema.js";
import type { ValidationIssue } from "../errors.js";

type Schemas = components["schemas"];
export type RefundRequest = Schemas["RefundRequest"];
export type CancelRefundRequest = Schemas["CancelRefundRequest"];
export type CancelOrderRequest = Schemas["CancelOrderRequest"];

/** A field's check: a message when the value is wrong. */
type Check = (value: unknown) => string | undefined;
type Fields<T> = { [K in keyof T]-?: Check };

const MAX_SAFE = 9007199254740991;
const text = (max: number, min = 0): Check => (v) =>
  typeof v !== "string" ? "must be string" : [...v].length > max ? `must be at most ${max} characters` : [...v].length < min ? `must be at least ${min} character` : undefined;
const oneOf = (...values: unknown[]): Check => (v) => (values.includes(v) ? undefined : `must be ${values.map((x) => JSON.stringify(x)).join(" or ")}`);
const cents: Check = (v) => (typeof v !== "number" || !Number.isInteger(v) ? "must be integer" : v < 1 || v > MAX_SAFE ? `must be >= 1 and <= ${MAX_SAFE}` : undefined);

const REFUND = {
  currency: oneOf("EUR"),
  amount: cents,
  description: text(200),
  refund_order_id: text(50, 1),
  var1: text(500),
  var2: text(500),
  var3: text(500),
} satisfies Fields<RefundRequest>;

const CANCEL_REFUND = { status: oneOf("void"), description: text(200) } satisfies Fields<CancelRefundRequest>;
const CANCEL_ORDER = { status: oneOf("cancelled"), exclude_order: oneOf(true) } satisfies Fields<CancelOrderRequest>;

function issues(body: unknown, fields: Record<string, Check>, required: string[]): ValidationIssue[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return [{ path: "", message: "must be object" }];
  const found: ValidationIssue[] = required.filter((name) => !(name in body)).map((name) => ({ path: `/${name}`, message: "is required" }));
  for (const [name, value] of Object.entries(body)) {
    const check = fields[name];
    const message = check ? check(value) : "is not a known field (check its spelling)";
    if (message) found.push({ path: `/${name}`, message });
  }
  return found;
}

export const refundIssues = (body: unknown) => issues(body, REFUND, ["currency"]);
export const cancelRefundIssues = (body: unknown) => issues(body, CANCEL_REFUND, ["status"]);
export const cancelOrderIssues = (body: unknown) => issues(body, CANCEL_ORDER, ["status", "exclude_order"]);

/** The body as JSON, or undefined when it is not JSON. */
export async function jsonBody(request: Request): Promise<{ body: unknown } | undefined> {
  try {
    return { body: JSON.parse(await request.text()) };
  } catch {
    return undefined;
  }
}
