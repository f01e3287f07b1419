// Every storefront string and every theme-editor label of the theme app extension is
// translated: keys used in the Liquid files exist in every locale, and all locales have exactly
// the default locale's keys (no missing, no extra, no unused).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "../../scripts/build-theme-assets";

const LOCALES_DIR = path.join(EXTENSION_DIR, "locales");
const SHOPPER_LOCALES = ["tr", "ms", "te", "zh-CN", "fa"];

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const readLocale = (file: string) =>
  flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, file), "utf8")) as Tree);

function liquidSources(): { file: string; source: string }[] {
  return ["blocks", "snippets"].flatMap((dir) =>
    readdirSync(path.join(EXTENSION_DIR, dir))
      .filter((file) => file.endsWith(".liquid"))
      .map((file) => ({
        file: `${dir}/${file}`,
        source: readFileSync(path.join(EXTENSION_DIR, dir, file), "utf8"),
      })),
  );
}

/** `{{ 'a.b' | t }}` / `'a.b' | t: x: y` keys (storefront strings). */
function storefrontKeys(): Set<string> {
  const keys = new Set<string>();
  for (const { source } of liquidSources()) {
    for (const match of source.matchAll(/['"]([\w.-]+)['"]\s*\|\s*t\b/g)) keys.add(match[1] ?? "");
  }
  return keys;
}

/** `"t:a.b"` keys inside `{% schema %}` (theme editor labels). */
function schemaKeys(): Set<string> {
  const keys = new Set<string>();
  for (const { source } of liquidSources()) {
    const schema = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source)?.[1];
    for (const match of (schema ?? "").matchAll(/"t:([\w.-]+)"/g)) keys.add(match[1] ?? "");
  }
  return keys;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);

describe("theme app extension locales", () => {
  const files = readdirSync(LOCALES_DIR).sort();

  it("has a storefront and a schema file for English (default) and each shopper locale", () => {
    const expected = ["en.default", ...SHOPPER_LOCALES].flatMap((locale) => [
      `${locale}.json`,
      `${locale}.schema.json`,
    ]);
    expect(files).toEqual(expected.sort());
  });

  for (const [kind, defaultFile, usedKeys] of [
    ["storefront", "en.default.json", storefrontKeys()],
    ["schema", "en.default.schema.json", schemaKeys()],
  ] as const) {
    describe(`${kind} strings`, () => {
      const defaults = readLocale(defaultFile);
      const localeFiles = files.filter(
        (file) => file !== defaultFile && (kind === "schema") === file.endsWith(".schema.json"),
      );

      it("are used by the Liquid files", () => {
        expect(usedKeys.size).toBeGreaterThan(5);
      });

      it("cover every key the Liquid files use, and only those", () => {
        expect([...usedKeys].filter((key) => !defaults.has(key))).toEqual([]);
        expect([...defaults.keys()].filter((key) => !usedKeys.has(key))).toEqual([]);
      });

      for (const file of localeFiles) {
        it(`${file} has exactly the default keys, translated, with the same placeholders`, () => {
          const translated = readLocale(file);
          expect([...translated.keys()].sort()).toEqual([...defaults.keys()].sort());
          for (const [key, english] of defaults) {
            const text = translated.get(key) ?? "";
            expect(text.trim(), `${file} ${key}`).not.toBe("");
            expect(placeholders(text), `${file} ${key}`).toEqual(placeholders(english));
          }
        });
      }
    });
  }

  it("keeps block names within Shopify's 25 characters in every language", () => {
    for (const file of files.filter((f) => f.endsWith(".schema.json"))) {
      const strings = readLocale(file);
      for (const key of ["blocks.recommendations.name", "blocks.winback_banner.name"]) {
        expect([...(strings.get(key) ?? "")].length, `${file} ${key}`).toBeLessThanOrEqual(25);
      }
    }
  });

  it("avoids characters that would need escaping inside HTML attributes", () => {
    // Storefront strings are output into data-/aria- attributes with `| t`.
    for (const file of files.filter((f) => !f.endsWith(".schema.json"))) {
      for (const [key, text] of readLocale(file)) {
        expect(text, `${file} ${key}`).not.toMatch(/["<>&]/);
      }
    }
  });
});
