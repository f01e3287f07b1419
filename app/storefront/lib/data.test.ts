import { describe, expect, it } from "vitest";
import {
  clampLimit,
  dismissalKey,
  fillDate,
  formatDate,
  formatMoney,
  isOnSale,
  localizePath,
  parseOffer,
  parseRecommendations,
  readJson,
  safeImageUrl,
  safePath,
} from "./data";

const ORIGIN = "https://shop.example";

const product = (overrides: Record<string, unknown> = {}) => ({
  id: "123",
  handle: "h",
  title: "T",
  url: "/products/h",
  price: { amount: "19.00", currencyCode: "EUR" },
  compareAtPrice: null,
  image: { url: "https://cdn.shopify.com/s/files/1/h.jpg", alt: "A", width: 800, height: 800 },
  variantId: "1230",
  variants: [],
  ...overrides,
});

describe("parseRecommendations", () => {
  it("accepts the proxy contract", () => {
    const parsed = parseRecommendations(
      { requestId: "r1", token: "t1", source: "similar", products: [product()] },
      ORIGIN,
    );
    expect(parsed).toEqual({
      requestId: "r1",
      token: "t1",
      servedIds: "123",
      source: "similar",
      products: [
        {
          id: "123",
          title: "T",
          url: "/products/h",
          price: { amount: "19.00", currencyCode: "EUR" },
          compareAtPrice: null,
          image: {
            url: "https://cdn.shopify.com/s/files/1/h.jpg",
            alt: "A",
            width: 800,
            height: 800,
          },
          variantId: "1230",
          variants: [],
        },
      ],
    });
  });

  it("keeps valid variants for the picker and drops a variant id that is not a cart id", () => {
    const parsed = parseRecommendations(
      {
        requestId: "r1",
        products: [
          product({
            variants: [
              { id: "1", title: "S", price: { amount: "1", currencyCode: "EUR" }, available: true },
              { id: "2", title: "M", price: { amount: "x", currencyCode: "EUR" }, available: true },
              { id: "3,4", title: "L", price: { amount: "1", currencyCode: "EUR" } },
              { id: "5", title: "XL", price: { amount: "2", currencyCode: "EUR" } },
            ],
          }),
          product({ id: "9", variantId: '1},{"id":2' }),
          product({ id: "10", variantId: null }),
        ],
      },
      ORIGIN,
    );
    expect(parsed?.products[0]?.variants).toEqual([
      { id: "1", title: "S", price: { amount: "1", currencyCode: "EUR" }, available: true },
      { id: "5", title: "XL", price: { amount: "2", currencyCode: "EUR" }, available: false },
    ]);
    expect(parsed?.products.slice(1).map((p) => p.variantId)).toEqual([null, null]);
  });

  it("drops invalid or unsafe products and duplicates, keeps the rest", () => {
    const parsed = parseRecommendations(
      {
        requestId: "r1",
        source: "popular",
        products: [
          product({ id: "1", url: "javascript:alert(1)" }),
          product({ id: "2", url: "https://evil.example/products/x" }),
          product({ id: "3", url: "//evil.example/x" }),
          product({ id: "4", price: { amount: "abc", currencyCode: "EUR" } }),
          product({ id: "5", title: "" }),
          product({ id: "6", url: `${ORIGIN}/products/six?x=1` }),
          product({ id: "6" }),
          product({ id: 7, image: { url: "javascript:x", width: 1, height: 1 } }),
          null,
          "x",
        ],
      },
      ORIGIN,
    );
    expect(parsed?.products.map((p) => [p.id, p.url, p.image])).toEqual([
      ["6", "/products/six?x=1", expect.any(Object)],
      ["7", "/products/h", null],
    ]);
    // Events echo every id as served, dropped or not: that list is what the token signs.
    expect(parsed?.servedIds).toBe("1,2,3,4,5,6,6,7");
    expect(parsed?.token).toBe("");
  });

  it("rejects answers without a requestId or products array", () => {
    expect(parseRecommendations({ products: [] }, ORIGIN)).toBeNull();
    expect(parseRecommendations({ requestId: "r", products: {} }, ORIGIN)).toBeNull();
    expect(parseRecommendations(null, ORIGIN)).toBeNull();
    expect(parseRecommendations([], ORIGIN)).toBeNull();
  });
});

