import { describe, expect, it } from "vitest";
import {
  astFromGroups,
  groupsFromAst,
  productIdsOf,
  rowForField,
  type BuilderGroups,
} from "./builder-rows";
import { parseSegment, printSegment, validateSegment } from "./language";

/** Groups → tree → canonical text → parsed tree: the builder and the text view agree. */
const roundTrip = (groups: BuilderGroups) => {
  const ast = astFromGroups(groups);
  if (!ast) throw new Error("no tree");
  const text = printSegment(ast);
  expect(parseSegment(text).ast).toEqual(ast);
  return text;
};

describe("builder groups", () => {
  it("turn a conjunction of conditions into one group and back to the same tree", () => {
    const text =
      "days_since_last_order > 90 AND orders_count >= 2 AND lifecycle_stage IN ('lapsing', 'lost') AND tags CONTAINS 'vip'";
    const { ast } = parseSegment(text);
    const groups = groupsFromAst(ast);
    expect(groups).toEqual({
      match: "and",
      groups: [
        {
          match: "and",
          rows: [
            { field: "days_since_last_order", operator: "gt", value: "90" },
            { field: "orders_count", operator: "gte", value: "2" },
            { field: "lifecycle_stage", operator: "in", value: "lapsing, lost" },
            { field: "tags", operator: "contains", value: "vip" },
          ],
        },
      ],
    });
    expect(astFromGroups(groups as BuilderGroups)).toEqual(ast);
  });

  it("read OR of AND groups and AND of OR groups, negated lists included", () => {
    const anyOfAll = parseSegment(
      "(tags CONTAINS 'vip' AND days_since_last_order > 90) OR (net_revenue >= 500 AND rfm_segment NOT IN ('lost'))",
    ).ast;
    expect(groupsFromAst(anyOfAll)).toEqual({
      match: "or",
      groups: [
        {
          match: "and",
          rows: [
            { field: "tags", operator: "contains", value: "vip" },
            { field: "days_since_last_order", operator: "gt", value: "90" },
          ],
        },
        {
          match: "and",
          rows: [
            { field: "net_revenue", operator: "gte", value: "500" },
            { field: "rfm_segment", operator: "not_in", value: "lost" },
          ],
        },
      ],
    });
    const allOfAny = parseSegment(
      "orders_count >= 2 AND (country_code = 'DE' OR tags NOT CONTAINS 'wholesale')",
    ).ast;
    const groups = groupsFromAst(allOfAny);
    expect(groups?.match).toBe("and");
    expect(groups?.groups.map((group) => group.rows.length)).toEqual([1, 2]);
    expect(groups?.groups[1]?.match).toBe("or");
    expect(astFromGroups(groups as BuilderGroups)).toEqual(allOfAny);
  });

  it("build text that parses back to the same tree for every match combination", () => {
    const rows = [
      { field: "orders_count", operator: "gte" as const, value: "2" },
      { field: "tags", operator: "contains" as const, value: "vip" },
    ];
    const texts = (["and", "or"] as const).flatMap((outer) =>
      (["and", "or"] as const).map((inner) =>
        roundTrip({
          match: outer,
          groups: [
            { match: inner, rows },
            { match: inner, rows: [{ field: "city", operator: "eq", value: "Leeds" }] },
          ],
        }),
      ),
    );
    expect(texts).toEqual([
      "(orders_count >= 2 AND tags CONTAINS 'vip') AND city = 'Leeds'",
      "(orders_count >= 2 OR tags CONTAINS 'vip') AND city = 'Leeds'",
      "(orders_count >= 2 AND tags CONTAINS 'vip') OR city = 'Leeds'",
      "(orders_count >= 2 OR tags CONTAINS 'vip') OR city = 'Leeds'",
    ]);
    // Empty groups drop out; no rows at all is no rule.
    expect(
      roundTrip({
        match: "or",
        groups: [
          { match: "and", rows },
          { match: "and", rows: [] },
        ],
      }),
    ).toBe("orders_count >= 2 AND tags CONTAINS 'vip'");
    expect(astFromGroups({ match: "and", groups: [{ match: "and", rows: [] }] })).toBeNull();
  });

  it("has no group form for NOT, BETWEEN or deeper nesting, so the text stays as written", () => {
    for (const text of [
      "NOT (orders_count > 1)",
      "orders_count BETWEEN 1 AND 3",
      "orders_count > 1 OR (tags CONTAINS 'a' AND (city = 'X' OR city = 'Y'))",
    ]) {
      expect(groupsFromAst(parseSegment(text).ast)).toBeNull();
    }
  });

  it("builds trees the checker judges like typed text", () => {
    const one = (field: string, operator: "gte" | "gt", value: string) =>
      astFromGroups({
        match: "and",
        groups: [{ match: "and", rows: [{ field, operator, value }] }],
      });
    expect(() =>
      validateSegment(one("predicted_clv", "gte", "200") ?? { kind: "and", operands: [] }),
    ).not.toThrow();
    expect(() =>
      validateSegment(one("orders_count", "gt", "many") ?? { kind: "and", operands: [] }),
    ).toThrow();
  });

  it("reads a bought or not-bought product as a row and writes it back", () => {
    const text = "has_purchased_product(42) AND NOT has_purchased_product(7) AND orders_count >= 2";
    const { ast } = parseSegment(text);
    const groups = groupsFromAst(ast);
    expect(groups?.groups[0]?.rows.slice(0, 2)).toEqual([
      { field: "purchased_product", operator: "eq", value: "42" },
      { field: "purchased_product", operator: "ne", value: "7" },
    ]);
    expect(astFromGroups(groups as BuilderGroups)).toEqual(ast);
    expect(productIdsOf(groups)).toEqual(["42", "7"]);
    expect(productIdsOf(null)).toEqual([]);
    // A product row without a product is refused like typed text would be.
    const empty = astFromGroups({
      match: "and",
      groups: [{ match: "and", rows: [rowForField("purchased_product")] }],
    });
    expect(() => validateSegment(empty ?? { kind: "and", operands: [] })).toThrow();
  });

  it("reads a purchase window as the row's number of days and writes it back", () => {
    const text =
      "has_purchased_product(42, within_days: 30) OR NOT has_purchased_product(7, within_days: 365)";
    const { ast } = parseSegment(text);
    const groups = groupsFromAst(ast);
    expect(groups?.groups[0]?.rows).toEqual([
      { field: "purchased_product", operator: "eq", value: "42", withinDays: "30" },
      { field: "purchased_product", operator: "ne", value: "7", withinDays: "365" },
    ]);
    expect(roundTrip(groups as BuilderGroups)).toBe(text);
    // An empty window means any time; a window that is not a whole number of days is refused.
    const row = { field: "purchased_product", operator: "eq" as const, value: "42" };
    const text0 = (withinDays: string) =>
      printSegment(
        astFromGroups({
          match: "and",
          groups: [{ match: "and", rows: [{ ...row, withinDays }] }],
        }) ?? { kind: "and", operands: [] },
      );
    expect(text0(" ")).toBe("has_purchased_product(42)");
    for (const bad of ["0", "1.5", "-3", "40000"]) {
      expect(() => validateSegment(parseSegment(text0(bad)).ast)).toThrow();
    }
  });

  it("reads a bought-from-collection condition as a row and writes it back, window and all", () => {
    // GIVEN a typed rule with collection conditions beside a product one
    const text =
      "has_purchased_from_collection(9007199254740995, within_days: 60) AND " +
      "NOT has_purchased_from_collection(5) AND has_purchased_product(42)";
    const { ast } = parseSegment(text);
    // WHEN the builder reads it as rows
    const groups = groupsFromAst(ast);
    // THEN each collection condition is a collection row, and the rows print the same text
    expect(groups?.groups[0]?.rows).toEqual([
      {
        field: "purchased_collection",
        operator: "eq",
        value: "9007199254740995",
        withinDays: "60",
      },
      { field: "purchased_collection", operator: "ne", value: "5" },
      { field: "purchased_product", operator: "eq", value: "42" },
    ]);
    expect(roundTrip(groups as BuilderGroups)).toBe(text);
    // Only products are looked up by id; collections come whole with the page.
    expect(productIdsOf(groups)).toEqual(["42"]);
    // A collection row without a collection is refused like typed text would be.
    const empty = astFromGroups({
      match: "and",
      groups: [{ match: "and", rows: [rowForField("purchased_collection")] }],
    });
    expect(() => validateSegment(empty ?? { kind: "and", operands: [] })).toThrow();
    // A call with an option the row cannot show keeps the rule in the text view.
    expect(
      groupsFromAst({
        kind: "function",
        name: "has_purchased_from_collection",
        args: [{ kind: "number", value: "5" }],
        namedArgs: [{ name: "since", value: { kind: "number", value: "3" } }],
      }),
    ).toBeNull();
  });

  it("starts a row for a field with an operator and a value that suit it", () => {
    expect(rowForField("lifecycle_stage")).toEqual({
      field: "lifecycle_stage",
      operator: "eq",
      value: "prospect",
    });
    expect(rowForField("tags", { field: "orders_count", operator: "gt", value: "3" })).toEqual({
      field: "tags",
      operator: "contains",
      value: "",
    });
    expect(
      rowForField("net_revenue", { field: "orders_count", operator: "gt", value: "3" }),
    ).toEqual({
      field: "net_revenue",
      operator: "gt",
      value: "",
    });
  });
});
