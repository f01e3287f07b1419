import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_LOCALES,
  adminPageIds,
  adminPageRoutes,
  adminUrl,
  appFrame,
  fillRoute,
  openAdminPage,
} from "./helpers/admin-pages";
import { axeFindings, BLOCKING_IMPACTS, countByImpact } from "./helpers/axe";
import {
  chromiumExecutable,
  desktopContext,
  launchBrowser,
  withFailureScreenshot,
} from "./helpers/browser";
import { startDemo, type RunningDemo } from "./helpers/demo-process";
import { machineWords } from "../helpers/merchant-words";

// Every admin page of `npm run demo`, in English and in Persian (right to left), checked with
// axe-core in Chromium; and a main flow done with the keyboard only.
const chromium = chromiumExecutable();
if (chromium.reason) console.warn(`accessibility checks skipped: ${chromium.reason}`);

let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
const dataDir = mkdtempSync(path.join(tmpdir(), "rekindle-a11y-"));

beforeAll(async () => {
  if (!chromium.path) return;
  demo = await startDemo({ dataDir, orders: 1500, seed: 4242 });
  browser = await launchBrowser(chromium.path);
  context = await desktopContext(browser);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The element inside the app that has the keyboard focus, as a merchant would read it. */
const focused = (frame: Frame) =>
  frame.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      text: (element?.textContent ?? "").trim(),
      label:
        element?.getAttribute("aria-label") ??
        (element as HTMLInputElement)?.labels?.[0]?.textContent ??
        "",
    };
  });

/** Presses `key` (Tab, Shift+Tab) until the focus is on what `wanted` accepts, at most `limit` times. */
async function tabTo(
  page: Page,
  frame: Frame,
  wanted: (element: Awaited<ReturnType<typeof focused>>) => boolean,
  { key = "Tab", limit = 60 } = {},
) {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press(key);
    if (wanted(await focused(frame))) return;
  }
  throw new Error(`${key} never reached the element (${limit} presses)`);
}

