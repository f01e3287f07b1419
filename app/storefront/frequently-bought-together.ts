// <rekindle-fbt>: the "Frequently bought together" app block on product pages.
//
// Liquid (blocks/frequently-bought-together.liquid) renders the current product's row and
// `data-limit` placeholder rows at their final height. This element fetches the product-page
// placement once the block nears the viewport, turns placeholders into checked rows (unused ones
// stay as invisible fillers, so nothing moves), keeps the total of the checked rows, and adds
// every checked variant in one Cart AJAX API call. It records one impression per requestId,
// clicks on product links, and one add_to_cart per added recommended product. No products, an
// error or a 4xx: the block hides (the theme editor shows a note instead).
// Compiled to assets/frequently-bought-together.js by scripts/build-theme-assets.ts.

import { chosenVariant, variantPicker } from "./lib/buy";
import { addToCart } from "./lib/cart";
import {
  formatMoney,
  localizePath,
  parseRecommendations,
  type Recommendations,
  type RecommendedProduct,
} from "./lib/data";
import { define, el, pageLocale, whenNear } from "./lib/dom";
import { getJson, proxyBase, sendEvent, visitorId, type StorefrontEvent } from "./lib/proxy";

type Host = RekindleFbt;

class RekindleFbt extends HTMLElement {
  declare rkState?: "loading" | "done";
  declare rkAnswer?: Recommendations;
  declare rkCurrency?: string;

  connectedCallback(): void {
    this.addEventListener("change", this);
    this.addEventListener("click", this);
    if (!this.rkState) whenNear(this, "400px 0px", 0, () => void load(this));
  }

  handleEvent(event: Event): void {
    const target = event.target instanceof Element ? event.target : null;
    if (event.type === "change") {
      const picker = target?.closest<HTMLSelectElement>("select[data-rk-variant]");
      if (picker) choose(this, picker);
      update(this);
    } else if (target?.closest("[data-rk-add-all]")) {
      void addAll(this);
    } else {
      const link = target?.closest<HTMLAnchorElement>("a[data-product-id]");
      if (link) track(this, "click", link.dataset.productId);
    }
  }
}

const limit = (host: Host) => Math.min(3, Math.max(1, Number(host.dataset.limit) || 2));
const rows = (host: Host) => Array.from(host.querySelectorAll<HTMLElement>("li[data-variant-id]"));

function track(host: Host, type: StorefrontEvent["type"], productId?: string): void {
  const answer = host.rkAnswer;
  if (!answer) return;
  sendEvent(proxyBase(host.dataset.proxyUrl), {
    type,
    block: "frequently_bought_together",
    requestId: answer.requestId,
    productId,
    context: "product",
    token: answer.token,
    productIds: answer.servedIds,
  });
}

async function load(host: Host): Promise<void> {
  if (host.rkState) return;
  host.rkState = "loading";
  const params = new URLSearchParams({
    product_id: host.dataset.productId ?? "",
    limit: String(limit(host)),
    context: "product",
  });
  const visitor = visitorId();
  if (visitor) params.set("visitor", visitor);
  try {
    const url = `${proxyBase(host.dataset.proxyUrl)}/recommendations?${params.toString()}`;
    const data = parseRecommendations(await getJson(url), location.origin);
    // Only products that can go in the cart belong in a bundle.
    const products = (data?.products ?? []).filter((product) => product.variantId);
    if (data && products.length > 0) render(host, data, products.slice(0, limit(host)));
    else fail(host);
  } catch {
    fail(host);
  }
  host.rkState = "done";
}

function fail(host: Host): void {
  host.setAttribute("data-state", "empty");
  const list = host.querySelector("[data-rk-list]");
  if (host.dataset.designMode === "true" && list) {
    list.removeAttribute("aria-busy");
    list.append(el("li", "rk-fbt__note", host.dataset.i18nEditorEmpty ?? ""));
  } else {
    host.hidden = true;
  }
}

