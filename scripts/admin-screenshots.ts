import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ADMIN_LOCALES,
  adminPageIds,
  adminPageRoutes,
  fillRoute,
  fullPageScreenshot,
  openAdminPage,
} from "../tests/e2e/helpers/admin-pages";
import { chromiumExecutable, desktopContext, launchBrowser } from "../tests/e2e/helpers/browser";
import { startDemo } from "../tests/e2e/helpers/demo-process";

/**
 * `npm run screenshots`: every admin page of `npm run demo`, in English and in Persian (right to
 * left), at its full height in Chromium, written to a new temporary folder (never the
 * repository), whose path it prints. `npm run bench:admin` takes the same pictures while it
 * measures; this is the quicker way to look at the pages.
 */
const chromium = chromiumExecutable();
if (!chromium.path) {
  console.log(`no screenshots: ${chromium.reason}`);
  process.exit(0);
}
const dataDir = mkdtempSync(path.join(tmpdir(), "rekindle-screenshots-data-"));
const folder = mkdtempSync(path.join(tmpdir(), "rekindle-admin-screens-"));
const demo = await startDemo({ dataDir, orders: 1500, seed: 4242 });
const browser = await launchBrowser(chromium.path);
try {
  const context = await desktopContext(browser);
  const ids = await adminPageIds(context, demo.storeUrl);
  for (const route of adminPageRoutes()) {
    for (const locale of ADMIN_LOCALES) {
      const appPath = fillRoute(route, ids);
      const { page, frame } = await openAdminPage(context, demo.storeUrl, appPath, locale);
      console.log(await fullPageScreenshot(page, frame, folder, { locale, appPath }));
      await page.close();
    }
  }
  console.log(`screenshots (English and Persian): ${folder}`);
} finally {
  await browser.close();
  await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
// The demo's child processes and the structured logger's transport would keep it alive.
process.exit(0);
