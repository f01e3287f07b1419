// Theme Check on the theme app extension, with Shopify's app-extension rule set
// (`theme-check:theme-app-extension`: recommended checks plus AppBlockValidTags,
// AppBlockMissingSchema and the AssetSizeAppBlock* budgets, in "app" context).
//
//   npx tsx scripts/theme-check.ts [extension-dir]
//
// Prints every offense; exits 1 on any error-severity offense or any AssetSize* offense.
// Note: @shopify/theme-check-node first tries to refresh its Liquid docs from
// raw.githubusercontent.com and falls back to the copy bundled in node_modules when offline.
import { Severity, themeCheckRun, type Offense } from "@shopify/theme-check-node";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const EXTENSION_ROOT = path.join(ROOT, "extensions", "rekindle-storefront");
export const THEME_CHECK_CONFIG = "theme-check:theme-app-extension";

export interface ThemeCheckResult {
  offenses: Offense[];
  /** Offenses that fail the run: errors and every AssetSize* check, whatever its severity. */
  failing: Offense[];
  filesChecked: number;
}

const SEVERITY_NAMES: Record<number, string> = {
  [Severity.ERROR]: "error",
  [Severity.WARNING]: "warning",
  [Severity.INFO]: "info",
};

export const isFailing = (offense: Offense): boolean =>
  offense.severity === Severity.ERROR || offense.check.startsWith("AssetSize");

export async function runThemeCheck(root: string = EXTENSION_ROOT): Promise<ThemeCheckResult> {
  const { offenses, theme } = await themeCheckRun(path.resolve(root), THEME_CHECK_CONFIG);
  return { offenses, failing: offenses.filter(isFailing), filesChecked: theme.length };
}

export function formatOffense(offense: Offense, root: string = EXTENSION_ROOT): string {
  const file = path.relative(root, fileURLToPath(offense.uri));
  const where = `${file}:${offense.start.line}:${offense.start.character + 1}`;
  const severity = SEVERITY_NAMES[offense.severity] ?? String(offense.severity);
  return `${severity.padEnd(7)} ${where} ${offense.check}: ${offense.message}`;
}

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? EXTENSION_ROOT);
  const { offenses, failing, filesChecked } = await runThemeCheck(root);
  for (const offense of offenses) console.log(formatOffense(offense, root));
  console.log(
    `theme-check (${THEME_CHECK_CONFIG}): ${filesChecked} files, ${offenses.length} offense(s), ` +
      `${failing.length} failing`,
  );
  if (failing.length > 0) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
