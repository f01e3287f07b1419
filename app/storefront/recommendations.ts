// <rekindle-recommendations>: the "Recommended for you" app block.
//
// Liquid (extensions/rekindle-storefront/blocks/recommendations.liquid) renders the heading and
// `data-limit` placeholder cards that reserve the final space, so filling them causes no layout
// shift. This element fetches the app proxy once the block nears the viewport, swaps the
// placeholders for product cards, records one impression per requestId when the cards are
// seen and one click per followed card (each with the answer's token, without which the app
// does not count it). Each card gets an add-to-cart button (and a variant picker when the
// product has several variants) that assets/card-cart.js handles; its success event becomes one
// add_to_cart event here. Any failure or an empty answer hides the block.
// Compiled to assets/recommendations.js by scripts/build-theme-assets.ts. The behaviour lives
// in module functions (the minifier shortens their names, not method names) to stay small.

import {
  clampLimit,
  parseRecommendations,
  type Recommendations,
  type RecommendedProduct,
} from "./lib/data";
import { ADDED_EVENT, variantPicker } from "./lib/buy";
import { productCard } from "./lib/card";
import { define, el, isRtl, pageLocale, prefersReducedMotion, whenNear } from "./lib/dom";
import { getJson, proxyBase, sendEvent, visitorId, type StorefrontEvent } from "./lib/proxy";

const CONTEXTS = ["product", "cart", "collection", "home"];
const HOST_EVENTS = ["click", "auxclick", "keydown", ADDED_EVENT];
const impressionsSent = new Set<string>();

type Host = RekindleRecommendations;

class RekindleRecommendations extends HTMLElement {
  // `declare`: plain expando properties, no class-field code in the bundle.
  declare rkState?: "loading" | "done";
  declare rkRequestId?: string;
  declare rkToken?: string;
  declare rkServed?: string;
  declare rkObservers?: ({ disconnect(): void } | null)[];

  connectedCallback(): void {
    for (const type of HOST_EVENTS) this.addEventListener(type, this);
    this.rkObservers = [];
    if (!this.rkState) this.rkObservers.push(whenNear(this, "400px 0px", 0, () => void load(this)));
    else if (this.dataset.layout === "carousel") watchCarousel(this); // moved in the DOM
  }

  disconnectedCallback(): void {
    for (const type of HOST_EVENTS) this.removeEventListener(type, this);
    list(this)?.removeEventListener("scroll", this);
    for (const observer of this.rkObservers ?? []) observer?.disconnect();
    this.rkObservers = [];
  }

  handleEvent(event: Event): void {
    if (event.type === "scroll") updateNav(this);
    else if (event.type === "keydown") onKeydown(this, event as KeyboardEvent);
    else if (event.type === ADDED_EVENT)
      track(this, "add_to_cart", (event as CustomEvent<string>).detail);
    else onClick(this, event as MouseEvent);
  }
}

const list = (host: Host) => host.querySelector<HTMLElement>("[data-rk-list]");

function context(host: Host): string {
  const value = host.dataset.context ?? "";
  return CONTEXTS.includes(value) ? value : "home";
}

function track(host: Host, type: StorefrontEvent["type"], productId?: string): void {
  sendEvent(proxyBase(host.dataset.proxyUrl), {
    type,
    block: "recommendations",
    requestId: host.rkRequestId,
    productId,
    context: context(host),
    token: host.rkToken,
    productIds: host.rkServed,
  });
}

async function load(host: Host): Promise<void> {
  if (host.rkState) return;
  host.rkState = "loading";
  const { productId, productIds, limit } = host.dataset;
  const params = new URLSearchParams();
  if (productId) params.set("product_id", productId);
  if (productIds) params.set("product_ids", productIds);
  params.set("limit", String(clampLimit(limit)));
  params.set("context", context(host));
  const visitor = visitorId();
  if (visitor) params.set("visitor", visitor);
  try {
    const url = `${proxyBase(host.dataset.proxyUrl)}/recommendations?${params.toString()}`;
    const data = parseRecommendations(await getJson(url), location.origin);
    if (data && data.products.length > 0) render(host, data);
    else fail(host);
  } catch {
    fail(host);
  }
  host.rkState = "done";
}

/** Nothing to show: hide the whole block (the theme editor gets an explanation instead). */
function fail(host: Host): void {
  const node = list(host);
  host.setAttribute("data-state", "empty");
  if (host.dataset.designMode === "true" && node) {
    node.removeAttribute("aria-busy");
    node.replaceChildren(el("li", "rk-recs__note", host.dataset.i18nEditorEmpty ?? ""));
  } else {
    host.hidden = true;
  }
}

