import type { StoreProduct } from "./model";

/**
 * Product images, made here rather than fetched. Like Shopify, the Admin API gives a product's
 * image on Shopify's CDN (an https URL, the only kind the app shows) and a theme refers to the
 * same file on the shop's own CDN path (`/cdn/shop/files/…`). Offline the simulated store
 * stands in for the CDN: it answers that path with a picture drawn from the product, and
 * points what reaches the storefront at it, so cards and product pages show distinct images.
 */
const SHOPIFY_CDN_FILES = "https://cdn.shopify.com/s/files/1/0000/0001/files/";
const STORE_CDN_FILES = "/cdn/shop/files/";

/** Where the Admin API says the product's image is. */
export const productImageUrl = (handle: string) => `${SHOPIFY_CDN_FILES}${handle}.svg`;

/** Shopify's CDN URLs in a page or an answer turned into the simulated store's own path. */
export const onStoreCdn = (text: string) => text.replaceAll(SHOPIFY_CDN_FILES, STORE_CDN_FILES);

/** The handle a product image URL names, or null for any other path. */
export function productImageHandle(pathname: string): string | null {
  const match = /^\/cdn\/shop\/files\/([\w-]+)\.svg$/.exec(pathname);
  return match?.[1] ?? null;
}

/** Background and accent per product type; products of one type look like one range. */
const PALETTES: Record<string, [string, string]> = {
  Coffee: ["#efe3d3", "#6f4e37"],
  Tea: ["#e4efdc", "#4f7a3a"],
  Candles: ["#f6e7c8", "#c7772b"],
  Skincare: ["#f3e1e4", "#a4506a"],
  Kitchen: ["#e2e9ef", "#3f6680"],
  Snacks: ["#f4e4cf", "#9a5b1e"],
  Apparel: ["#e6e2f0", "#5b4b8a"],
  Stationery: ["#e9efe6", "#2f6f62"],
  "Gift Card": ["#fbeedc", "#b5473a"],
};
const FALLBACK: [string, string] = ["#ececec", "#555555"];

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A stable number from the handle, so each product gets its own shape and tint. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

/** Splits a title into at most two lines that fit the image's width. */
function titleLines(title: string): string[] {
  const words = title.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && `${line} ${word}`.length > 18) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 2 ? [lines[0] ?? "", lines.slice(1).join(" ")] : lines;
}

export function productImageSvg(product: Pick<StoreProduct, "handle" | "title" | "productType">) {
  const [background, accent] = PALETTES[product.productType] ?? FALLBACK;
  const hash = hashOf(product.handle);
  const tilt = (hash % 21) - 10;
  const shape =
    hash % 3 === 0
      ? `<circle cx="400" cy="330" r="170" fill="${accent}"/>`
      : hash % 3 === 1
        ? `<rect x="250" y="170" width="300" height="320" rx="36" fill="${accent}" transform="rotate(${tilt} 400 330)"/>`
        : `<path d="M400 140 L580 480 H220 Z" fill="${accent}" transform="rotate(${tilt} 400 330)"/>`;
  const lines = titleLines(product.title)
    .map(
      (line, index) =>
        `<text x="400" y="${620 + index * 58}" font-family="Georgia, serif" font-size="50" text-anchor="middle" fill="#2b2b2b">${escapeXml(line)}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800"><rect width="800" height="800" fill="${background}"/>${shape}<circle cx="400" cy="330" r="60" fill="${background}" opacity="0.35"/>${lines}</svg>`;
}
