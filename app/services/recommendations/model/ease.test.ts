import { describe, expect, it } from "vitest";
import { buildEaseModel, invertSymmetricPositiveDefinite } from "./ease";
import { neighboursOf } from "./item-graph";
import { indexPurchases } from "./purchase-index";
import { basket } from "./test-purchases";

describe("invertSymmetricPositiveDefinite", () => {
  it("returns the inverse: A · A⁻¹ = I", () => {
    const a = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];
    const inverse = invertSymmetricPositiveDefinite(Float64Array.from(a), 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += (a[i * 3 + k] ?? 0) * (inverse[k * 3 + j] ?? 0);
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => invertSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(
      /positive definite/,
    );
  });
});

describe("buildEaseModel", () => {
  // Shoppers of A also buy B; C is a staple everyone buys; D goes with nothing in particular.
  const purchases = [
    ...["1", "2", "3", "4", "5", "6"].flatMap((c) => basket(c, `o${c}`, 0, ["A", "B", "C"])),
    ...["7", "8", "9", "10", "11", "12"].flatMap((c) => basket(c, `o${c}`, 0, ["C", "D"])),
    ...["13", "14"].flatMap((c) => basket(c, `o${c}`, 0, ["A", "C", "D"])),
  ];

  it("links products bought by the same customers, not the staple everyone buys", () => {
    const model = buildEaseModel(indexPurchases(purchases), { relativeLambda: 0.1 });
    // C co-occurs with A in every basket, but EASE sees it adds nothing given the rest.
    expect(neighboursOf(model, "A")[0]?.productId).toBe("B");
    expect(neighboursOf(model, "B").map((edge) => edge.productId)).toContain("A");
  });

  it("models only the most bought products and keeps edges for them alone", () => {
    const model = buildEaseModel(indexPurchases(purchases), { maxProducts: 2 });
    // C (14 customers) and A or D (8 each; ties by index, A first) are modelled; B is not.
    expect(neighboursOf(model, "B")).toEqual([]);
    expect(neighboursOf(model, "A").every((edge) => ["C"].includes(edge.productId))).toBe(true);
  });
});
