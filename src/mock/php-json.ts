// Notification bodies as MultiSafepay writes them: compact UTF-8 JSON from a PHP backend (json_encode with
// JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION, as far as the real bodies
// show). What that changes against JSON.stringify is numbers: a float that is whole is `1.0`, and floats
// outside 1e-4 ≤ |x| < 1e17 use PHP's exponent form (`1.0e-5`). Which fields are floats comes from the spec
// (`type: number` in the notification schema, generated/notification-shape.js), as PHP knows from the value.
// An empty map is `[]`, as PHP writes an empty array (a real body has `checkout_options.default: []`).
//
// So a handler that parses the body and serializes it again before verifying (express.json() and then
// JSON.stringify(req.body)) fails against the sandbox exactly as it fails in production, while MultiSafepay's
// Python SDK, which re-serializes with json.dumps(..., separators=(",", ":"), ensure_ascii=False), gets these
// same bytes back and verifies.
import { NOTIFICATION_SHAPE, shapeOf, type ShapeNode } from "../notification-shape.js";

/** The value as PHP's json_encode would write it, with floats where `shape` says so. Throws on what PHP refuses. */
export function phpJson(value: unknown, shape: ShapeNode | undefined = NOTIFICATION_SHAPE): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      // PHP refuses a string that is not UTF-8 (JSON_ERROR_UTF8); a lone surrogate cannot be encoded as UTF-8.
      if (/\p{Surrogate}/u.test(value)) throw new TypeError("A string with a lone surrogate is not UTF-8");
      // JSON.stringify escapes only `"`, `\` and control characters: the slashes and non-ASCII stay raw.
      return JSON.stringify(value);
    case "number":
      return shape?.float || !Number.isInteger(value) ? phpFloat(value) : phpInteger(value);
    case "bigint":
      return value.toString();
    case "object": {
      if (Array.isArray(value)) {
        const items = shapeOf(shape, "*");
        return `[${value.map((item) => phpJson(item === undefined ? null : item, items)).join(",")}]`;
      }
      const members = Object.entries(value as Record<string, unknown>).filter(
        ([, v]) => v !== undefined && typeof v !== "function",
      );
      if (members.length === 0) return "[]";
      return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${phpJson(v, shapeOf(shape, k))}`).join(",")}}`;
    }
    default:
      throw new TypeError(`json_encode cannot write a ${typeof value}`);
  }
}

/** A float as PHP writes it (serialize_precision -1: the shortest digits that read back the same). */
export function phpFloat(x: number): string {
  if (!Number.isFinite(x)) throw new TypeError("PHP's json_encode refuses INF and NAN");
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 17) {
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
  }
  // In this range JavaScript writes the same digits in fixed notation; PHP keeps a zero fraction.
  const fixed = String(x);
  return Number.isInteger(x) ? `${fixed}.0` : fixed;
}

/** An integer field: PHP's int (64 bits) as digits; beyond that PHP would hold a float. */
function phpInteger(x: number): string {
  return Math.abs(x) < 2 ** 63 ? BigInt(x).toString() : phpFloat(x);
}
