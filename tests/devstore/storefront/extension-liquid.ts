// liquidjs set up to render the theme app extension as a Shopify theme would: Shopify's own
// filters and tags stubbed minimally (`t` from the extension's locale file, `asset_url`, a silent
// `{% schema %}`). Used by the extension's markup tests and the simulated storefront.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";
import { EXTENSION_DIR } from "../../../scripts/build-theme-assets";

/** Where the storefront serves the extension's assets (what `asset_url` points at). */
export const EXTENSION_ASSET_PATH = "/cdn/shop/extensions/rekindle/assets/";

type Tree = { [key: string]: string | Tree };
const strings = JSON.parse(
  readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.json"), "utf8"),
) as Tree;

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`,
  );

export function createExtensionEngine(): Liquid {
  const engine = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
  });
  // Shopify's `t`: look the key up, interpolate `{{ name }}`, escape unless the key ends in _html.
  engine.registerFilter("t", (key: string, ...args: [string, unknown][]) => {
    let value: string | Tree | undefined = strings;
    for (const part of key.split(".")) value = typeof value === "object" ? value[part] : undefined;
    if (typeof value !== "string") throw new Error(`translation missing: ${key}`);
    const vars = Object.fromEntries(args);
    const text = value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
      String(vars[name] ?? ""),
    );
    return key.endsWith("_html") ? text : escapeHtml(text);
  });
  engine.registerFilter("asset_url", (name: string) => `${EXTENSION_ASSET_PATH}${name}`);
  // Shopify's `image_url: width: n` on an image object `{ src }` (the CDN resizes by `width`).
  engine.registerFilter(
    "image_url",
    (image: { src?: string } | null, ...args: [string, unknown][]) => {
      const width = Object.fromEntries(args).width;
      return image?.src ? `${image.src}${width ? `?width=${String(width)}` : ""}` : "";
    },
  );
  engine.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid);
        while (remainTokens.length > 0) {
          const next = remainTokens.shift() as TopLevelToken & { name?: string };
          if (next.name === "endschema") return;
        }
        throw new Error("{% schema %} is not closed");
      }
      *render(_context: unknown, _emitter: Emitter): Generator<never, void, unknown> {}
    },
  );
  return engine;
}
