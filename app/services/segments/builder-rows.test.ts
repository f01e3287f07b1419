import { describe, expect, it } from "vitest";
import { astFromRows, rowsFromAst } from "./builder-rows";
import { parseSegment, printSegment, validateSegment } from "./language";

describe("builder rows", () => {
  it("turn a conjunction of conditions into rows and back to the same tree", () => {
    const text =
      "days_since_last_order > 90 AND orders_count >= 2 AND lifecycle_stage IN ('lapsing', 'lost') AND tags CONTAINS 'vip'";
    const { ast } = parseSegment(text);
    const rows = rowsFromAst(ast);
    expect(rows).toEqual([
      { field: "days_since_last_order", operator: ">", value: "90" },
      { field: "orders_count", operator: ">=", value: "2" },
      { field: "lifecycle_stage", operator: "in", value: "lapsing, lost" },
      { field: "tags", operator: "contains", value: "vip" },
    ]);
    const rebuilt = astFromRows(rows ?? []);
    expect(rebuilt).toEqual(ast);
    expect(printSegment(rebuilt ?? ast)).toBe(printSegment(ast));
  });

  it("has no row form for OR, NOT and negated lists, so the text stays as written", () => {
    for (const text of [
      "orders_count > 1 OR tags CONTAINS 'vip'",
      "NOT (orders_count > 1)",
      "rfm_segment NOT IN ('lost')",
      "orders_count BETWEEN 1 AND 3",
    ]) {
      expect(rowsFromAst(parseSegment(text).ast)).toBeNull();
    }
  });

  it("builds trees the checker judges like typed text", () => {
    const good = astFromRows([{ field: "predicted_clv", operator: ">=", value: "200" }]);
    expect(() => validateSegment(good ?? { kind: "and", operands: [] })).not.toThrow();
    const bad = astFromRows([{ field: "orders_count", operator: ">", value: "many" }]);
    expect(() => validateSegment(bad ?? { kind: "and", operands: [] })).toThrow();
    expect(astFromRows([])).toBeNull();
  });
});
