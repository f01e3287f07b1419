// "You may also like" on the Thank you page (target purchase.thank-you.block.render).
// The order's product ids go to the app's backend with the checkout session token, which tells
// the app the shop and, when signed in, the buyer; the answer is the storefront proxy's product
// JSON (app/services/storefront/recommendation-json.ts). The block keeps a skeleton's height while
// loading and renders nothing when there is nothing to recommend or the request fails.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

/** The app's URL (`application_url` in shopify.app.toml); `shopify app deploy` ships it. */
const APP_URL = "https://rekindle.example.com";
const LIMIT = 3;

interface Product {
  id: string;
  title: string;
  url: string;
  price: { amount: string; currencyCode: string };
  image: { url: string; alt: string } | null;
}

export default async () => {
  render(<Recommendations />, document.body);
};

function Recommendations() {
  const [products, setProducts] = useState<Product[] | null>(null);
  useEffect(() => {
    loadProducts().then(setProducts, () => setProducts([]));
  }, []);

  if (products === null) return <s-skeleton-paragraph />;
  if (products.length === 0) return null;
  const shopUrl = shopify.shop.storefrontUrl ?? "";
  return (
    <s-section heading={shopify.i18n.translate("heading")}>
      <s-grid
        gridTemplateColumns="1fr 1fr 1fr"
        gap="base"
        accessibilityLabel={shopify.i18n.translate("list_label")}
      >
        {products.map((product) => (
          <s-link key={product.id} href={`${shopUrl.replace(/\/$/, "")}${product.url}`}>
            <s-stack gap="small-200">
              {product.image ? (
                <s-image src={product.image.url} alt={product.image.alt} aspectRatio="1" />
              ) : null}
              <s-text>{product.title}</s-text>
              <s-text type="small">
                {shopify.i18n.formatCurrency(Number(product.price.amount), {
                  currency: product.price.currencyCode,
                })}
              </s-text>
            </s-stack>
          </s-link>
        ))}
      </s-grid>
    </s-section>
  );
}

/** The order's product ids (numeric part of each line's product GID), asked of the app. */
async function loadProducts(): Promise<Product[]> {
  const productIds = [
    ...new Set(
      shopify.lines.value.map((line) => line.merchandise.product.id.split("/").pop() ?? ""),
    ),
  ].filter((id) => /^\d+$/.test(id));
  const query = new URLSearchParams({ product_ids: productIds.join(","), limit: String(LIMIT) });
  const response = await fetch(`${APP_URL}/api/thank-you-recommendations?${query.toString()}`, {
    headers: { Authorization: `Bearer ${await shopify.sessionToken.get()}` },
  });
  if (!response.ok) return [];
  const body = (await response.json()) as { products?: Product[] };
  return Array.isArray(body.products) ? body.products.slice(0, LIMIT) : [];
}