function render(host: Host, data: Recommendations, products: RecommendedProduct[]): void {
  host.rkAnswer = data;
  host.rkCurrency = products[0]?.price.currencyCode;
  const placeholders = host.querySelectorAll(".rk-fbt__item--placeholder");
  placeholders.forEach((placeholder, index) => {
    const product = products[index];
    if (product) placeholder.replaceWith(row(host, product, index));
    else placeholder.className = "rk-fbt__item rk-fbt__item--filler";
  });
  const current = rows(host)[0];
  if (current) current.dataset.amount = String(Number(current.dataset.cents) / 100);
  host.querySelector("[data-rk-list]")?.removeAttribute("aria-busy");
  host.setAttribute("data-request-id", data.requestId);
  host.setAttribute("data-state", "ready");
  update(host);
  whenNear(host, "0px", 0.5, () => track(host, "impression"));
}

function row(host: Host, product: RecommendedProduct, index: number): HTMLLIElement {
  const item = el("li", "rk-fbt__item");
  item.dataset.productId = product.id;
  item.dataset.variantId = product.variantId ?? "";
  item.dataset.amount = product.price.amount;
  const box = el("input", "rk-fbt__pick");
  box.type = "checkbox";
  box.checked = true;
  box.id = `${host.id}-${index}`;
  box.setAttribute("data-rk-pick", "");
  box.setAttribute("aria-label", product.title);
  const media = el("span", "rk-fbt__media");
  if (product.image) {
    const image = el("img", "rk-fbt__image");
    image.src = product.image.url;
    image.width = image.height = 48;
    image.alt = "";
    image.loading = "lazy";
    media.append(image);
  }
  const link = el("a", "rk-fbt__title", product.title);
  link.href = localizePath(product.url, host.dataset.rootUrl);
  link.dataset.productId = product.id;
  item.append(box, media, link);
  const picker = variantPicker(product, host.dataset.i18nVariant ?? "");
  if (picker) item.append(picker);
  if (host.dataset.showPrice !== "false") item.append(el("span", "rk-fbt__price"));
  item.querySelector(".rk-fbt__price")?.setAttribute("data-rk-price", "");
  return item;
}

/** A picked variant changes the row's variant and price. */
function choose(host: Host, picker: HTMLSelectElement): void {
  const item = picker.closest<HTMLElement>("li[data-product-id]");
  const product = host.rkAnswer?.products.find((p) => p.id === item?.dataset.productId);
  const variant = product?.variants.find((v) => v.id === picker.value);
  if (item && variant) {
    item.dataset.variantId = variant.id;
    item.dataset.amount = variant.price.amount;
  }
}

/** Row prices, the total of the checked rows, and whether there is anything to add. */
function update(host: Host): void {
  const currencyCode = host.rkCurrency ?? "";
  const locale = pageLocale();
  let total = 0;
  let checked = 0;
  for (const item of rows(host)) {
    const amount = Number(item.dataset.amount) || 0;
    const price = item.querySelector("[data-rk-price]");
    if (price && currencyCode)
      price.textContent = formatMoney({ amount: String(amount), currencyCode }, locale);
    if (item.querySelector<HTMLInputElement>("[data-rk-pick]")?.checked) {
      total += amount;
      checked++;
    }
  }
  const totalNode = host.querySelector("[data-rk-total]");
  if (totalNode && currencyCode) {
    totalNode.textContent = formatMoney({ amount: total.toFixed(2), currencyCode }, locale);
  }
  const button = host.querySelector<HTMLButtonElement>("[data-rk-add-all]");
  if (button) button.disabled = checked === 0 || !host.rkAnswer;
}

async function addAll(host: Host): Promise<void> {
  const picked = rows(host).filter(
    (item) => item.querySelector<HTMLInputElement>("[data-rk-pick]")?.checked,
  );
  const variantIds = picked.flatMap((item) => chosenVariant(item, item.dataset.variantId) ?? []);
  const button = host.querySelector<HTMLButtonElement>("[data-rk-add-all]");
  const status = host.querySelector("[data-rk-status]");
  if (variantIds.length === 0 || !button || button.getAttribute("aria-busy")) return;
  button.setAttribute("aria-busy", "true");
  try {
    await addToCart(variantIds);
    if (status) status.textContent = host.dataset.i18nAdded ?? "";
    for (const item of picked)
      if (item.dataset.productId) track(host, "add_to_cart", item.dataset.productId);
  } catch {
    if (status) status.textContent = host.dataset.i18nAddFailed ?? "";
  }
  button.removeAttribute("aria-busy");
}

define("rekindle-fbt", RekindleFbt);
