import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Debian's Chromium (installed by .ci/run), or why browser tests cannot run here. */
export function chromiumExecutable(): { path?: string; reason?: string } {
  const found = CANDIDATES.find((candidate) => candidate && existsSync(candidate));
  return found
    ? { path: found }
    : { reason: "Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)" };
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--metrics-recording-only",
    ],
  });
}

/**
 * A browser context that presents itself as desktop Chrome, as a merchant's browser would.
 * (Headless Chromium's own "HeadlessChrome" user agent also loads the admin, whose requests
 * carry session tokens; a request without one, e.g. the login page, would get the library's
 * bot answer, 410.)
 */
export function desktopContext(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  });
}

/**
 * This run's screenshots, in a fresh temporary folder (never in the repository: they are what
 * the last run looked like, not something a test compares against). Kept after the run.
 */
export const ARTIFACTS_DIR = mkdtempSync(path.join(tmpdir(), "rekindle-e2e-"));

/** Runs `body`; when it throws, keeps a full-page screenshot in ARTIFACTS_DIR. */
export async function withFailureScreenshot<T>(page: Page, name: string, body: () => Promise<T>) {
  try {
    return await body();
  } catch (error) {
    const file = path.join(ARTIFACTS_DIR, `${name.replace(/\W+/g, "-")}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw Object.assign(error as Error, {
      message: `${(error as Error).message}\n(screenshot: ${file})`,
    });
  }
}
