// Keeps the API key out of every error the client hands back. Answers are never touched: a successful body is
// parsed as it came (a short test key such as "40000" or "https" can be real data in it). What goes into an
// error is made key-free when it leaves the client (client.ts wraps every resource method, api-fetch.ts
// msp.api): its own fields, and its whole `cause` chain, where transport errors may carry the raw bytes a
// server echoed (node:http's `rawPacket`, undici's `data`).

import { isMultiSafepayError } from "./errors.js";

const MARK = "[api_key]";

/** How a text can spell one character of the key: as itself, or JSON / HTML / URL escaped. */
function spellings(char: string): string {
  const code = char.charCodeAt(0);
  const hex = code.toString(16).padStart(2, "0");
  const anyCase = (digits: string) =>
    [...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join("");
  const forms = [
    char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"),
    `\\\\u00${anyCase(hex)}`, // JSON's \u0034
    `\\\\x${anyCase(hex)}`,
    `%${anyCase(hex)}`,
    `&#0*${code};`,
    `&#[xX]0*${anyCase(hex)};`,
  ];
  if (char === "/") forms.push("\\\\/"); // JSON's \/
  const named = NAMED_ENTITIES[char];
  if (named) forms.push(named);
  if (char === '"' || char === "\\") forms.push(`\\\\\\${char}`); // JSON's \" and \\
  return `(?:${forms.join("|")})`;
}

/** HTML's named entities for the characters an HTML page escapes. */
const NAMED_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&(?:apos|#39);",
};

/**
 * The key as it shows inside base64 (and base64url) text, at each of the three byte alignments it can have
 * there: only the characters that depend on the key's bytes alone (a page that echoes a base64 header).
 */
function base64Forms(key: string, escaped = true): string[] {
  const bytes = new TextEncoder().encode(key);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = btoa(String.fromCharCode(...padded));
    const middle = encoded.slice(Math.ceil((offset * 4) / 3), Math.floor((offset + bytes.length) / 3) * 4);
    if (middle.length >= 6) forms.push(middle, middle.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const unique = [...new Set(forms)];
  return escaped ? unique.map((form) => form.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")) : unique;
}

export interface Redactor {
  /** The text with every spelling of the key replaced by `[api_key]`. */
  text(text: string): string;
  /** Whether the value, or anything reachable from it, holds the key. */
  holdsKey(value: unknown): boolean;
  /** The error, made key-free (in place for this package's errors; a key-free summary for a foreign one). */
  error<T>(error: T): T;
}

export function createRedactor(key: string): Redactor {
  const spelt = [...key].map(spellings);
  // Case-insensitive: a page may echo the key upper-cased. Only errors are redacted, so over-matching is safe.
  const pattern = new RegExp([spelt.join(""), ...base64Forms(key)].join("|"), "gi");
  // A body cut to its first 500 characters (InvalidResponseError) may end in the first part of the key.
  const cutShort =
    key.length > 4 ? new RegExp(`(?:${spelt.slice(0, -1).reduceRight((rest, c) => `${c}(?:${rest})?`)})$`) : null;
  const tail = (value: string) => {
    const match = cutShort?.exec(value);
    return match && match[0].length >= 4 ? value.slice(0, match.index) + MARK : value;
  };
  // The pattern's first run compiles it: 3 ms, then 1 ms more when V8 tiers it up (the first create's URL,
  // when an event listener or logging reads it). Every spelling but the key itself and its base64 forms has a
  // \, % or &: a text without those can hold the key only as one of those plain forms, and the key is visible
  // ASCII (api-key.ts), where the pattern's case-insensitive match is a lower-cased comparison. So such a text
  // is answered with indexOf, exactly as the pattern would answer it.
  const plain = [key, ...base64Forms(key, false)].map((form) => form.toLowerCase());
  const surelyFree = (value: string) => {
    if (/[\\%&]/.test(value)) return false;
    const lower = value.toLowerCase();
    return !plain.some((form) => lower.includes(form));
  };
  const text = (value: string) => {
    if (surelyFree(value)) return value;
    pattern.lastIndex = 0;
    return pattern.test(value) ? value.replace(pattern, MARK) : value;
  };
  const hasKey = (value: string) => {
    if (surelyFree(value)) return false;
    pattern.lastIndex = 0;
    return pattern.test(value);
  };

  /** Walks own properties (symbols and non-enumerable ones too), Map/Set entries and byte arrays. */
  function holdsKey(value: unknown, depth = 0, seen = new Set<object>()): boolean {
    if (typeof value === "string") return hasKey(value);
    if (typeof value === "bigint") return hasKey(String(value));
    if (typeof value === "function") return hasKey(String(value.name));
    if (typeof value !== "object" || value === null) return false;
    if (seen.has(value)) return false;
    // Too deep or too large to be sure: treated as holding it, so it is summarized.
    if (depth > 8 || seen.size > 2_000) return true;
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      const bytes =
        value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      let latin1 = "";
      for (let i = 0; i < bytes.length; i += 8192) latin1 += String.fromCharCode(...bytes.subarray(i, i + 8192));
      return hasKey(latin1);
    }
    if (value instanceof Error || isDomException(value)) {
      // message, name and stack may be inherited accessors (DOMException): read them as a printer does.
      for (const field of ["name", "message", "stack", "code"] as const) {
        const read = safeRead(value, field);
        if (read.failed || holdsKey(read.value, depth + 1, seen)) return true;
      }
    }
    if (value instanceof Map)
      for (const [k, v] of value) if (holdsKey(k, depth + 1, seen) || holdsKey(v, depth + 1, seen)) return true;
    if (value instanceof Set) for (const v of value) if (holdsKey(v, depth + 1, seen)) return true;
    for (const name of Reflect.ownKeys(value)) {
      if (holdsKey(typeof name === "symbol" ? name.description : name, depth + 1, seen)) return true;
      const descriptor = Object.getOwnPropertyDescriptor(value, name);
      // A getter could answer anything when a printer or JSON.stringify reads it.
      if (!descriptor || !("value" in descriptor)) return true;
      if (holdsKey(descriptor.value, depth + 1, seen)) return true;
    }
    return false;
  }

  function sanitize(value: unknown, depth: number, seen: Map<object, unknown>): unknown {
    if (typeof value === "string") return text(value);
    if (typeof value !== "object" || value === null) return holdsKey(value) ? MARK : value;
    if (seen.has(value)) return seen.get(value);
    if (isOwnError(value)) return ownError(value, depth, seen);
    if (!holdsKey(value)) return value;
    if (depth > 8) return MARK;
    if (value instanceof Error || isDomException(value)) return summary(value, depth, seen);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(sanitize(item, depth + 1, seen));
      return copy;
    }
    if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
      const copy: Record<string, unknown> = {};
      seen.set(value, copy);
      for (const [name, item] of Object.entries(value)) copy[text(name)] = sanitize(item, depth + 1, seen);
      return copy;
    }
    return MARK;
  }

  /** This package's own error: every own field made key-free in place, `cause` too. */
  function ownError(error: Error, depth: number, seen: Map<object, unknown>): Error {
    seen.set(error, error);
    for (const name of Reflect.ownKeys(error)) {
      const descriptor = Object.getOwnPropertyDescriptor(error, name);
      if (!descriptor) continue;
      const current = "value" in descriptor ? descriptor.value : safeRead(error, name).value;
      const clean =
        name === "body" && typeof current === "string" ? tail(text(current)) : sanitize(current, depth + 1, seen);
      if (clean !== current)
        Object.defineProperty(error, name, {
          value: clean,
          writable: true,
          configurable: true,
          enumerable: descriptor.enumerable ?? false,
        });
    }
    // `stack` may be an inherited accessor: it repeats the message as it was when the error was made.
    const stack = safeRead(error, "stack").value;
    if (typeof stack === "string" && hasKey(stack))
      Object.defineProperty(error, "stack", {
        value: text(stack),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    return error;
  }

  /** A foreign error that holds the key: its name, message, stack and `code`, key-free, and its cause, summarized too. */
  function summary(error: object, depth: number, seen: Map<object, unknown>): Error {
    const read = (field: string) => safeRead(error, field).value;
    const message = read("message");
    const copy = new Error(typeof message === "string" ? text(message) : "(withheld: it held the API key)");
    seen.set(error, copy);
    const name = read("name");
    if (typeof name === "string") copy.name = text(name);
    const stack = read("stack");
    Object.defineProperty(copy, "stack", {
      value: typeof stack === "string" ? text(stack) : `${copy.name}: ${copy.message}`,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    const code = read("code");
    if (typeof code === "string" || typeof code === "number")
      Object.assign(copy, { code: typeof code === "string" ? text(code) : code });
    if ("cause" in error)
      Object.defineProperty(copy, "cause", {
        value: sanitize(read("cause"), depth + 1, seen),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    return copy;
  }

  return {
    text,
    holdsKey: (value) => holdsKey(value),
    error: (error) => sanitize(error, 0, new Map()) as typeof error,
  };
}

/** This package's errors (also the other module format's copy, which `instanceof` misses): fixed in place. */
const isOwnError = (value: object): value is Error => isMultiSafepayError(value);

function isDomException(value: object): boolean {
  return typeof DOMException !== "undefined" && value instanceof DOMException;
}

function safeRead(value: object, name: string | symbol): { value: unknown; failed: boolean } {
  try {
    return { value: (value as Record<string | symbol, unknown>)[name], failed: false };
  } catch {
    return { value: undefined, failed: true };
  }
}

/** Wraps every method of a resource so that what it rejects with (or its iterator throws) is key-free. */
export function keyFreeResource<T extends object>(resource: T, redactor: Redactor): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(resource)) {
    wrapped[name] =
      typeof member === "function" ? keyFreeFunction(member as (...args: unknown[]) => unknown, redactor) : member;
  }
  return wrapped as T;
}

function keyFreeFunction(fn: (...args: unknown[]) => unknown, redactor: Redactor): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      throw redactor.error(error);
    }
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(redactor.error(error)));
    if (isAsyncIterable(result)) return keyFreeIterable(result, redactor);
    return result;
  };
}

async function* keyFreeIterable<T>(iterable: AsyncIterable<T>, redactor: Redactor): AsyncGenerator<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw redactor.error(error);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}
