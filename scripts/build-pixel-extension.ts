// Bundles the web pixel extension (extensions/rekindle-pixel) the way `shopify app build` does:
// esbuild, one self-contained script from src/index.ts. The simulated store serves this bundle
// to its storefront's pixel sandbox, and a test holds it under the size budget.
//
//   npx tsx scripts/build-pixel-extension.ts   # writes dist/rekindle-pixel.js, prints its size
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleExtension, type ExtensionBundle } from "./extension-bundle";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PIXEL_EXTENSION_DIR = path.join(ROOT, "extensions", "rekindle-pixel");
const ENTRY = path.join(PIXEL_EXTENSION_DIR, "src", "index.ts");
const OUTPUT = path.join(PIXEL_EXTENSION_DIR, "dist", "rekindle-pixel.js");

/** Our budget for what every storefront page loads (Shopify's own limit is 128 KB). */
export const PIXEL_GZIP_BUDGET = 5 * 1024;

export function buildPixelExtension(): Promise<ExtensionBundle> {
  // A classic script: the sandbox worker loads it with importScripts.
  return bundleExtension(ENTRY, PIXEL_EXTENSION_DIR, { format: "iife", legalComments: "none" });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const bundle = await buildPixelExtension();
  await mkdir(path.dirname(OUTPUT), { recursive: true });
  await writeFile(OUTPUT, bundle.code);
  console.log(
    `rekindle-pixel: ${bundle.bytes} B, ${bundle.gzipBytes} B gzip (budget ${PIXEL_GZIP_BUDGET} B gzip)`,
  );
}
