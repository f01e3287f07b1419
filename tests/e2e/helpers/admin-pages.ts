import path from "node:path";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { adminRoutePaths } from "../../helpers/admin-route-files";

/** The languages every admin page is checked in: English, and Persian for right-to-left. */
export const ADMIN_LOCALES = ["en", "fa"] as const;
export type AdminPageLocale = (typeof ADMIN_LOCALES)[number];

/** Every page of the embedded admin as a URL path with its parameters (`/app/customers/$id`). */
export const adminPageRoutes = (): string[] => adminRoutePaths({ pagesOnly: true });

/** `/app/customers/$id` with `{ customers: "42" }` → `/app/customers/42`. */
export function fillRoute(route: string, ids: Record<string, string>): string {
  return route.replace(/\/([\w-]+)\/\$id/, (_, parent: string) => {
    const id = ids[parent];
    if (!id) throw new Error(`no id to open ${route} with`);
    return `/${parent}/${id}`;
  });
}

/** The simulated admin's address for an app page: `/app/sync` → `/admin/apps/rekindle/sync`. */
export function adminUrl(storeUrl: string, appPath: string, locale: AdminPageLocale) {
  return `${storeUrl}/admin/apps/rekindle${appPath.replace(/^\/app/, "")}?locale=${locale}`;
}

/** The app's document inside the admin page, once it has loaded. */
export async function appFrame(page: Page): Promise<Frame> {
  const frame = await (await page.waitForSelector("#app-iframe")).contentFrame();
  if (!frame) throw new Error("the admin shows no app frame");
  await frame.waitForLoadState("load");
  return frame;
}

/**
 * Waits until the charts on screen are drawn: they render in the browser only, each once its box
 * reaches the screen (app/components/ChartFigure.tsx), from the lazily loaded chart library.
 */
export async function chartsOnScreenDrawn(frame: Frame) {
  await frame.waitForFunction(() =>
    [...document.querySelectorAll("figure > [aria-hidden='true']")]
      .filter((chart) => {
        const box = chart.getBoundingClientRect();
        return box.top < window.innerHeight && box.bottom > 0;
      })
      .every((chart) => chart.querySelector("svg")),
  );
}

/**
 * Opens an app page in the admin as a merchant would and waits until it has settled: its
 * document loaded, no request in flight, the charts on screen drawn.
 */
export async function openAdminPage(
  context: BrowserContext,
  storeUrl: string,
  appPath: string,
  locale: AdminPageLocale,
): Promise<{ page: Page; frame: Frame }> {
  const page = await context.newPage();
  await page.goto(adminUrl(storeUrl, appPath, locale));
  const frame = await appFrame(page);
  await page.waitForLoadState("networkidle");
  await chartsOnScreenDrawn(frame);
  return { page, frame };
}

/**
 * Every page at its full height, as a merchant scrolling it would see it, in `folder`, named by
 * its language and path (`fa-app-segments-new.png`); returns the file's name.
 */
export async function fullPageScreenshot(
  page: Page,
  frame: Frame,
  folder: string,
  { locale, appPath }: { locale: AdminPageLocale; appPath: string },
): Promise<string> {
  const name = `${locale}${appPath.replace(/\W+/g, "-")}.png`;
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: viewport.width, height: Math.min(8_000, height) });
  // Every chart is on screen now, and draws.
  await chartsOnScreenDrawn(frame);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(folder, name) });
  await page.setViewportSize(viewport);
  return name;
}

/** The first id the page links to under `/app/<parent>/`, e.g. a customer from the list. */
async function firstLinkedId(frame: Frame, parent: string): Promise<string> {
  const hrefs = await frame.$$eval("a[href]", (links) =>
    links.map((link) => link.getAttribute("href") ?? ""),
  );
  const id = hrefs
    .map((href) => new RegExp(`^/app/${parent}/(\\d+)`).exec(href)?.[1])
    .find((found) => found !== undefined);
  if (!id) throw new Error(`the page links to no /app/${parent}/<id>`);
  return id;
}

/**
 * The ids the `$id` pages open with: a customer, a win-back rule and a messaging flow, as their
 * lists link them.
 */
export async function adminPageIds(
  context: BrowserContext,
  storeUrl: string,
): Promise<Record<string, string>> {
  // A segment's page opens as a new segment: the demo shop has none saved.
  const ids: Record<string, string> = { segments: "new" };
  for (const parent of ["customers", "winback", "flows"]) {
    const { page, frame } = await openAdminPage(context, storeUrl, `/app/${parent}`, "en");
    ids[parent] = await firstLinkedId(frame, parent);
    await page.close();
  }
  return ids;
}
