import { describe, expect, it } from "vitest";
import { expectedPurchases } from "./bgnbd";
import { InvalidParametersError } from "./errors";
import { loadCdnow } from "./fixtures/cdnow";
import {
  conditionalExpectedOrderValue,
  customerLifetimeValue,
  DAYS_PER_MONTH,
  fitGammaGamma,
  gammaGammaLogLikelihood,
} from "./gamma-gamma";

const PUBLISHED = { p: 6.25, q: 3.74, gamma: 15.44 };
/** lifetimes' documented fit on the same file (scipy Nelder–Mead on log-parameters). */
const LIFETIMES = { p: 6.249, q: 3.7445, gamma: 15.4424 };

describe("Gamma-Gamma on the CDNOW sample", () => {
  const customers = loadCdnow();
  const fit = fitGammaGamma(customers);

  it("reproduces the published p = 6.25, q = 3.74, γ = 15.4 (3 significant digits)", () => {
    console.log("CDNOW Gamma-Gamma fit:", fit); // eslint-disable-line no-console -- report the fit
    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    expect(Number(fit.params.p.toPrecision(3))).toBe(PUBLISHED.p);
    expect(Number(fit.params.q.toPrecision(3))).toBe(PUBLISHED.q);
    expect(Number(fit.params.gamma.toPrecision(3))).toBe(15.4);
  });

  it("is at least as likely as lifetimes' and the published estimates (they differ only along a flat ridge)", () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(LIFETIMES, customers));
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(PUBLISHED, customers));
    expect(fit.logLikelihood - gammaGammaLogLikelihood(LIFETIMES, customers)).toBeLessThan(1e-3);
  });
});

describe("conditionalExpectedOrderValue", () => {
  it("is the population mean pγ/(q − 1) without repeat purchases", () => {
    expect(conditionalExpectedOrderValue(PUBLISHED, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
  });

  it("weights the customer's own mean more as x grows", () => {
    const population = conditionalExpectedOrderValue(PUBLISHED, 0, 0);
    const few = conditionalExpectedOrderValue(PUBLISHED, 1, 100);
    const many = conditionalExpectedOrderValue(PUBLISHED, 20, 100);
    expect(few).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThan(100);
    // Hand check: p(γ + x z̄)/(px + q − 1) = 6.25 · (15.44 + 44.7)/(12.5 + 2.74)
    expect(conditionalExpectedOrderValue(PUBLISHED, 2, 22.35)).toBeCloseTo(
      (6.25 * (15.44 + 44.7)) / (12.5 + 2.74),
      10,
    );
  });

  it("refuses parameters with an infinite mean", () => {
    expect(() => conditionalExpectedOrderValue({ p: 1, q: 0.9, gamma: 1 }, 0, 0)).toThrow(
      InvalidParametersError,
    );
  });
});

describe("customerLifetimeValue", () => {
  const bgnbdDays = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
  const customer = { x: 2, tx: 213, T: 272 };
  const orderValue = conditionalExpectedOrderValue(PUBLISHED, 2, 22.35);

  it("without discounting is the expected purchases over the horizon × expected order value", () => {
    const clv = customerLifetimeValue(bgnbdDays, PUBLISHED, customer, 22.35, 365, 0);
    expect(clv).toBeCloseTo(orderValue * expectedPurchases(bgnbdDays, customer, 365), 8);
  });

  it("discounts each month's expected purchases (hand-computed for two months)", () => {
    const rate = 0.01;
    const first = expectedPurchases(bgnbdDays, customer, DAYS_PER_MONTH);
    const second = expectedPurchases(bgnbdDays, customer, 2 * DAYS_PER_MONTH) - first;
    const expected = orderValue * (first / (1 + rate) + second / (1 + rate) ** 2);
    expect(customerLifetimeValue(bgnbdDays, PUBLISHED, customer, 22.35, 60, rate)).toBeCloseTo(
      expected,
      10,
    );
  });

  it("is 0 over a zero horizon and grows with the horizon", () => {
    expect(customerLifetimeValue(bgnbdDays, PUBLISHED, customer, 22.35, 0, 0.01)).toBe(0);
    const year = customerLifetimeValue(bgnbdDays, PUBLISHED, customer, 22.35, 365, 0.01);
    const twoYears = customerLifetimeValue(bgnbdDays, PUBLISHED, customer, 22.35, 730, 0.01);
    expect(twoYears).toBeGreaterThan(year);
  });
});
