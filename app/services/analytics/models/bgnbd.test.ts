import { describe, expect, it } from "vitest";
import type { BgNbdParams, BgNbdSummary } from "./bgnbd";
import {
  expectedNextPurchaseIn,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  interPurchaseTimeAsOfLastPurchase,
  probabilityAlive,
} from "./bgnbd";
import { bgNbdLikelihood, prepareBgNbdData } from "./bgnbd-likelihood";
import { InvalidParametersError, InvalidSummaryError } from "./errors";
import { loadCdnow } from "./fixtures/cdnow";
import { logBeta } from "./gamma-function";

/** Fader, Hardie & Lee (2005), CDNOW calibration period, weeks. */
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PUBLISHED_LOG_LIKELIHOOD = -9582.4;
/** The paper's worked example: customer with x = 2, tₓ = 30.43, T = 38.86 weeks. */
const WORKED_EXAMPLE: BgNbdSummary = { x: 2, tx: 30.43, T: 38.86 };

function toSignificantDigits(value: number, digits: number): number {
  return Number(value.toPrecision(digits));
}

/**
 * Eq. (10) recomputed independently of ₂F₁: E[Y(t) | alive] = E over the posterior of
 * (1 − E_λ[e^(−λpt)])/p, with λ integrated out analytically and p ~ Beta(a, b + x) integrated by
 * Simpson's rule. For small a, substituting p = u^(1/a) removes the p^(a−1) endpoint singularity.
 */
function expectedPurchasesByQuadrature(
  { r, alpha, a, b }: BgNbdParams,
  { x, T }: BgNbdSummary,
  t: number,
  pAlive: number,
): number {
  const intervals = 20_000;
  const substitute = a < 1.5;
  const perPurchase = (p: number): number =>
    p === 0
      ? ((r + x) * t) / (alpha + T) // the limit of (1 − (1 + pt/(α+T))^−(r+x))/p
      : -Math.expm1(-(r + x) * Math.log1p((p * t) / (alpha + T))) / p;
  const integrand = (u: number): number => {
    const p = substitute ? Math.pow(u, 1 / a) : u;
    const density = Math.pow(1 - p, b + x - 1) * (substitute ? 1 / a : Math.pow(p, a - 1));
    return perPurchase(p) * density;
  };
  let sum = integrand(0) + integrand(1);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * integrand(i / intervals);
  const integral = sum / (3 * intervals);
  return (pAlive * integral) / Math.exp(logBeta(a, b + x));
}

describe("BG/NBD on the CDNOW sample (2,357 customers, weeks)", () => {
  const customers = loadCdnow();
  const fit = fitBgNbd(customers);

  it("reproduces the published estimates to 3 significant digits", () => {
    console.log("CDNOW BG/NBD fit:", fit); // eslint-disable-line no-console -- report the fit
    expect(customers).toHaveLength(2357);
    expect(fit.converged).toBe(true);
    expect(toSignificantDigits(fit.params.r, 3)).toBe(PUBLISHED.r);
    expect(toSignificantDigits(fit.params.alpha, 4)).toBe(PUBLISHED.alpha);
    expect(toSignificantDigits(fit.params.a, 3)).toBe(PUBLISHED.a);
    expect(toSignificantDigits(fit.params.b, 4)).toBe(PUBLISHED.b);
    expect(fit.logLikelihood).toBeCloseTo(PUBLISHED_LOG_LIKELIHOOD, 0);
  });

  it("is a maximum: the published (rounded) estimates have a lower likelihood", () => {
    const atPublished = bgNbdLikelihood(prepareBgNbdData(customers)).logLikelihood(PUBLISHED);
    expect(atPublished).toBeLessThan(fit.logLikelihood);
    expect(atPublished).toBeCloseTo(PUBLISHED_LOG_LIKELIHOOD, 0);
  });

  it("reproduces the paper's worked example: 1.226 purchases in the next 39 weeks", () => {
    expect(expectedPurchases(PUBLISHED, WORKED_EXAMPLE, 39)).toBeCloseTo(1.226, 3);
  });
});