describe("URL safety", () => {
  it("allows only same-origin paths as links", () => {
    expect(safePath("/products/a", ORIGIN)).toBe("/products/a");
    expect(safePath(`${ORIGIN}/products/a#x`, ORIGIN)).toBe("/products/a#x");
    expect(safePath("//evil.example/a", ORIGIN)).toBeNull();
    expect(safePath("/\\evil.example", ORIGIN)).toBeNull();
    expect(safePath("javascript:alert(1)", ORIGIN)).toBeNull();
    expect(safePath("products/a", ORIGIN)).toBeNull();
  });

  it("allows https, protocol-relative and path image sources only", () => {
    expect(safeImageUrl("https://cdn.shopify.com/x.jpg?v=1")).not.toBeNull();
    expect(safeImageUrl("//shop.example/cdn/shop/files/x.jpg")).not.toBeNull();
    expect(safeImageUrl("/cdn/shop/files/x.jpg")).not.toBeNull();
    expect(safeImageUrl("http://cdn.shopify.com/x.jpg")).toBeNull();
    expect(safeImageUrl("data:image/png;base64,AAAA")).toBeNull();
    expect(safeImageUrl('https://x/"onerror="1')).toBeNull();
  });
});

describe("parseOffer", () => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  const offer = {
    id: "o1",
    code: "WINBACK-AB12CD",
    title: "15% off your next order",
    discountText: "15% off",
    expiresAt: "2026-12-31T23:59:59Z",
  };

  it("accepts the proxy/metafield offer", () => {
    expect(parseOffer(offer, now)).toEqual(offer);
    expect(parseOffer({ ...offer, expiresAt: null }, now)?.expiresAt).toBeNull();
  });

  it("rejects missing, malformed and expired offers", () => {
    expect(parseOffer(null, now)).toBeNull();
    expect(parseOffer({ ...offer, code: "" }, now)).toBeNull();
    expect(parseOffer({ ...offer, id: undefined }, now)).toBeNull();
    expect(parseOffer({ ...offer, title: "", discountText: "" }, now)).toBeNull();
    expect(parseOffer({ ...offer, expiresAt: "2026-01-01T00:00:00Z" }, now)).toBeNull();
    expect(parseOffer({ ...offer, expiresAt: "soon" }, now)).toBeNull();
  });

  it("keys dismissals by offer id", () => {
    expect(dismissalKey("o1")).toBe("rekindle:winback:dismissed:o1");
  });
});

describe("formatting", () => {
  it("formats money in the shopper's locale", () => {
    const money = { amount: "1234.5", currencyCode: "EUR" };
    expect(formatMoney(money, "en")).toBe("€1,234.50");
    expect(formatMoney(money, "de")).toBe("1.234,50\u00a0€");
    expect(formatMoney({ amount: "19.00", currencyCode: "IRR" }, "fa")).toMatch(/۱۹/);
    expect(formatMoney({ amount: "19.00", currencyCode: "TRY" }, "tr")).toContain("19,00");
  });

  it("survives an unusable lang attribute", () => {
    expect(formatMoney({ amount: "5", currencyCode: "USD" }, "not a locale!")).toContain("5");
    expect(formatDate("2026-12-31T12:00:00Z", "not a locale!")).not.toBe("");
  });

  it("fills the translated expiry sentence", () => {
    expect(fillDate("Valid until %DATE%", "Dec 31, 2026")).toBe("Valid until Dec 31, 2026");
    expect(fillDate("%DATE% tarihine kadar geçerli", "31 Ara 2026")).toBe(
      "31 Ara 2026 tarihine kadar geçerli",
    );
  });

  it("detects a sale only for a higher compare-at price in the same currency", () => {
    const base = product();
    const sale = { ...base, id: "124", compareAtPrice: { amount: "25.00", currencyCode: "EUR" } };
    const parsed = parseRecommendations({ requestId: "r", products: [base, sale] }, ORIGIN);
    expect(parsed?.products.map(isOnSale)).toEqual([false, true]);
    const other = parseRecommendations(
      {
        requestId: "r",
        products: [{ ...base, compareAtPrice: { amount: "9", currencyCode: "EUR" } }],
      },
      ORIGIN,
    );
    expect(other?.products.map(isOnSale)).toEqual([false]);
  });

  it("clamps the limit to the block setting's range", () => {
    expect(clampLimit("6")).toBe(6);
    expect(clampLimit("1")).toBe(2);
    expect(clampLimit("99")).toBe(12);
    expect(clampLimit(undefined)).toBe(4);
    expect(clampLimit("x")).toBe(4);
  });

  it("prefixes links with the market/language root", () => {
    expect(localizePath("/products/a", "/")).toBe("/products/a");
    expect(localizePath("/products/a", "/fa")).toBe("/fa/products/a");
    expect(localizePath("/fa/products/a", "/fa")).toBe("/fa/products/a");
    expect(localizePath("/products/a", undefined)).toBe("/products/a");
  });

  it("reads JSON data attributes defensively", () => {
    expect(readJson('{"a":1}')).toEqual({ a: 1 });
    expect(readJson("")).toBeNull();
    expect(readJson("{")).toBeNull();
  });
});
