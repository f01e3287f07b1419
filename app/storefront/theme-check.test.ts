// Theme Check (app-extension rule set) on extensions/rekindle-storefront, through the same
// function as `npx tsx scripts/theme-check.ts`.
import { beforeAll, describe, expect, it } from "vitest";
import {
  formatOffense,
  runThemeCheck,
  THEME_CHECK_CONFIG,
  type ThemeCheckResult,
} from "../../scripts/theme-check";

let result: ThemeCheckResult;

beforeAll(async () => {
  result = await runThemeCheck();
  // eslint-disable-next-line no-console -- offenses are the useful part of a failure
  for (const offense of result.offenses) console.log(formatOffense(offense));
});

describe(`theme check (${THEME_CHECK_CONFIG})`, () => {
  it("checks every block, snippet, asset and locale of the extension", () => {
    expect(result.filesChecked).toBeGreaterThanOrEqual(16);
  });

  it("reports no errors and no asset-size offenses", () => {
    expect(result.failing.map((offense) => formatOffense(offense))).toEqual([]);
  });

  it("reports no warnings either", () => {
    expect(result.offenses.map((offense) => formatOffense(offense))).toEqual([]);
  });
});
