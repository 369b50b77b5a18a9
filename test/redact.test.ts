// The key redactor's encodings, one by one (test/hostile.test.ts shows it end to end, against echoing servers).
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
