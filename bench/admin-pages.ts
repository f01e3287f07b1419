import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Frame } from "playwright-core";
import {
  ADMIN_LOCALES,
  adminPageIds,
  adminPageRoutes,
  adminUrl,
  appFrame,
  fillRoute,
  fullPageScreenshot,
  openAdminPage,
  type AdminPageLocale,
} from "../tests/e2e/helpers/admin-pages";
import { axeFindings, countByImpact } from "../tests/e2e/helpers/axe";
import { chromiumExecutable, desktopContext, launchBrowser } from "../tests/e2e/helpers/browser";
import { startDemo } from "../tests/e2e/helpers/demo-process";

/** Issue 18's goals for the admin on demo data, in Chromium. */
const GOALS = { lcpP75Ms: 300, inpMs: 100, cls: 0.01 };

/**
 * Recorded in every document from its start (the app's frame included): the largest contentful
 * paint, the layout shift not caused by input, and each interaction's longest event as the Event
 * Timing API reports it (events of 16 ms or more, the smallest threshold it allows).
 */
const WEB_VITALS_RECORDER = `
  window.__vitals = { lcp: NaN, lcpElement: "", cls: 0, interactions: {} };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__vitals.lcp = entry.startTime;
      const element = entry.element;
      window.__vitals.lcpElement = element
        ? element.tagName.toLowerCase() + (element.className ? "." + String(element.className).split(" ")[0] : "")
        : "";
    }
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__vitals.cls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.interactionId) continue;
      const seen = window.__vitals.interactions[entry.interactionId] ?? 0;
      window.__vitals.interactions[entry.interactionId] = Math.max(seen, entry.duration);
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: true });
`;

interface Vitals {
  lcp: number;
  /** The largest paint's element, as `tag.firstClass`. */
  lcpElement: string;
  cls: number;
  interactions: Record<string, number>;
}
const vitals = (frame: Frame) =>
  frame.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);

/**
 * Where a document load's time went: the first byte and the last one of its HTML (from the
 * frame's start), and the app's own Server-Timing figures (`app` wall time, `cpu` time of the
 * process) for the document request.
 */
const documentTiming = (frame: Frame) =>
  // No named functions inside: the page would not know tsx's name helper.
  frame.evaluate(() => {
    const [navigation] = performance.getEntriesByType(
      "navigation",
    ) as PerformanceNavigationTiming[];
    const server = navigation?.serverTiming ?? [];
    return {
      firstByte: navigation?.responseStart ?? NaN,
      lastByte: navigation?.responseEnd ?? NaN,
      serverApp: server.find((entry) => entry.name === "app")?.duration ?? NaN,
      serverCpu: server.find((entry) => entry.name === "cpu")?.duration ?? NaN,
    };
  });

/** The value below which `share` of the sorted values fall (nearest rank). */
function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? NaN;
}

/**
 * One admin page: axe-core's findings on its first load (which also fills the browser's cache
 * and the server's, so it is not timed), then `loads` warm loads for LCP p75 and the worst CLS,
 * and a screenshot of the last one.
 */
async function measurePage(
  context: BrowserContext,
  storeUrl: string,
  appPath: string,
  locale: AdminPageLocale,
  loads: number,
  screenshots: string,
) {
  const first = await openAdminPage(context, storeUrl, appPath, locale);
  const { page } = first;
  const axe = countByImpact(await axeFindings(first.frame));
  const lcp: number[] = [];
  const cls: number[] = [];
  const timings: Awaited<ReturnType<typeof documentTiming>>[] = [];
  const lcpElements = new Set<string>();
  let frame = first.frame;
  for (let load = 0; load < loads; load++) {
    await page.goto(adminUrl(storeUrl, appPath, locale));
    frame = await appFrame(page);
    await page.waitForLoadState("networkidle");
    const measured = await vitals(frame);
    lcp.push(measured.lcp);
    cls.push(measured.cls);
    lcpElements.add(measured.lcpElement);
    timings.push(await documentTiming(frame));
  }
  const p75 = (pick: (timing: (typeof timings)[number]) => number) =>
    Math.round(percentile(timings.map(pick), 0.75));
  await fullPageScreenshot(page, frame, screenshots, { locale, appPath });
  await page.close();
  return {
    locale,
    page: appPath,
    lcpP75Ms: Math.round(percentile(lcp, 0.75)),
    lcpMaxMs: Math.round(Math.max(...lcp)),
    firstByteP75Ms: p75((timing) => timing.firstByte),
    lastByteP75Ms: p75((timing) => timing.lastByte),
    serverP75Ms: p75((timing) => timing.serverApp),
    serverCpuP75Ms: p75((timing) => timing.serverCpu),
    lcpElement: [...lcpElements].join(" "),
    cls: Number(Math.max(...cls).toFixed(4)),
    axeCritical: axe.critical,
    axeSerious: axe.serious,
    axeModerate: axe.moderate,
    axeMinor: axe.minor,
  };
}

