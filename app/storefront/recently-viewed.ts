// <rekindle-recently-viewed>: the "Recently viewed" app block.
//
// Liquid (blocks/recently-viewed.liquid) renders the heading and `data-limit` placeholder cards
// that reserve the final space. Near the viewport this element asks the app proxy for the
// products this shopper viewed, newest first and without the page's own product: the signed-in
// customer comes from the proxy's signature, a guest's browser from the client id Rekindle's web
// pixel stores on the page (PIXEL_CLIENT_KEY). The cards are the ones "Recommended for you" shows.
// Nothing viewed, an error or no analytics consent without a signed-in customer: hidden.
// Compiled to assets/recently-viewed.js by scripts/build-theme-assets.ts.

import { productCard } from "./lib/card";
import { clampLimit, parseRecommendations, type RecommendedProduct } from "./lib/data";
import { define, el, pageLocale, whenNear } from "./lib/dom";
import { analyticsAllowed, getJson, proxyBase } from "./lib/proxy";

/**
 * Where the web pixel keeps Shopify's client id on the page (browser.localStorage in the pixel
 * writes to the shop's own origin). Shopify's `_shopify_y` cookie once held it, but Shopify
 * stopped setting that cookie on 2026-01-01 and points to the pixel's clientId instead.
 */
export const PIXEL_CLIENT_KEY = "rekindle:pixel-client";

class RekindleRecentlyViewed extends HTMLElement {
  declare rkState?: "loading" | "done";

  connectedCallback(): void {
    if (!this.rkState) whenNear(this, "400px 0px", 0, () => void load(this));
  }
}

type Host = RekindleRecentlyViewed;

/** This browser's pixel client id, when analytics is allowed and the pixel has stored one. */
function pixelClientId(): string | null {
  try {
    const id = analyticsAllowed() ? localStorage.getItem(PIXEL_CLIENT_KEY) : null;
    return id && /^[\w.:-]{1,128}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

async function load(host: Host): Promise<void> {
  if (host.rkState) return;
  host.rkState = "loading";
  const params = new URLSearchParams({ limit: String(clampLimit(host.dataset.limit)) });
  if (host.dataset.productId) params.set("product_id", host.dataset.productId);
  const clientId = pixelClientId();
  if (clientId) params.set("client_id", clientId);
  try {
    const url = `${proxyBase(host.dataset.proxyUrl)}/recently-viewed?${params.toString()}`;
    const data = parseRecommendations(await getJson(url), location.origin);
    if (data && data.products.length > 0) render(host, data.products);
    else fail(host);
  } catch {
    fail(host);
  }
  host.rkState = "done";
}

function fail(host: Host): void {
  const list = host.querySelector("[data-rk-list]");
  host.setAttribute("data-state", "empty");
  if (host.dataset.designMode === "true" && list) {
    list.removeAttribute("aria-busy");
    list.replaceChildren(el("li", "rk-recs__note", host.dataset.i18nEditorEmpty ?? ""));
  } else {
    host.hidden = true;
  }
}

function render(host: Host, products: RecommendedProduct[]): void {
  const list = host.querySelector("[data-rk-list]");
  if (!list) return fail(host);
  const shown = products.slice(0, clampLimit(host.dataset.limit));
  const locale = pageLocale();
  // Unused placeholders stay as invisible fillers, so the block's height never changes.
  Array.from(list.children).forEach((placeholder, index) => {
    if (index < shown.length) placeholder.remove();
    else placeholder.classList.add("rk-recs__item--filler");
  });
  list.prepend(...shown.map((product) => productCard(host, product, locale)));
  list.removeAttribute("aria-busy");
  host.setAttribute("data-state", "ready");
}

define("rekindle-recently-viewed", RekindleRecentlyViewed);
