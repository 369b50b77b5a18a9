// The key redactor's encodings, one by one (test/hostile.test.ts shows it end to end, against echoing servers).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor } from "../src/redact.js";

const KEY = "0123456789abcdef0123456789abcdef01234567";

describe("the key redactor", () => {
  it("finds the key inside base64 and base64url text, at any byte alignment, leaving no 8 of its characters", () => {
    const redactor = createRedactor(KEY);
    for (const before of ["", "a", "ab", "api_key: "]) {
      for (const encoding of ["base64", "base64url"] as const) {
        const out = redactor.text(`echo ${Buffer.from(`${before}${KEY}\r\n`).toString(encoding)} end`);
        const decoded = out
          .split("[api_key]")
          .map((part) => Buffer.from(part.replace(/[^A-Za-z0-9+/_-]/g, ""), encoding).toString("latin1"))
          .join("|");
        for (let i = 0; i + 8 <= KEY.length; i++)
          expect(decoded, `${encoding} after ${JSON.stringify(before)}`).not.toContain(KEY.slice(i, i + 8));
      }
    }
  });

  it("finds the key upper-cased, and in HTML's named entities", () => {
    expect(createRedactor(KEY).text(`<p>${KEY.toUpperCase()}</p>`)).toBe("<p>[api_key]</p>");
    expect(
      createRedactor(`a&b<c>d"e'f`).text("a&amp;b&lt;c&gt;d&quot;e&#39;f and a&amp;b&lt;c&gt;d&quot;e&apos;f"),
    ).toBe("[api_key] and [api_key]");
  });
});

describe("the redactor's plain-text shortcut", () => {
  // The same pattern the redactor builds, run on every text: the shortcut (indexOf on a text without \, % or &)
  // must answer as it does.
  const KEY = "Ab-9/x+Yz_Q1w";
  const redact = createRedactor(KEY);
  const pieces = fc.constantFrom(
    KEY,
    KEY.toUpperCase(),
    KEY.toLowerCase(),
    KEY.slice(0, 6),
    btoa(KEY),
    btoa(`x${KEY}`),
    btoa(`xy${KEY}`).replace(/\+/g, "-").replace(/\//g, "_"),
    encodeURIComponent(KEY),
    JSON.stringify(KEY).replace(/b/g, "\\u0062"),
    "&#65;b-9/x+Yz_Q1w",
    "http://127.0.0.1:9/v1/json/orders/",
    " ",
  );
  const texts = fc
    .array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 6 })
    .map((parts) => parts.join(""));

  it("redacts what the full pattern redacts, and only that", () => {
    fc.assert(
      fc.property(texts, (text) => {
        // Prefixed with "% ", the text takes the pattern's path; a space is in no spelling of the key.
        const slow = redact.text(`% ${text}`).slice(2);
        const fast = redact.text(text);
        expect(fast).toBe(slow);
        expect(redact.holdsKey(text)).toBe(slow !== text);
      }),
      { numRuns: 2000 },
    );
  });
});