const TYPED_CONDITION = " AND orders_count >= 2 AND rfm_segment = 'at_risk'";

/**
 * INP in the segment builder: the merchant types a condition into the rule's text, which the
 * page parses on every key and mirrors in the condition rows. Worst interaction (under 50
 * interactions INP is the worst one).
 */
async function segmentBuilderInp(context: BrowserContext, storeUrl: string) {
  const { page, frame } = await openAdminPage(context, storeUrl, "/app/segments/new", "en");
  const rule = frame.getByLabel("Rule", { exact: true });
  await rule.click();
  await page.keyboard.press("End");
  await frame.evaluate(() => {
    (window as unknown as { __vitals: Vitals }).__vitals.interactions = {};
  });
  await page.keyboard.type(TYPED_CONDITION, { delay: 60 });
  await page.waitForTimeout(1_000);
  const durations = Object.values((await vitals(frame)).interactions);
  await page.close();
  return { slowInteractions: durations.length, inp: Math.max(0, ...durations) };
}

/** A page's name on the command line: its path under /app (`winback/$id`), or `dashboard`. */
export const adminPageName = (route: string) => route.replace(/^\/app\/?/, "") || "dashboard";

/**
 * `npm run bench:admin`: the admin pages of `npm run demo` in Chromium, in English and Persian.
 * Prints warm LCP p75 and CLS per page, INP in the segment builder, axe-core's findings per page
 * and the demo's time to ready, against issue 18's goals; keeps a full-height screenshot of
 * every page in a temporary folder, whose path it prints.
 */
export async function printAdminPageBenchmarks({
  loads,
  pages,
}: {
  loads: number;
  /** Only these pages (by `adminPageName`); every page when absent. */
  pages?: string[];
}) {
  const routes = adminPageRoutes().filter(
    (route) => !pages || pages.includes(adminPageName(route)),
  );
  const unknown = pages?.filter((name) => !adminPageRoutes().map(adminPageName).includes(name));
  if (unknown?.length) {
    throw new Error(
      `no admin page named ${unknown.join(", ")}; the pages: ${adminPageRoutes().map(adminPageName).join(", ")}`,
    );
  }
  const chromium = chromiumExecutable();
  if (!chromium.path) {
    console.log(`skipping the admin benchmark: ${chromium.reason}`);
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "rekindle-bench-admin-"));
  const screenshots = mkdtempSync(path.join(tmpdir(), "rekindle-admin-screens-"));
  const starting = Date.now();
  const demo = await startDemo({ dataDir, orders: 1500, seed: 4242 });
  const secondsToReady = (Date.now() - starting) / 1000;
  const browser = await launchBrowser(chromium.path);
  try {
    const context = await desktopContext(browser);
    await context.addInitScript(WEB_VITALS_RECORDER);
    const ids = await adminPageIds(context, demo.storeUrl);
    const rows = [];
    // Both languages of a page one after the other, so a busy moment on the machine does not
    // land on one language only.
    for (const route of routes) {
      for (const locale of ADMIN_LOCALES) {
        const appPath = fillRoute(route, ids);
        rows.push(await measurePage(context, demo.storeUrl, appPath, locale, loads, screenshots));
      }
    }
    const inp = routes.includes("/app/segments/$id")
      ? await segmentBuilderInp(context, demo.storeUrl)
      : undefined;
    console.log(
      `admin pages on demo data in Chromium (${loads} warm loads each after a first; goals: LCP p75 < ${GOALS.lcpP75Ms} ms, CLS < ${GOALS.cls}; axe: nodes per impact)`,
    );
    console.table(rows);
    const slow = rows.filter((row) => !(row.lcpP75Ms < GOALS.lcpP75Ms) || !(row.cls < GOALS.cls));
    console.log(
      `pages over a goal: ${slow.length ? slow.map((row) => `${row.locale} ${row.page}`).join(", ") : "none"}`,
    );
    if (inp) {
      console.log(
        `segment builder INP, typing ${TYPED_CONDITION.length} keys into the rule: ` +
          (inp.slowInteractions === 0
            ? "under 16 ms (no key press had an event of 16 ms or more)"
            : `${inp.inp.toFixed(0)} ms (worst of ${inp.slowInteractions} key presses with events of 16 ms or more)`) +
          ` (goal < ${GOALS.inpMs} ms)`,
      );
    }
    console.log(
      `demo time-to-ready: ${secondsToReady.toFixed(1)} s (it printed ${/Ready in ([\d.]+) s/.exec(demo.output())?.[1]} s)`,
    );
    console.log(
      `load average while measuring: ${loadavg()
        .map((load) => load.toFixed(2))
        .join(", ")}`,
    );
    console.log(`screenshots (English and Persian): ${screenshots}`);
  } finally {
    await browser.close();
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
