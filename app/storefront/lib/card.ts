// The product card the list blocks share ("Recommended for you", "Recently viewed"): markup
// and classes (rk-card*, styled by assets/recommendations.css) are the DOM contract in
// app/storefront/README.md.

import { formatMoney, isOnSale, localizePath, type Money, type RecommendedProduct } from "./data";
import { el, hiddenText } from "./dom";

/**
 * A product card in a list item, as every card block shows it: image (sized through Shopify's
 * CDN), sale badge, title and price, from the host's `data-root-url`, `data-show-price` and
 * `data-i18n-*` texts. The caller adds what its block has beyond that (a buying row).
 */
export function productCard(
  host: HTMLElement,
  product: RecommendedProduct,
  locale: string | undefined,
): HTMLLIElement {
  const item = el("li", "rk-recs__item");
  const link = el("a", "rk-card");
  link.href = localizePath(product.url, host.dataset.rootUrl);
  link.dataset.productId = product.id;
  const media = el("div", "rk-card__media");
  if (product.image) {
    const { url, width, height, alt } = product.image;
    const image = el("img", "rk-card__image");
    image.src = sized(url, 360);
    if (isShopifyCdn(url)) {
      image.srcset = [180, 360, 540, 720].map((w) => `${sized(url, w)} ${w}w`).join();
      image.sizes = "(min-width: 750px) 25vw, 50vw";
    }
    image.width = width;
    image.height = height;
    image.loading = "lazy";
    image.decoding = "async";
    // The title is the link's text; an alt repeating it would be read twice.
    image.alt = alt.trim() === product.title.trim() ? "" : alt;
    media.append(image);
  }
  const sale = isOnSale(product);
  if (sale) media.append(el("span", "rk-card__badge", host.dataset.i18nSale));
  link.append(media, el("span", "rk-card__title", product.title));
  if (host.dataset.showPrice !== "false") link.append(price(host, product, sale, locale));
  item.append(link);
  return item;
}

function price(
  host: HTMLElement,
  product: RecommendedProduct,
  sale: boolean,
  locale: string | undefined,
): HTMLElement {
  const { i18nPrice = "", i18nSalePrice = "", i18nRegularPrice = "" } = host.dataset;
  const money = (value: Money, tag: "span" | "s", className: string) =>
    el(tag, className, formatMoney(value, locale));
  const node = el("span", "rk-card__price");
  if (sale && product.compareAtPrice) {
    node.append(
      hiddenText(i18nSalePrice),
      money(product.price, "span", "rk-card__price-current rk-card__price-current--sale"),
      " ",
      hiddenText(i18nRegularPrice),
      money(product.compareAtPrice, "s", "rk-card__price-compare"),
    );
  } else {
    node.append(hiddenText(i18nPrice), money(product.price, "span", "rk-card__price-current"));
  }
  return node;
}

function isShopifyCdn(url: string): boolean {
  return /^(https:)?\/\/cdn\.shopify\.com\/|^(https:\/\/[^/]+)?\/cdn\/shop\//.test(url);
}

/** Shopify's CDN resizes with a `width` parameter; other hosts get the URL unchanged. */
function sized(url: string, width: number): string {
  if (!isShopifyCdn(url)) return url;
  try {
    const parsed = new URL(url, location.href);
    parsed.searchParams.set("width", String(width));
    return /^\/(?!\/)/.test(url) ? parsed.pathname + parsed.search : parsed.href;
  } catch {
    return url;
  }
}
