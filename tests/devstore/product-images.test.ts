import { describe, expect, it } from "vitest";
import { onStoreCdn, productImageHandle, productImageSvg, productImageUrl } from "./product-images";

describe("simulated product images", () => {
  it("gives the Admin API an https CDN URL that the storefront turns into the store's own path", () => {
    // GIVEN a product's image as the Admin API reports it
    const url = productImageUrl("golden-wax-melt");
    expect(url).toMatch(/^https:\/\/cdn\.shopify\.com\//);
    // WHEN it reaches the storefront (a page or the app's answer through the proxy)
    const onStore = onStoreCdn(JSON.stringify({ image: { url } }));
    // THEN it names the store's CDN path, which the store answers for that product
    expect(onStore).toBe('{"image":{"url":"/cdn/shop/files/golden-wax-melt.svg"}}');
    expect(productImageHandle("/cdn/shop/files/golden-wax-melt.svg")).toBe("golden-wax-melt");
    expect(productImageHandle("/cdn/shop/files/../secrets.svg")).toBeNull();
    expect(productImageHandle("/cdn/shop/extensions/rekindle/assets/a.js")).toBeNull();
  });

  it("draws each product its own picture with its title escaped", () => {
    const svg = (handle: string, title: string) =>
      productImageSvg({ handle, title, productType: "Candles" });
    expect(svg("a-b", "Tom & <Jerry>")).toContain("Tom &#38; &#60;Jerry&#62;");
    expect(svg("a-b", "Soy Candle")).not.toBe(svg("c-d", "Soy Candle"));
    expect(svg("a-b", "Soy Candle")).toMatch(/^<svg [^>]*width="800" height="800"/);
  });
});
