// Bundles the checkout UI extension (extensions/rekindle-thank-you) the way `shopify app build`
// does — esbuild, one ES module from the target's entry, Preact's JSX — so a clone without the
// Shopify CLI can check that it compiles and stays within Shopify's bundle limit.
//
//   npx tsx scripts/build-thank-you-extension.ts   # prints the bundle's size
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleExtension, type ExtensionBundle } from "./extension-bundle";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const THANK_YOU_EXTENSION_DIR = path.join(ROOT, "extensions", "rekindle-thank-you");
const ENTRY = path.join(THANK_YOU_EXTENSION_DIR, "src", "ThankYou.tsx");

/** Shopify refuses UI extensions whose compressed bundle is larger (API 2025-10 and later). */
export const UI_EXTENSION_GZIP_LIMIT = 64 * 1024;

export type { ExtensionBundle };

export function buildThankYouExtension(): Promise<ExtensionBundle> {
  return bundleExtension(ENTRY, THANK_YOU_EXTENSION_DIR, {
    format: "esm",
    jsx: "automatic",
    jsxImportSource: "preact",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const bundle = await buildThankYouExtension();
  console.log(
    `rekindle-thank-you: ${bundle.bytes} B, ${bundle.gzipBytes} B gzip ` +
      `(limit ${UI_EXTENSION_GZIP_LIMIT} B gzip)`,
  );
}
