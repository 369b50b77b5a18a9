// Ids beyond 2^53 survive parsing exactly; nothing else changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/json.js";

describe("parseJson", () => {
  it("keeps unsafe integers as exact strings and leaves safe numbers alone", () => {
    expect(parseJson('{"transaction_id":17472052901237122,"amount":1000,"fee":0.44,"n":-9007199254740993}')).toEqual({
      transaction_id: "17472052901237122",
      amount: 1000,
      fee: 0.44,
      n: "-9007199254740993",
    });
  });

  it("does not touch digits inside strings, decimals or exponents", () => {
    const text =
      '{"a":"12345678901234567890","b":"x\\"99999999999999999","c":1234567890123456.5,"d":1e400,"e":[9007199254740991]}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it("round-trips any integer exactly, inside any JSON", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
        fc.json().filter((j) => !/\d{16}/.test(j)),
        (id, other) => {
          const parsed = parseJson(`{"id":${id},"other":${other}}`) as { id: unknown; other: unknown };
          const safe = id >= BigInt(Number.MIN_SAFE_INTEGER) && id <= BigInt(Number.MAX_SAFE_INTEGER);
          expect(parsed.id).toEqual(safe ? Number(id) : id.toString());
          expect(JSON.stringify(parsed.other)).toBe(JSON.stringify(JSON.parse(other)));
        },
      ),
    );
  });

  it("throws on invalid JSON", () => {
    expect(() => parseJson('{"a":1')).toThrow(SyntaxError);
  });
});
