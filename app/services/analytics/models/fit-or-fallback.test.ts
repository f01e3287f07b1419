import { describe, expect, it } from "vitest";
import { expectedPurchases, probabilityAlive } from "./bgnbd";
import { loadCdnow } from "./fixtures/cdnow";
import {
  bgNbdOrFallback,
  CDNOW_GAMMA_GAMMA,
  fitOrFallback,
  gammaGammaOrFallback,
  pooledBgNbdPrior,
} from "./fit-or-fallback";
import { conditionalExpectedOrderValue, customerLifetimeValue } from "./gamma-gamma";

function allFinite(values: Record<string, number>): boolean {
  return Object.values(values).every(Number.isFinite);
}

describe("fitOrFallback", () => {
  it("fits CDNOW (weeks) and reports it", () => {
    const choice = fitOrFallback(loadCdnow(), { daysPerTimeUnit: 7 });
    expect(choice.bgnbd.basis).toBe("fitted");
    expect(choice.bgnbd.params.r).toBeCloseTo(0.243, 3);
    expect(choice.gammaGamma.basis).toBe("fitted");
    expect(choice.gammaGamma.params.p).toBeCloseTo(6.25, 2);
  });

  it("uses the pooled priors, rescaled to days, with too few repeat customers", () => {
    const few = loadCdnow().slice(0, 40); // 14 of these have a repeat purchase
    const choice = fitOrFallback(few);
    expect(choice.bgnbd).toMatchObject({
      basis: "pooled_prior",
      reason: "too_few_repeat_customers",
    });
    expect(choice.bgnbd.params).toEqual({ r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 });
    expect(choice.gammaGamma).toMatchObject({
      basis: "pooled_prior",
      reason: "too_few_repeat_customers",
    });
    // γ rescaled so the prior mean spend pγ/(q − 1) is the shop's mean repeat spend.
    const repeaters = few.filter((customer) => customer.x > 0);
    const shopMean = repeaters.reduce((sum, c) => sum + c.zbar, 0) / repeaters.length;
    expect(conditionalExpectedOrderValue(choice.gammaGamma.params, 0, 0)).toBeCloseTo(shopMean, 10);
  });

  it("never throws or returns NaN, whatever the input", () => {
    const inputs = [
      [],
      [{ x: 0, tx: 0, T: 0, zbar: 0 }],
      [{ x: 1, tx: 5, T: 2, zbar: 10 }], // tₓ > T
      [{ x: NaN, tx: NaN, T: NaN, zbar: NaN }],
      Array.from({ length: 50 }, () => ({ x: 1, tx: 1, T: 1, zbar: Infinity })),
      Array.from({ length: 50 }, () => ({ x: 3, tx: 0.5, T: 1e9, zbar: -5 })),
      // every customer identical: a degenerate likelihood
      Array.from({ length: 100 }, () => ({ x: 2, tx: 10, T: 10, zbar: 20 })),
    ];
    for (const customers of inputs) {
      const choice = fitOrFallback(customers, { minRepeatCustomers: 1 });
      expect(allFinite({ ...choice.bgnbd.params })).toBe(true);
      expect(allFinite({ ...choice.gammaGamma.params })).toBe(true);
      const customer = { x: 1, tx: 10, T: 40 };
      const predictions = [
        probabilityAlive(choice.bgnbd.params, customer),
        expectedPurchases(choice.bgnbd.params, customer, 90),
        customerLifetimeValue(
          choice.bgnbd.params,
          choice.gammaGamma.params,
          customer,
          30,
          365,
          0.01,
        ),
      ];
      expect(predictions.every(Number.isFinite)).toBe(true);
    }
  });

  it("labels invalid input instead of throwing", () => {
    const bad = Array.from({ length: 40 }, (_, i) => ({ x: 1, tx: i === 7 ? 9 : 1, T: 2 }));
    expect(bgNbdOrFallback(bad)).toMatchObject({ basis: "pooled_prior", reason: "invalid_input" });
    expect(bgNbdOrFallback(bad).detail).toMatch(/summary #7/);
    expect(bgNbdOrFallback([], { daysPerTimeUnit: 0 }).reason).toBe("invalid_input");
  });

  it("keeps the CDNOW spend prior when the shop has no spend data at all", () => {
    expect(gammaGammaOrFallback([]).params).toEqual(CDNOW_GAMMA_GAMMA);
    expect(pooledBgNbdPrior(7).alpha).toBeCloseTo(4.414, 12);
  });
});
