// Renders the theme app extension's blocks with liquidjs (Shopify's own filters/tags stubbed
// minimally: `t` from en.default.json, `asset_url`, a silent `{% schema %}`) and checks the
// markup contract the storefront scripts and the end-to-end tests rely on.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "../../scripts/build-theme-assets";
import { createExtensionEngine } from "../../tests/devstore/storefront/extension-liquid";

const engine = createExtensionEngine();
const render = (block: string, scope: Record<string, unknown>) =>
  engine.renderFile(block, {
    routes: { root_url: "/" },
    request: { design_mode: false },
    template: { name: "index" },
    ...scope,
  }) as Promise<string>;

const NAMED: Record<string, string> = { quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" };
/** HTML attribute-value decoding (what the browser does before the script reads dataset). */
const decode = (text: string) =>
  text.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (entity, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#X"))
      return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number(body.slice(1)));
    return NAMED[body] ?? entity;
  });

/** Attributes of the first `<tag ...>` in `html` (valueless attributes map to ""). */
function attributes(html: string, tag: string): Record<string, string> {
  const open = new RegExp(`<${tag}\\b([^>]*)>`).exec(html);
  if (!open) throw new Error(`<${tag}> not found`);
  const attrs: Record<string, string> = {};
  for (const match of (open[1] ?? "").matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) {
    attrs[match[1] ?? ""] = decode(match[2] ?? "");
  }
  return attrs;
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

function recommendationsBlock(settings: Record<string, unknown> = {}) {
  return {
    id: "AbC123",
    shopify_attributes: 'data-shopify-editor-block="{}"',
    settings: { heading: "", product_count: 4, layout: "grid", show_price: true, ...settings },
  };
}

describe("blocks/recommendations.liquid", () => {
  it("renders the custom element with the proxy contract on a product page", async () => {
    const html = await render("recommendations", {
      block: recommendationsBlock({ product_count: 6 }),
      template: { name: "product" },
      product: { id: 123456789 },
    });
    const host = attributes(html, "rekindle-recommendations");
    expect(host).toMatchObject({
      id: "RekindleRecs-AbC123",
      "data-proxy-url": "/apps/rekindle",
      "data-context": "product",
      "data-product-id": "123456789",
      "data-product-ids": "",
      "data-limit": "6",
      "data-layout": "grid",
      "data-show-price": "true",
      "data-root-url": "/",
      "data-design-mode": "false",
      "data-i18n-price": "Price",
      "data-i18n-sale-price": "Sale price",
      "data-i18n-regular-price": "Regular price",
      "data-i18n-sale": "Sale",
      "data-shopify-editor-block": "{}",
    });
    expect(host["data-i18n-editor-empty"]).toMatch(/^No recommendations/);
  });

  it("reserves the final space with one placeholder card per product", async () => {
    const html = await render("recommendations", {
      block: recommendationsBlock({ product_count: 6 }),
    });
    const list = attributes(html, "ul");
    expect(list).toMatchObject({ "data-rk-list": "", "aria-busy": "true" });
    expect(list.class).toContain("rk-recs__list--grid");
    expect(count(html, 'class="rk-recs__item rk-recs__item--placeholder" aria-hidden="true"')).toBe(
      6,
    );
    expect(count(html, 'class="rk-card__media"')).toBe(6);
    expect(count(html, 'class="rk-card__price"')).toBe(6);
    // The placeholders' size comes from the stylesheet: square media + fixed text lines.
    const css = readFileSync(path.join(EXTENSION_DIR, "assets", "recommendations.css"), "utf8");
    expect(css).toMatch(/\.rk-card__media\s*\{[^}]*aspect-ratio:\s*1 \/ 1/);
    expect(css).toMatch(/\.rk-card__title\s*\{[^}]*block-size:\s*2\.8em/);
    expect(css).toMatch(/\.rk-card__price\s*\{[^}]*block-size:\s*1\.5em/);
  });

  it("drops the price line from placeholders when prices are hidden", async () => {
    const html = await render("recommendations", {
      block: recommendationsBlock({ product_count: 3, show_price: false }),
    });
    expect(attributes(html, "rekindle-recommendations")["data-show-price"]).toBe("false");
    expect(count(html, "rk-recs__item--placeholder")).toBe(3);
    expect(count(html, 'class="rk-card__price"')).toBe(0);
  });

  it("labels the section with its heading: the translated default, or the merchant's (escaped)", async () => {
    const html = await render("recommendations", { block: recommendationsBlock() });
    expect(attributes(html, "section")["aria-labelledby"]).toBe("RekindleRecs-AbC123-heading");
    expect(attributes(html, "h2").id).toBe("RekindleRecs-AbC123-heading");
    expect(html).toMatch(/<h2[^>]*>Recommended for you<\/h2>/);

    const custom = await render("recommendations", {
      block: recommendationsBlock({ heading: "  Picks <for> you  " }),
    });
    expect(custom).toMatch(/<h2[^>]*>Picks &lt;for&gt; you<\/h2>/);
  });

  it("hides itself without JavaScript", async () => {
    const html = await render("recommendations", { block: recommendationsBlock() });
    expect(html).toMatch(/<noscript>\s*<style>\s*#RekindleRecs-AbC123 \{ display: none; \}/);
  });

  it("passes nothing page-specific on the home page, and says which page it is on", async () => {
    const home = await render("recommendations", { block: recommendationsBlock() });
    expect(attributes(home, "rekindle-recommendations")).toMatchObject({
      "data-context": "home",
      "data-product-id": "",
      "data-product-ids": "",
    });
    const collection = await render("recommendations", {
      block: recommendationsBlock(),
      template: { name: "collection" },
    });
    expect(attributes(collection, "rekindle-recommendations")["data-context"]).toBe("collection");
  });

  it("adds labelled previous/next buttons only to the carousel", async () => {
    const grid = await render("recommendations", { block: recommendationsBlock() });
    expect(grid).not.toContain("data-rk-nav");

    const html = await render("recommendations", {
      block: recommendationsBlock({ layout: "carousel" }),
    });
    expect(attributes(html, "rekindle-recommendations")["data-layout"]).toBe("carousel");
    expect(attributes(html, "ul").class).toContain("rk-recs__list--carousel");
    const prev = attributes(html, "button");
    expect(prev).toMatchObject({
      type: "button",
      "data-rk-prev": "",
      "aria-controls": "RekindleRecs-AbC123-list",
      "aria-label": "Previous products",
    });
    expect(html).toContain('aria-label="Next products"');
    expect(count(html, 'class="rk-icon rk-icon--previous"')).toBe(1);
    expect(count(html, 'class="rk-icon rk-icon--next"')).toBe(1);
  });

  it("falls back to a grid for unknown layouts", async () => {
    const html = await render("recommendations", { block: recommendationsBlock({ layout: "x" }) });
    expect(attributes(html, "rekindle-recommendations")["data-layout"]).toBe("grid");
  });
});

describe("blocks/cart-recommendations.liquid", () => {
  const cart = { items: [{ product_id: 11 }, { product_id: 22 }, { product_id: 11 }] };

  it("asks for the cart placement with the cart's product ids, each once", async () => {
    const html = await render("cart-recommendations", {
      block: recommendationsBlock({ product_count: 3 }),
      template: { name: "cart" },
      cart,
    });
    expect(attributes(html, "rekindle-recommendations")).toMatchObject({
      id: "RekindleRecs-AbC123",
      "data-context": "cart",
      "data-product-id": "",
      "data-product-ids": "11,22",
      "data-limit": "3",
      "data-proxy-url": "/apps/rekindle",
      "data-root-url": "/",
      "data-i18n-add": "Add to cart",
    });
    expect(count(html, "rk-recs__item--placeholder")).toBe(3);
  });

  it("has its own default heading, and the merchant's when set", async () => {
    const html = await render("cart-recommendations", {
      block: recommendationsBlock(),
      template: { name: "cart" },
      cart,
    });
    expect(html).toMatch(/<h2[^>]*>You may also like<\/h2>/);
    const custom = await render("cart-recommendations", {
      block: recommendationsBlock({ heading: "Complete the look" }),
      template: { name: "cart" },
      cart,
    });
    expect(custom).toMatch(/<h2[^>]*>Complete the look<\/h2>/);
  });

  it("is offered on the cart template only, and the general block no longer is", () => {
    const templates = (block: string) => {
      const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
      const json = /\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source)?.[1];
      return (JSON.parse(json ?? "{}") as { templates?: string[] }).templates;
    };
    expect(templates("cart-recommendations")).toEqual(["cart"]);
    expect(templates("recommendations")).not.toContain("cart");
  });
});

function bannerBlock(settings: Record<string, unknown> = {}) {
  return {
    id: "Wb9",
    settings: {
      position: "bottom",
      background: "#1f2937",
      text: "#ffffff",
      button_background: "#ffffff",
      button_text: "#1f2937",
      ...settings,
    },
  };
}

describe("blocks/winback-banner.liquid", () => {
  it("renders nothing for a guest", async () => {
    const html = await render("winback-banner", { block: bannerBlock(), customer: null });
    expect(html.trim()).toBe("");
  });

  it("renders a hidden banner shell for a logged-in customer (offer fetched by the script)", async () => {
    const html = await render("winback-banner", {
      block: bannerBlock(),
      customer: { id: 1, metafields: {} },
      template: { name: "product" },
    });
    const host = attributes(html, "rekindle-winback-banner");
    expect(host).toMatchObject({
      id: "RekindleWinback-Wb9",
      class: "rk-wb rk-wb--bottom",
      "data-proxy-url": "/apps/rekindle",
      "data-context": "product",
      "data-offer": "",
      "data-i18n-expires": "Valid until %DATE%",
      "data-i18n-copied": "Code copied",
      "data-i18n-copy-failed": "Select the code to copy it",
      hidden: "",
    });
    expect(host.style).toContain("--rk-wb-bg: #1f2937;");
    expect(host).not.toHaveProperty("data-preview");
    expect(attributes(html, "div")).toMatchObject({
      class: "rk-wb__region",
      role: "region",
      "aria-label": "Your personal offer",
      "aria-live": "polite",
      "data-rk-region": "",
    });
    expect(html).toContain("<template data-rk-template>");
    for (const hook of [
      "data-rk-title",
      "data-rk-offer",
      "data-rk-code",
      "data-rk-expiry",
      "data-rk-status",
    ]) {
      expect(html).toContain(hook);
    }
    expect(html).toMatch(
      /<button type="button" class="rk-wb__copy" data-rk-copy>Copy code<\/button>/,
    );
    expect(html).toContain('aria-label="Dismiss offer"');
  });

  it("passes the app-owned metafield offer inline when Liquid can read it", async () => {
    const offer = {
      id: "offer-1",
      code: "WINBACK-AB12CD",
      title: `15% off "your" next order`,
      discountText: "15% off",
      expiresAt: "2026-12-31T23:59:59Z",
    };
    const html = await render("winback-banner", {
      block: bannerBlock({ position: "top" }),
      customer: { id: 1, metafields: { "$app:rekindle": { winback_offer: { value: offer } } } },
    });
    const host = attributes(html, "rekindle-winback-banner");
    expect(host.class).toBe("rk-wb rk-wb--top");
    expect(host["data-context"]).toBe("home");
    expect(JSON.parse(host["data-offer"] ?? "")).toEqual(offer);
  });

  it("shows a preview (no customer, no requests) in the theme editor", async () => {
    const html = await render("winback-banner", {
      block: bannerBlock(),
      customer: null,
      request: { design_mode: true },
      template: { name: "page" },
    });
    const host = attributes(html, "rekindle-winback-banner");
    expect(host).toMatchObject({
      "data-preview": "true",
      "data-offer": "",
      "data-context": "",
    });
    expect(host["data-i18n-preview-title"]).toMatch(/^Preview:/);
  });
});

describe("blocks/frequently-bought-together.liquid", () => {
  const block = (settings: Record<string, unknown> = {}) => ({
    id: "Fb1",
    shopify_attributes: "",
    settings: { heading: "", product_count: 2, show_price: true, ...settings },
  });
  const product = (available: boolean) => ({
    id: 42,
    title: "Tea & <Cups>",
    featured_image: { src: "//shop.example/cdn/shop/files/tea.jpg" },
    selected_or_first_available_variant: { id: 9223372036854775807n, price: 1250, available },
  });

  it("renders the current product checked, the reserved rows and a disabled add button", async () => {
    const html = await render("frequently-bought-together", {
      block: block({ product_count: 3 }),
      template: { name: "product" },
      product: product(true),
    });
    expect(attributes(html, "rekindle-fbt")).toMatchObject({
      id: "RekindleFbt-Fb1",
      "data-product-id": "42",
      "data-limit": "3",
      "data-show-price": "true",
      "data-i18n-added": "Added to cart",
    });
    // The variant id keeps all its digits; the title is escaped.
    expect(attributes(html, "li")).toMatchObject({
      "data-variant-id": "9223372036854775807",
      "data-cents": "1250",
    });
    expect(attributes(html, "input")).toHaveProperty("checked");
    expect(html).toContain("This item:\n            Tea &amp; &lt;Cups&gt;");
    expect(attributes(html, "img")).toMatchObject({
      src: "//shop.example/cdn/shop/files/tea.jpg?width=96",
      width: "48",
      height: "48",
      alt: "",
    });
    expect(count(html, "rk-fbt__item--placeholder")).toBe(3);
    expect(attributes(html, "button")).toHaveProperty("disabled");
    expect(html).toContain("Frequently bought together");
    expect(html).toContain("data-rk-total");
  });

  it("leaves a sold-out current product unchecked and disabled, and renders nothing without a product", async () => {
    const soldOut = await render("frequently-bought-together", {
      block: block({ show_price: false }),
      product: product(false),
    });
    const box = attributes(soldOut, "input");
    expect(box).toHaveProperty("disabled");
    expect(box).not.toHaveProperty("checked");
    expect(soldOut).not.toContain("data-rk-total");
    expect((await render("frequently-bought-together", { block: block() })).trim()).toBe("");
  });
});

describe("blocks/recently-viewed.liquid", () => {
  const block = (settings: Record<string, unknown> = {}) => ({
    id: "Rv1",
    shopify_attributes: "",
    settings: { heading: "", product_count: 3, show_price: true, ...settings },
  });

  it("leaves the page's product out on a product page and reserves one card per product, without a buying row", async () => {
    const html = await render("recently-viewed", {
      block: block(),
      template: { name: "product" },
      product: { id: 987654321 },
    });
    expect(attributes(html, "rekindle-recently-viewed")).toMatchObject({
      id: "RekindleViewed-Rv1",
      "data-proxy-url": "/apps/rekindle",
      "data-product-id": "987654321",
      "data-limit": "3",
      "data-show-price": "true",
      "data-i18n-price": "Price",
    });
    expect(count(html, "rk-recs__item--placeholder")).toBe(3);
    expect(count(html, "rk-card__buy")).toBe(0);
    expect(html).toContain(">Recently viewed</h2>");
  });

  it("names no product elsewhere and shows the merchant's heading, escaped", async () => {
    const html = await render("recently-viewed", {
      block: block({ heading: "Still <thinking>?", show_price: false }),
      template: { name: "collection" },
    });
    expect(attributes(html, "rekindle-recently-viewed")["data-product-id"]).toBe("");
    expect(html).toContain("Still &lt;thinking&gt;?");
    expect(count(html, "rk-card__price")).toBe(0);
  });
});
