import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SegmentError, compileSegment, parseSegment, printSegment, validateSegment } from "./index";
import { segmentExpression } from "./testing/arbitraries";

/** Fragments of the language, so random text often gets deep into the parser. */
const FRAGMENTS = [
  "AND",
  "or",
  "NOT",
  "not",
  "(",
  ")",
  ",",
  ":",
  "IN",
  "BETWEEN",
  "IS",
  "NULL",
  "CONTAINS",
  "true",
  "orders_count",
  "email",
  "tags",
  "first_order_at",
  "rfm_segment",
  "prob_alive",
  "has_purchased_product",
  "within_days",
  "=",
  "!=",
  "<>",
  "<",
  "<=",
  ">",
  ">=",
  "5",
  "-1.5",
  "0.",
  "9223372036854775808",
  "'x'",
  "'at_risk'",
  "'2025-02-30'",
  "'2025-01-01'",
  "'it''s'",
  "'",
  '"',
  ";",
  "--",
  "\n",
  "é",
  "\0",
];

const tokenSoup = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 })
  .chain((parts) => fc.constantFrom(parts.join(" "), parts.join("")));

function parseOrTypedError(text: string): void {
  try {
    parseSegment(text);
  } catch (error) {
    if (!(error instanceof SegmentError)) throw error;
    expect(error.position?.offset).toBeGreaterThanOrEqual(0);
    expect(error.position?.offset).toBeLessThanOrEqual(text.length);
  }
}

function placeholders(sql: string): number[] {
  return [...new Set([...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])))].sort(
    (a, b) => a - b,
  );
}

describe("segment language fuzzing", () => {
  it("random text only ever fails with a typed error", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), parseOrTypedError), {
      numRuns: 2000,
    });
  });

  it("random token soup only ever fails with a typed error", () => {
    fc.assert(fc.property(tokenSoup, parseOrTypedError), { numRuns: 3000 });
  });

  it("random valid trees survive print then parse unchanged", () => {
    fc.assert(
      fc.property(segmentExpression(), (ast) => {
        validateSegment(ast);
        expect(parseSegment(printSegment(ast)).ast).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it("compiled SQL has exactly one placeholder per parameter, numbered from the given index", () => {
    fc.assert(
      fc.property(segmentExpression(), fc.integer({ min: 1, max: 20 }), (ast, first) => {
        const { sql, params } = compileSegment(ast, { firstParamIndex: first });
        const expected = params.map((_, index) => first + index);
        expect(placeholders(sql)).toEqual(expected);
        // Each placeholder appears exactly once.
        expect(sql.match(/\$\d+/g)?.length ?? 0).toBe(params.length);
      }),
      { numRuns: 1000 },
    );
  });

  it("no value of a random tree is spliced into its SQL", () => {
    fc.assert(
      fc.property(segmentExpression(), (ast) => {
        const { sql } = compileSegment(ast);
        expect(sql).not.toContain("'x");
        expect(sql).not.toMatch(/DROP|1=1|--/);
        expect(sql).not.toMatch(/[^\x20-\x7e]/);
      }),
      { numRuns: 500 },
    );
  });
});
