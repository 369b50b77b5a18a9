// src/url.ts builds the resource methods' URLs without openapi-fetch: checked here against openapi-fetch's own
// helpers (what msp.api uses, and the pipeline used before) on random templates, values and queries.
import fc from "fast-check";
import * as openapiFetch from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { OPERATION_LIST } from "../src/operations.js";
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "../src/url.js";

/** What a call gives: its result, or the message it threw. */
const outcome = (run: () => string) => {
  try {
    return { url: run() };
  } catch (error) {
    return { threw: (error as Error).message };
  }
};

const text = fc.string({ unit: "grapheme", maxLength: 8 });
// Object keys go into a path unencoded: with `$` patterns, which a string replacement reads.
const key = fc.oneof(text, fc.constantFrom("$&", "$1", "$$", "$`"));
const primitive = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.oneof(
  primitive,
  fc.array(primitive, { maxLength: 3 }),
  fc.dictionary(key, primitive, { maxKeys: 3 }),
  fc.dictionary(key, fc.array(primitive, { maxLength: 2 }), { maxKeys: 2 }),
);
const name = fc.constantFrom("order_id", "id", "a", "b");
const placeholder = fc
  .tuple(fc.constantFrom("", ".", ";"), name, fc.constantFrom("", "*"))
  .map(([style, n, explode]) => `{${style}${n}${explode}}`);
const template = fc
  .array(fc.oneof(placeholder, fc.constantFrom("orders", "refunds", "x$&y", "")), { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.join("/")}`);
const params = fc.dictionary(name, value, { maxKeys: 4 });

describe("url.ts, as openapi-fetch builds URLs", () => {
  it("fills path templates exactly as openapi-fetch's defaultPathSerializer (property)", () => {
    fc.assert(
      fc.property(fc.oneof(template, fc.constantFrom(...OPERATION_LIST.map((o) => o.path))), params, (t, p) => {
        expect(outcome(() => defaultPathSerializer(t, p))).toEqual(
          outcome(() => openapiFetch.defaultPathSerializer(t, p)),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("writes queries exactly as openapi-fetch's default query serializer (property)", () => {
    const ours = createQuerySerializer();
    const theirs = openapiFetch.createQuerySerializer();
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 5 }), (query) => {
        expect(outcome(() => ours(query))).toEqual(outcome(() => theirs(query)));
      }),
      { numRuns: 3000 },
    );
  });

  it("builds the final URL exactly as openapi-fetch's createFinalURL (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATION_LIST.map((o) => o.path)),
        fc.option(params, { nil: undefined }),
        fc.option(fc.dictionary(text, value, { maxKeys: 3 }), { nil: undefined }),
        (path, pathParams, query) => {
          const options = { baseUrl: "https://testapi.multisafepay.com/v1/json", params: { path: pathParams, query } };
          expect(
            outcome(() =>
              createFinalURL(path, {
                ...options,
                params: { ...(pathParams ? { path: pathParams } : {}), ...(query ? { query } : {}) },
                querySerializer: createQuerySerializer(),
                pathSerializer: defaultPathSerializer,
              }),
            ),
          ).toEqual(
            outcome(() =>
              openapiFetch.createFinalURL(path, {
                ...options,
                querySerializer: openapiFetch.createQuerySerializer(),
                pathSerializer: openapiFetch.defaultPathSerializer,
              }),
            ),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
