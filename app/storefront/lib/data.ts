// Pure parsing and formatting for the storefront scripts: no DOM access here, so these run
// (and are unit-tested) in Node as well as in the browser. Everything that arrives from the
// app proxy or from a metafield is treated as untrusted input and validated field by field.

export interface Money {
  amount: string;
  currencyCode: string;
}

export interface ProductImage {
  url: string;
  alt: string;
  width: number;
  height: number;
}

export interface RecommendedProduct {
  id: string;
  title: string;
  url: string;
  price: Money;
  compareAtPrice: Money | null;
  image: ProductImage | null;
  /** What "Add to cart" adds; null when sold out (the card then offers no button). */
  variantId: string | null;
  /** The picker's options, when the product has more than one variant; else empty. */
  variants: ProductVariant[];
}

export interface ProductVariant {
  id: string;
  title: string;
  price: Money;
  available: boolean;
}

export interface Recommendations {
  requestId: string;
  /** Proof of what was served; events send it back with `servedIds` or are not counted. */
  token: string;
  /** Every product id of the answer as served, comma-separated (what the token signs). */
  servedIds: string;
  source: string;
  products: RecommendedProduct[];
}

export interface WinbackOffer {
  id: string;
  code: string;
  title: string;
  discountText: string;
  expiresAt: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A non-empty string (numbers are accepted for ids, e.g. `123`), else null. */
const text = (value: unknown): string | null => {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : null;
};

const positiveInt = (value: unknown): number | null =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;

export function parseMoney(value: unknown): Money | null {
  if (!isObject(value)) return null;
  const amount = text(value.amount);
  const currencyCode = text(value.currencyCode);
  if (amount === null || currencyCode === null) return null;
  if (!/^[A-Z]{3}$/.test(currencyCode) || !Number.isFinite(Number(amount))) return null;
  return { amount, currencyCode };
}

/**
 * A link target we are willing to put in an `href`: a same-origin path. Absolute URLs on the
 * shop's own origin are reduced to their path; anything else (other origins, `javascript:`,
 * protocol-relative `//host`) is rejected.
 */
export function safePath(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")) return value;
  try {
    const url = new URL(value);
    return url.origin === origin ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

/** An image source: https, protocol-relative or a same-origin path. */
export function safeImageUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return /^(https:\/\/|\/\/|\/)[^\s"'<>]+$/.test(value) ? value : null;
}

function parseImage(value: unknown): ProductImage | null {
  if (!isObject(value)) return null;
  const url = safeImageUrl(value.url);
  const width = positiveInt(value.width);
  const height = positiveInt(value.height);
  if (url === null || width === null || height === null) return null;
  return { url, width, height, alt: typeof value.alt === "string" ? value.alt : "" };
}

/** Cart AJAX API variant ids: digits only, so they can go into a JSON body unchanged. */
const variantId = (value: unknown): string | null => {
  const id = text(value);
  return id !== null && /^\d{1,19}$/.test(id) ? id : null;
};

function parseVariant(value: unknown): ProductVariant | null {
  if (!isObject(value)) return null;
  const id = variantId(value.id);
  const title = text(value.title);
  const price = parseMoney(value.price);
  if (id === null || title === null || price === null) return null;
  return { id, title, price, available: value.available === true };
}

function parseProduct(value: unknown, origin: string): RecommendedProduct | null {
  if (!isObject(value)) return null;
  const id = text(value.id);
  const title = text(value.title);
  const url = safePath(value.url, origin);
  const price = parseMoney(value.price);
  if (id === null || title === null || url === null || price === null) return null;
  return {
    id,
    title,
    url,
    price,
    compareAtPrice: parseMoney(value.compareAtPrice),
    image: parseImage(value.image),
    variantId: variantId(value.variantId),
    variants: Array.isArray(value.variants)
      ? value.variants.flatMap((variant) => parseVariant(variant) ?? [])
      : [],
  };
}

/** The `/recommendations` answer with invalid products dropped; null when the shape is wrong. */
export function parseRecommendations(value: unknown, origin: string): Recommendations | null {
  if (!isObject(value) || !Array.isArray(value.products)) return null;
  const requestId = text(value.requestId);
  if (requestId === null) return null;
  const products: RecommendedProduct[] = [];
  const seen = new Set<string>();
  const served: string[] = [];
  for (const item of value.products) {
    const id = isObject(item) ? text(item.id) : null;
    if (id !== null) served.push(id);
    const product = parseProduct(item, origin);
    if (product && !seen.has(product.id)) {
      seen.add(product.id);
      products.push(product);
    }
  }
  return {
    requestId,
    token: text(value.token) ?? "",
    servedIds: served.join(),
    source: text(value.source) ?? "",
    products,
  };
}

/**
 * An offer (the `offer` field of `/offer`, or the `$app:rekindle.winback_offer` metafield
 * value); null when missing, malformed or already expired at `now`.
 */
export function parseOffer(value: unknown, now: number): WinbackOffer | null {
  if (!isObject(value)) return null;
  const id = text(value.id);
  const code = text(value.code);
  if (id === null || code === null) return null;
  const title = text(value.title) ?? "";
  const discountText = text(value.discountText) ?? "";
  if (title === "" && discountText === "") return null;
  let expiresAt: string | null = null;
  if (value.expiresAt !== null && value.expiresAt !== undefined) {
    expiresAt = text(value.expiresAt);
    const time = expiresAt === null ? NaN : Date.parse(expiresAt);
    if (Number.isNaN(time) || time <= now) return null;
  }
  return { id, code, title, discountText, expiresAt };
}

export function isOnSale(product: RecommendedProduct): boolean {
  const compare = product.compareAtPrice;
  return (
    compare !== null &&
    compare.currencyCode === product.price.currencyCode &&
    Number(compare.amount) > Number(product.price.amount)
  );
}

/** The number of products asked for: the block setting, clamped to the schema's 2..12. */
export function clampLimit(value: string | undefined): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.min(12, Math.max(2, n)) : 4;
}

/** Prefixes a shop path with the market/language root (`/fa`) when the page has one. */
export function localizePath(path: string, rootUrl: string | undefined): string {
  const root = (rootUrl ?? "/").replace(/\/+$/, "");
  if (root === "" || !root.startsWith("/") || path === root || path.startsWith(`${root}/`)) {
    return path;
  }
  return root + path;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, currency: string): Intl.NumberFormat {
  const key = `${locale ?? ""}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      // An unusable `lang` attribute: fall back to the browser's locale.
      format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/** Formats money in the shopper's locale (the page's `lang`), e.g. `€19.00`, `۱۹٫۰۰ €`. */
export function formatMoney(money: Money, locale: string | undefined): string {
  try {
    return numberFormat(locale, money.currencyCode).format(Number(money.amount));
  } catch {
    return `${money.amount} ${money.currencyCode}`;
  }
}

export function formatDate(iso: string, locale: string | undefined): string {
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
  } catch {
    return date.toLocaleDateString();
  }
}

/** Fills `%DATE%` in a translated sentence (the Liquid side passes that token to `t`). */
export function fillDate(template: string, date: string): string {
  return template.includes("%DATE%") ? template.replace("%DATE%", date) : `${template} ${date}`;
}

/** Reads a JSON data attribute; null when absent or not JSON. */
export function readJson(value: string | undefined): unknown {
  if (!value) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

export const dismissalKey = (offerId: string): string => `rekindle:winback:dismissed:${offerId}`;
