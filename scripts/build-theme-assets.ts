// Compiles the storefront scripts (app/storefront/*.ts, one entry per top-level file; shared
// code lives in app/storefront/lib/) into the theme app extension's assets as self-contained,
// minified IIFE bundles. The output is committed: Shopify serves extension assets as they are,
// without a build step. app/storefront/build.test.ts rebuilds and fails on any drift.
//
//   npx tsx scripts/build-theme-assets.ts            # write extensions/rekindle-storefront/assets
//   npx tsx scripts/build-theme-assets.ts --out DIR  # write elsewhere (used by the drift test)
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE_DIR = path.join(ROOT, "app", "storefront");
export const EXTENSION_DIR = path.join(ROOT, "extensions", "rekindle-storefront");
export const ASSETS_DIR = path.join(EXTENSION_DIR, "assets");

/** ES2020: every browser with autonomous custom elements and IntersectionObserver runs it. */
export const TARGET = ["es2020"];

export interface BuiltAsset {
  /** File name inside assets/, e.g. `recommendations.js`. */
  name: string;
  contents: Uint8Array;
  bytes: number;
  gzipBytes: number;
}

/** Entry points: top-level `app/storefront/*.ts`, not tests. */
export function entryPoints(): string[] {
  return readdirSync(SOURCE_DIR)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .sort()
    .map((file) => path.join(SOURCE_DIR, file));
}

export function gzipSize(contents: Uint8Array): number {
  return gzipSync(contents, { level: 9 }).length;
}

/** Builds every entry and writes it to `outDir` (default: the extension's assets/). */
export async function buildThemeAssets(outDir?: string): Promise<BuiltAsset[]> {
  const result = await build({
    entryPoints: entryPoints(),
    outdir: outDir ?? ASSETS_DIR,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: TARGET,
    charset: "utf8",
    legalComments: "none",
    sourcemap: false,
    write: false,
    logLevel: "silent",
  });
  const assets = result.outputFiles
    .map((file) => ({
      name: path.basename(file.path),
      contents: file.contents,
      bytes: file.contents.byteLength,
      gzipBytes: gzipSize(file.contents),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const target = outDir ?? ASSETS_DIR;
  await mkdir(target, { recursive: true });
  await Promise.all(
    assets.map((asset) => writeFile(path.join(target, asset.name), asset.contents)),
  );
  return assets;
}

export function formatSize(name: string, bytes: number, gzipBytes: number): string {
  return `${name.padEnd(24)} ${String(bytes).padStart(6)} B  ${String(gzipBytes).padStart(6)} B gzip`;
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf("--out");
  const outDir = outIndex > -1 ? path.resolve(process.argv[outIndex + 1] ?? "") : undefined;
  const assets = await buildThemeAssets(outDir);
  for (const asset of assets) {
    console.log(formatSize(asset.name, asset.bytes, asset.gzipBytes));
  }
  console.log(
    `Wrote ${assets.length} file(s) to ${path.relative(process.cwd(), outDir ?? ASSETS_DIR)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
