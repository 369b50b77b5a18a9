// What verifyNotification says when it is called the wrong way: how it is called instead. Kept apart from
// advice.ts (the client's errors), which loads the operation table: the webhooks entry point stays small.

/** The call, spelt out, that each of these messages points to. */
const HOW = "verifyNotification({ body, auth, apiKey }) takes one options object";

/**
 * Why `options` is not verifyNotification's options object, when it plainly is something else: a body or a
 * header passed positionally, a Fetch API Request, a Node request. Undefined for an object that may be meant
 * as options (its own fields are then checked, one by one).
 */
export function misuseOf(options: unknown): string | undefined {
  if (typeof options === "string" || options instanceof Uint8Array || options instanceof ArrayBuffer)
    return `${HOW}, not positional arguments: verifyNotification({ body: rawBody, auth: authHeader, apiKey })`;
  if (options === null || typeof options !== "object") return `${HOW}; it was given ${describe(options)}`;
  const given = options as Record<string, unknown>;
  if (isFetchRequest(given))
    return `${HOW}, not a Request: for a Fetch API Request use readNotification(request, { apiKey }), which reads its body and Auth header (and handles GET notifications)`;
  if (typeof given.pipe === "function" && typeof given.headers === "object")
    return `${HOW}, not a Node request: read the raw body first, then verifyNotification({ body: rawBody, auth: req.headers.auth, apiKey })`;
  return undefined;
}

/**
 * Why `request` is not what readNotification reads, when it is not a Fetch API Request: a Node request (whose
 * `url` is a path and which has no `arrayBuffer`), verifyNotification's options, nothing.
 */
export function requestMisuseOf(request: unknown): string | undefined {
  if (request !== null && typeof request === "object" && isFetchRequest(request as Record<string, unknown>))
    return undefined;
  const given = request as Record<string, unknown> | null | undefined;
  const raw = given && typeof given === "object" ? given.raw : undefined;
  if (raw !== null && typeof raw === "object" && isFetchRequest(raw as Record<string, unknown>))
    return "readNotification(request, { apiKey }) takes the Fetch API Request itself: pass its `raw` (Hono: readNotification(c.req.raw, { apiKey }))";
  if (typeof given?.pipe === "function" && typeof given.headers === "object")
    return "readNotification(request, { apiKey }) takes a Fetch API Request, not a Node request: read the raw body, then verifyNotification({ body: rawBody, auth: req.headers.auth, apiKey })";
  return `readNotification(request, { apiKey }) takes a Fetch API Request; it was given ${given && typeof given === "object" ? "an object that is not one" : describe(given)} (for a raw body and Auth header, use verifyNotification({ body, auth, apiKey }))`;
}

function isFetchRequest(value: Record<string, unknown>): boolean {
  if (typeof Request !== "undefined" && value instanceof Request) return true;
  // Another realm's or library's Request (undici, a polyfill): the shape, not the class.
  const headers = value.headers as { get?: unknown } | undefined;
  return typeof value.arrayBuffer === "function" && typeof headers?.get === "function" && typeof value.url === "string";
}

function describe(value: unknown): string {
  return value === null ? "null" : value === undefined ? "nothing" : `a ${typeof value}`;
}

/** The message for an `apiKey` that is neither a key nor a list of keys, or a list with an unusable entry. */
export function keyProblem(apiKey: unknown): string | undefined {
  if (typeof apiKey === "string")
    return apiKey.trim() === "" ? "No API key to verify the notification with" : undefined;
  if (!Array.isArray(apiKey))
    return "No API key to verify the notification with: apiKey is the website API key (a string), or a list of them while you rotate keys";
  if (apiKey.length === 0)
    return "apiKey is an empty list: give at least one website API key (during a rotation, the new key and the old one)";
  const bad = apiKey.findIndex((key) => typeof key !== "string" || key.trim() === "");
  return bad === -1 ? undefined : `apiKey[${bad}] is not an API key (a non-empty string)`;
}
