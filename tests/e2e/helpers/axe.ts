import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, ImpactValue } from "axe-core";
import type { Frame } from "playwright-core";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

export type Impact = Exclude<ImpactValue, null>;

export interface AxeFinding {
  rule: string;
  impact: Impact;
  help: string;
  /** Where, as CSS selectors, the first few of them. */
  targets: string[];
  count: number;
}

/** The impacts a page must not have (issue 18: 0 serious and 0 critical on every page). */
export const BLOCKING_IMPACTS: readonly Impact[] = ["serious", "critical"];

/** axe-core's violations in a document, run inside it as a browser extension would. */
export async function axeFindings(frame: Frame): Promise<AxeFinding[]> {
  if (!(await frame.evaluate(() => "axe" in window))) await frame.evaluate(axeSource);
  const results = await frame.evaluate(() =>
    (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<AxeResults> };
      }
    ).axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? "minor",
    help: violation.help,
    targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    count: violation.nodes.length,
  }));
}

/** Findings per impact, e.g. `{ critical: 0, serious: 2, moderate: 1, minor: 0 }`. */
export function countByImpact(findings: AxeFinding[]): Record<Impact, number> {
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const finding of findings) counts[finding.impact] += finding.count;
  return counts;
}