describe("probabilityAlive", () => {
  it("is 1 without repeat purchases and falls the longer a customer has been silent", () => {
    expect(probabilityAlive(PUBLISHED, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    const recent = probabilityAlive(PUBLISHED, { x: 2, tx: 38, T: 38.86 });
    const example = probabilityAlive(PUBLISHED, WORKED_EXAMPLE);
    const silent = probabilityAlive(PUBLISHED, { x: 2, tx: 5, T: 38.86 });
    expect(recent).toBeGreaterThan(example);
    expect(example).toBeGreaterThan(silent);
    expect(example).toBeCloseTo(0.7266, 4);
    expect(silent).toBeGreaterThan(0);
  });

  it("is low for a frequent buyer who stopped long ago", () => {
    expect(probabilityAlive(PUBLISHED, { x: 10, tx: 5, T: 38.86 })).toBeLessThan(0.01);
  });
});

describe("expectedPurchases", () => {
  const cases: [string, BgNbdParams, BgNbdSummary, number][] = [
    ["worked example, 39 weeks", PUBLISHED, WORKED_EXAMPLE, 39],
    ["z near 1 (1 − z transformation)", PUBLISHED, WORKED_EXAMPLE, 2000],
    ["new customer, long horizon", PUBLISHED, { x: 0, tx: 0, T: 0 }, 500],
    ["many purchases", PUBLISHED, { x: 25, tx: 38, T: 38.86 }, 52],
    ["a > 1", { r: 1.2, alpha: 20, a: 2.5, b: 4 }, { x: 3, tx: 100, T: 180 }, 365],
    ["a ≈ 1 (removable singularity)", { ...PUBLISHED, a: 1 + 1e-7 }, WORKED_EXAMPLE, 39],
  ];

  it.each(cases)("agrees with direct numerical integration: %s", (_name, params, customer, t) => {
    const expected = expectedPurchasesByQuadrature(
      params,
      customer,
      t,
      probabilityAlive(params, customer),
    );
    expect(Math.abs(expectedPurchases(params, customer, t) / expected - 1)).toBeLessThan(1e-6);
  });

  it("is 0 at t = 0 and increasing in t", () => {
    expect(expectedPurchases(PUBLISHED, WORKED_EXAMPLE, 0)).toBe(0);
    const values = [1, 10, 39, 100, 1000].map((t) =>
      expectedPurchases(PUBLISHED, WORKED_EXAMPLE, t),
    );
    values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i] ?? Infinity));
  });

  it("for a new customer equals eq. (9), checked by quadrature", () => {
    const expected = expectedPurchasesByQuadrature(PUBLISHED, { x: 0, tx: 0, T: 0 }, 39, 1);
    expect(expectedPurchasesNewCustomer(PUBLISHED, 39)).toBeCloseTo(expected, 6);
  });

  it("rejects invalid input with typed errors", () => {
    expect(() => expectedPurchases(PUBLISHED, { x: 1, tx: 5, T: 4 }, 1)).toThrow(
      InvalidSummaryError,
    );
    expect(() => expectedPurchases({ ...PUBLISHED, r: 0 }, WORKED_EXAMPLE, 1)).toThrow(
      InvalidParametersError,
    );
    expect(() => expectedPurchases(PUBLISHED, WORKED_EXAMPLE, -1)).toThrow(InvalidParametersError);
  });
});

describe("expectedNextPurchaseIn", () => {
  it("is the horizon at which one purchase is expected", () => {
    const wait = expectedNextPurchaseIn(PUBLISHED, WORKED_EXAMPLE);
    expect(wait).not.toBeNull();
    expect(expectedPurchases(PUBLISHED, WORKED_EXAMPLE, wait ?? 0)).toBeCloseTo(1, 6);
    // 1.226 purchases are expected within 39 weeks, so the first comes sooner.
    expect(wait).toBeLessThan(39);
  });

  it("is null when a purchase is not expected within the horizon", () => {
    expect(expectedNextPurchaseIn(PUBLISHED, { x: 10, tx: 5, T: 38.86 })).toBeNull();
    expect(expectedNextPurchaseIn(PUBLISHED, WORKED_EXAMPLE, 10)).toBeNull();
  });
});

describe("fitBgNbd input validation", () => {
  it("names the offending summary", () => {
    const bad = [
      { x: 1, tx: 2, T: 3 },
      { x: 1.5, tx: 1, T: 3 },
    ];
    expect(() => fitBgNbd(bad)).toThrow(/summary #1/);
    expect(() => fitBgNbd([{ x: 0, tx: 1, T: 3 }])).toThrow(InvalidSummaryError);
  });
});

describe("interPurchaseTimeAsOfLastPurchase", () => {
  const params: BgNbdParams = { r: 1.5, alpha: 40, a: 0.8, b: 2.4 };

  it("GIVEN a one-time buyer THEN it is the population's mean gap α/r, finite even where E[1/λ] is not (r < 1)", () => {
    expect(interPurchaseTimeAsOfLastPurchase(PUBLISHED, { x: 0, tx: 0 })).toBeCloseTo(
      PUBLISHED.alpha / PUBLISHED.r,
      9,
    );
  });

  it("GIVEN more and more regular purchases THEN it tends to the customer's own mean gap tₓ/x", () => {
    const gaps = [2, 10, 100].map((x) =>
      interPurchaseTimeAsOfLastPurchase(params, { x, tx: 20 * x }),
    );
    // Shrunk towards α/r ≈ 26.7 for few orders, within 1 % of the 20-day rhythm at 100.
    expect(gaps[0]).toBeGreaterThan(gaps[1] ?? 0);
    expect(gaps[1]).toBeGreaterThan(gaps[2] ?? 0);
    expect(gaps[2]).toBeGreaterThan(20);
    expect(gaps[2]).toBeLessThan(20.2);
  });

  it("GIVEN a malformed history THEN it refuses it", () => {
    expect(() => interPurchaseTimeAsOfLastPurchase(params, { x: 0, tx: 5 })).toThrow(
      InvalidSummaryError,
    );
  });
});