describe.runIf(chromium.path)(
  "the admin for a merchant who does not use a mouse or cannot see",
  () => {
    it("every admin page, in English and Persian, has no serious or critical axe-core finding", async () => {
      const ids = await adminPageIds(context, demo.storeUrl);
      const routes = adminPageRoutes();
      // The twelve pages of issue 18 and the failed-updates page, each read from app/routes.
      expect(routes.length).toBeGreaterThanOrEqual(13);
      const rows: string[] = [];
      const blocking: string[] = [];
      let charts = 0;
      for (const locale of ADMIN_LOCALES) {
        for (const route of routes) {
          const appPath = fillRoute(route, ids);
          const { page, frame } = await openAdminPage(context, demo.storeUrl, appPath, locale);
          await withFailureScreenshot(page, `axe-${locale}-${appPath}`, async () => {
            // The page is in the language asked for, with a title of its own.
            const html = await frame.evaluate(() => ({
              lang: document.documentElement.lang,
              dir: document.documentElement.dir,
              title: document.title,
            }));
            expect(html.lang, appPath).toBe(locale);
            expect(html.dir, appPath).toBe(locale === "fa" ? "rtl" : "ltr");
            expect(html.title, appPath).toMatch(/\S+ · Rekindle$/);
            // Nothing on it is a stored value's own name or a machine date.
            const text = await frame.evaluate(() => document.body.innerText);
            expect(machineWords(text), `${locale} ${appPath}`).toEqual([]);
            // Each chart is a figure named by its card's title, with its numbers as a table and
            // no Tab stop in the drawing that assistive technology does not see.
            const figures = await frame.evaluate(() =>
              [...document.querySelectorAll("figure")].map((figure) => ({
                name:
                  document.getElementById(figure.getAttribute("aria-labelledby") ?? "")
                    ?.textContent ?? "",
                tableRows: figure.querySelectorAll("table tbody tr").length,
                tabStops: [...figure.querySelectorAll("[aria-hidden='true'] *")].filter(
                  (element) => (element as HTMLElement).tabIndex >= 0,
                ).length,
              })),
            );
            for (const figure of figures) {
              expect(figure.name, appPath).not.toBe("");
              expect(figure.tableRows, `${appPath}: ${figure.name}`).toBeGreaterThan(0);
              expect(figure.tabStops, `${appPath}: ${figure.name}`).toBe(0);
            }
            charts += figures.length;
            const findings = await axeFindings(frame);
            const counts = countByImpact(findings);
            rows.push(
              `${locale}  ${appPath.padEnd(34)} ${String(counts.critical).padStart(8)} ${String(counts.serious).padStart(7)} ${String(counts.moderate).padStart(8)} ${String(counts.minor).padStart(5)}  ${findings.map((f) => f.rule).join(", ")}`,
            );
            for (const finding of findings.filter((f) => BLOCKING_IMPACTS.includes(f.impact))) {
              blocking.push(
                `${locale} ${appPath}: ${finding.impact} ${finding.rule} (${finding.help}) at ${finding.targets.join("; ")}`,
              );
            }
          });
          await page.close();
        }
      }
      console.log(
        `axe-core findings per admin page (nodes):\n    page                               critical serious moderate minor  rules\n${rows.join("\n")}`,
      );
      expect(blocking).toEqual([]);
      // The dashboard's three charts and the rule's, in both languages (recommendations draws
      // its chart once the storefront has sent events).
      expect(charts).toBeGreaterThanOrEqual(2 * 4);
    }, 600_000);

    it("switches a dashboard chart to its table and back with Space and Enter", async () => {
      const page = await context.newPage();
      await withFailureScreenshot(page, "keyboard-chart-table", async () => {
        await page.goto(adminUrl(demo.storeUrl, "/app", "en"));
        const frame = await appFrame(page);
        await page.waitForLoadState("networkidle");
        await tabTo(
          page,
          frame,
          (element) => element.label === "Show Customers by RFM segment as a table",
        );
        await page.keyboard.press("Space");
        await frame.locator("#report-rfm tbody tr").first().waitFor();
        expect(await frame.locator("#report-rfm tbody tr").count()).toBeGreaterThan(3);
        // The focus stays on the switch, which now offers the chart back.
        expect((await focused(frame)).label).toBe("Show Customers by RFM segment as a chart");
        await page.keyboard.press("Enter");
        await frame.locator("#report-rfm").waitFor({ state: "detached" });
        expect((await focused(frame)).label).toBe("Show Customers by RFM segment as a table");
      });
      await page.close();
    }, 60_000);

    it("saves a segment with Tab, Enter and typing only", async () => {
      const page = await context.newPage();
      await withFailureScreenshot(page, "keyboard-segment", async () => {
        await page.goto(adminUrl(demo.storeUrl, "/app/segments", "en"));
        const frame = await appFrame(page);
        await page.waitForLoadState("networkidle");
        // From the top of the admin into the title bar's "Create segment".
        await tabTo(page, frame, (element) => element.text === "Create segment");
        await page.keyboard.press("Enter");
        await frame.locator("ui-title-bar[title='New segment']").waitFor({ state: "attached" });
        await tabTo(page, frame, (element) => element.tag === "input" && element.label === "Name");
        await page.keyboard.type("Keyboard-only segment");
        // Save sits in the save bar the change opened, before the form.
        await tabTo(page, frame, (element) => element.text === "Save", { key: "Shift+Tab" });
        await page.keyboard.press("Enter");
        await frame
          .locator("ui-title-bar[title='Keyboard-only segment']")
          .waitFor({ state: "attached" });
        expect(new URL(frame.url()).pathname).toMatch(/^\/app\/segments\/\d+$/);
      });
      await page.close();
    }, 60_000);

    it("creates and saves a win-back rule with Tab, Enter, Space and typing only", async () => {
      const page = await context.newPage();
      await withFailureScreenshot(page, "keyboard-winback", async () => {
        await page.goto(adminUrl(demo.storeUrl, "/app/winback", "en"));
        const frame = await appFrame(page);
        await page.waitForLoadState("networkidle");
        // From the top of the admin, through its side nav, into the app's "Create rule".
        await tabTo(page, frame, (element) => element.text === "Create rule");
        await page.keyboard.press("Enter");
        await frame
          .locator("ui-title-bar[title='New win-back rule']")
          .waitFor({ state: "attached" });
        await tabTo(
          page,
          frame,
          (element) => element.tag === "input" && element.label === "Rule name",
        );
        await page.keyboard.type("Keyboard-only win-back");
        // Save sits in the page's header, before the form.
        await tabTo(page, frame, (element) => element.text === "Save", { key: "Shift+Tab" });
        await page.keyboard.press("Space");
        await frame
          .locator("ui-title-bar[title='Keyboard-only win-back']")
          .waitFor({ state: "attached" });
        expect(new URL(frame.url()).pathname).toMatch(/^\/app\/winback\/\d+$/);
        // Back to the list with the keyboard: the new rule is listed there.
        await tabTo(page, frame, (element) => element.text === "Win-back", { key: "Shift+Tab" });
        await page.keyboard.press("Enter");
        await frame.getByRole("link", { name: "Keyboard-only win-back" }).waitFor();
      });
      await page.close();
    }, 180_000);
  },
);