function render(host: Host, data: Recommendations): void {
  const node = list(host);
  if (!node) return fail(host);
  const carousel = host.dataset.layout === "carousel";
  const products = data.products.slice(0, clampLimit(host.dataset.limit));
  const locale = pageLocale();
  const cards = document.createDocumentFragment();
  for (const product of products) {
    const item = productCard(host, product, locale);
    if (host.dataset.showAdd === "true") item.append(buy(host, product));
    cards.append(item);
  }
  // Keep the grid's reserved rows when fewer products came back: leftover placeholders stay
  // as invisible fillers (a carousel is one row, so it simply drops them).
  Array.from(node.children).forEach((placeholder, index) => {
    if (carousel || index < products.length) placeholder.remove();
    else placeholder.classList.add("rk-recs__item--filler");
  });
  node.prepend(cards);
  node.removeAttribute("aria-busy");
  host.rkRequestId = data.requestId;
  host.rkToken = data.token;
  host.rkServed = data.servedIds;
  host.setAttribute("data-request-id", data.requestId);
  host.setAttribute("data-source", data.source);
  host.setAttribute("data-state", "ready");
  if (carousel) watchCarousel(host);
  const first = node.firstElementChild;
  if (first) host.rkObservers?.push(whenNear(first, "0px", 0.5, () => impression(host)));
}

/** Keeps the carousel's prev/next buttons in step with scrolling and resizing. */
function watchCarousel(host: Host): void {
  const node = list(host);
  if (!node) return;
  node.addEventListener("scroll", host, { passive: true });
  if (typeof ResizeObserver === "function") {
    const resize = new ResizeObserver(() => updateNav(host));
    resize.observe(node);
    host.rkObservers?.push(resize);
  }
  updateNav(host);
}

function impression(host: Host): void {
  const requestId = host.rkRequestId;
  if (!requestId || impressionsSent.has(requestId)) return;
  impressionsSent.add(requestId);
  track(host, "impression");
}

/** The card's buying row: a picker when needed and the add button (disabled when sold out). */
function buy(host: Host, product: RecommendedProduct): HTMLElement {
  const { i18nAdd, i18nSoldOut, i18nVariant = "" } = host.dataset;
  const row = el("div", "rk-card__buy");
  const picker = variantPicker(product, i18nVariant);
  if (picker) row.append(picker);
  const button = el("button", "rk-card__add", product.variantId ? i18nAdd : i18nSoldOut);
  button.type = "button";
  button.disabled = !product.variantId;
  button.dataset.rkAdd = product.id;
  button.dataset.variantId = product.variantId ?? "";
  row.append(button);
  return row;
}

function onClick(host: Host, event: MouseEvent): void {
  if (event.type === "auxclick" && event.button !== 1) return;
  const target = event.target instanceof Element ? event.target : null;
  const nav = target?.closest<HTMLElement>("[data-rk-prev],[data-rk-next]");
  if (nav) return page(host, nav);
  const link = target?.closest<HTMLAnchorElement>("a[data-product-id]");
  if (link && host.rkRequestId) track(host, "click", link.dataset.productId);
}

/** Carousel: arrow keys move between cards (mirrored in RTL), Home/End jump to the ends. */
function onKeydown(host: Host, event: KeyboardEvent): void {
  if (host.dataset.layout !== "carousel" || event.altKey || event.ctrlKey || event.metaKey) return;
  const current = event.target instanceof Element ? event.target.closest("a.rk-card") : null;
  if (!current) return;
  const cards = Array.from(host.querySelectorAll<HTMLAnchorElement>("a.rk-card"));
  const index = cards.indexOf(current as HTMLAnchorElement);
  const step = isRtl(host) ? -1 : 1;
  const next =
    event.key === "ArrowRight"
      ? index + step
      : event.key === "ArrowLeft"
        ? index - step
        : event.key === "Home"
          ? 0
          : event.key === "End"
            ? cards.length - 1
            : -1;
  const target = cards[next];
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

/** Shows the prev/next buttons only when the row overflows; marks the ends. */
function updateNav(host: Host): void {
  const node = list(host);
  const nav = host.querySelector<HTMLElement>("[data-rk-nav]");
  if (!node || !nav) return;
  const max = node.scrollWidth - node.clientWidth;
  const position = Math.abs(node.scrollLeft); // negative in RTL
  nav.toggleAttribute("data-active", max > 1);
  nav.querySelector("[data-rk-prev]")?.setAttribute("aria-disabled", String(position <= 1));
  nav.querySelector("[data-rk-next]")?.setAttribute("aria-disabled", String(position >= max - 1));
}

/** Scrolls one view (instantly under prefers-reduced-motion), mirrored in RTL. */
function page(host: Host, button: HTMLElement): void {
  const node = list(host);
  if (!node || button.getAttribute("aria-disabled") === "true") return;
  const direction = button.hasAttribute("data-rk-next") ? 1 : -1;
  node.scrollBy({
    left: (isRtl(node) ? -direction : direction) * node.clientWidth * 0.9,
    behavior: prefersReducedMotion() ? "auto" : "smooth",
  });
}

define("rekindle-recommendations", RekindleRecommendations);
