// What the sandbox does to an order body before checking it against the spec, so that it accepts what
// MultiSafepay is documented (or assumed) to accept while the contract stays strict:
// - no `type` means `redirect` ("If not set, `redirect` is used", MultiSafepay's order schemas);
// - a `null` field is treated as absent. MultiSafepay does not document null in requests; some real clients
//   write unset optional fields as null, and a sandbox that refused them would fail shops MultiSafepay may
//   well serve. The typed client refuses null (see OrderRequestFields in the spec), so its users see it early.

/** A copy of `body` with null-valued object fields removed (at any depth) and `type` defaulted to "redirect". */
export function normalizeOrderBody(body: unknown): unknown {
  const stripped = withoutNulls(body);
  if (!isPlainObject(stripped) || "type" in stripped) return stripped;
  return { type: "redirect", ...stripped };
}

function withoutNulls(value: unknown): unknown {
  // Most bodies have no null: they are used as they are (a body is parsed for this request alone).
  return holdsNull(value) ? copyWithoutNulls(value) : value;
}

function holdsNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object") return false;
  for (const key in value) if (holdsNull((value as Record<string, unknown>)[key])) return true;
  return false;
}

function copyWithoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyWithoutNulls);
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  // defineProperty: a key named "__proto__" stays a key (assignment would make it the copy's prototype).
  for (const [key, field] of Object.entries(value))
    if (field !== null)
      Object.defineProperty(copy, key, {
        value: copyWithoutNulls(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
