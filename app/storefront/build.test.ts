// The compiled storefront scripts are committed into the theme app extension (Shopify serves
// them as they are). This rebuilds them into a temporary folder and checks that the committed
// files are exactly that build, and that every asset stays within its size budget.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ASSETS_DIR,
  buildThemeAssets,
  formatSize,
  gzipSize,
  type BuiltAsset,
} from "../../scripts/build-theme-assets";

/** Every storefront script stays under 5 KB compressed (the placements' budget). */
const JS_GZIP_BUDGET = 5 * 1024;
/** Theme Check's AssetSizeAppBlockJavaScript threshold (raw bytes) for app extensions. */
const JS_RAW_BUDGET = 10_000;
const CSS_GZIP_BUDGET = 4 * 1024;

let outDir = "";
let fresh: BuiltAsset[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "rekindle-theme-assets-"));
  fresh = await buildThemeAssets(outDir);
});

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("theme app extension assets", () => {
  it("builds one script per storefront entry point", () => {
    expect(fresh.map((asset) => asset.name)).toEqual([
      "card-cart.js",
      "frequently-bought-together.js",
      "recently-viewed.js",
      "recommendations.js",
      "winback-banner.js",
    ]);
  });

  it("has committed assets identical to a fresh build (run `npx tsx scripts/build-theme-assets.ts`)", async () => {
    const committedScripts = (await readdir(ASSETS_DIR)).filter((file) => file.endsWith(".js"));
    expect(committedScripts.sort()).toEqual(fresh.map((asset) => asset.name));
    for (const asset of fresh) {
      const committed = await readFile(path.join(ASSETS_DIR, asset.name), "utf8");
      const rebuilt = await readFile(path.join(outDir, asset.name), "utf8");
      expect(committed, `${asset.name} drifted from app/storefront sources`).toBe(rebuilt);
    }
  });

  it("keeps every asset within its size budget", async () => {
    const lines: string[] = [];
    for (const file of (await readdir(ASSETS_DIR)).sort()) {
      const contents = await readFile(path.join(ASSETS_DIR, file));
      const gzip = gzipSize(contents);
      lines.push(formatSize(file, contents.byteLength, gzip));
      if (file.endsWith(".js")) {
        expect(gzip, `${file} gzip`).toBeLessThan(JS_GZIP_BUDGET);
        expect(contents.byteLength, `${file} raw (theme check)`).toBeLessThan(JS_RAW_BUDGET);
      } else if (file.endsWith(".css")) {
        expect(gzip, `${file} gzip`).toBeLessThan(CSS_GZIP_BUDGET);
      }
    }
    // eslint-disable-next-line no-console -- the sizes are part of the test's report
    console.log(`Theme app extension asset sizes:\n${lines.join("\n")}`);
  });

  it("ships self-contained scripts that only talk to the app proxy and the theme's cart", () => {
    for (const asset of fresh) {
      const code = new TextDecoder().decode(asset.contents);
      expect(code.startsWith('"use strict";(()=>{'), asset.name).toBe(true);
      expect(code, asset.name).not.toMatch(/\bimport\(|\brequire\(|console\./);
      // No absolute URLs to other hosts: the only requests go to /apps/rekindle on the shop.
      const hosts = code.match(/https?:\/\/[\w.-]+/g) ?? [];
      expect(hosts, asset.name).toEqual([]);
      // The cart script only adds to the cart; every other script reads the app proxy.
      expect(code, asset.name).toContain(
        asset.name === "card-cart.js" ? "cart/add.js" : "/apps/rekindle",
      );
    }
  });
});
