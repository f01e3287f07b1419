import type { IncomingMessage } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildPixelExtension } from "../../../../scripts/build-pixel-extension";
import type {
  StoreCollection,
  StoreCustomer,
  StoreOrder,
  StoreProduct,
  StoreVariant,
} from "../../model";
import type { ExtraRoute } from "../../server";
import type { DevStore } from "../../store";
import { CONSENT_COOKIE, type PageConfig, type PageEvent } from "./page-config";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MANAGER_URL = "/web-pixels/manager.js";
const SANDBOX_URL = "/web-pixels/sandbox.js";
const PIXEL_URL = "/web-pixels/rekindle-pixel.js";

/** Bundles a browser script of this folder once per process. */
const bundles = new Map<string, Promise<string>>();
function bundled(file: string, make: () => Promise<string>): Promise<string> {
  let code = bundles.get(file);
  if (!code) {
    code = make();
    bundles.set(file, code);
  }
  return code;
}

const browserScript = (file: string) =>
  bundled(file, async () => {
    const result = await build({
      entryPoints: [path.join(HERE, file)],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: ["es2020"],
      write: false,
      logLevel: "silent",
    });
    return result.outputFiles[0]?.text ?? "";
  });

/**
 * The storefront's web pixels runtime: the manager stand-in every page loads, its sandbox
 * worker, and the app's pixel bundle built from extensions/rekindle-pixel as the CLI builds it.
 */
export function webPixelsRoutes(): ExtraRoute {
  const scripts: Record<string, () => Promise<string>> = {
    [MANAGER_URL]: () => browserScript("manager.ts"),
    [SANDBOX_URL]: () => browserScript("sandbox.ts"),
    [PIXEL_URL]: () => bundled("pixel", async () => (await buildPixelExtension()).code),
  };
  return async (_request, response, url) => {
    const script = scripts[url.pathname];
    if (!script) return false;
    response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" });
    response.end(await script());
    return true;
  };
}

/** The page's pixel config and the manager script, for the page's <head>. */
export function webPixelsHead(
  store: DevStore,
  customer: StoreCustomer | null,
  events: PageEvent[],
): string {
  const config: PageConfig = {
    settings: store.webPixel.settings,
    bundleUrl: PIXEL_URL,
    sandboxUrl: SANDBOX_URL,
    shop: {
      name: store.shop.name,
      myshopifyDomain: store.shop.domain,
      currency: store.shop.currency,
    },
    customer: customer && {
      id: customer.id.toString(),
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      ordersCount: store.data.orders.filter((order) => order.customerId === customer.id).length,
    },
    events,
  };
  // JSON inside <script>: no "</script>" can close it early.
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<script type="application/json" id="devstore-web-pixels">${json}</script>
<script src="${MANAGER_URL}" defer></script>`;
}

/**
 * The store's privacy banner, at the top of the page while the visitor has not chosen (from
 * the first paint, so it shifts nothing; manager.ts wires its buttons).
 */
export function consentBanner(request: IncomingMessage): string {
  const choice = new RegExp(`(?:^|; )${CONSENT_COOKIE}=(accepted|declined)`);
  if (choice.test(request.headers.cookie ?? "")) {
    return "";
  }
  return `<section class="devstore-consent" aria-label="Cookie consent" data-devstore-consent style="background:#f4f4f4;padding:8px 16px">
<p>This store and its apps use cookies to understand what shoppers look at.</p>
<button type="button" data-consent="accepted">Accept</button> <button type="button" data-consent="declined">Decline</button></section>`;
}

const money = (amount: string, currencyCode: string) => ({ amount: Number(amount), currencyCode });

function variantOf(product: StoreProduct, currency: string, variant = product.variants[0]) {
  return {
    id: variant?.id.toString() ?? null,
    price: money(variant?.price ?? "0", currency),
    sku: variant?.sku ?? null,
    title: variant?.title ?? null,
    image: null,
    product: {
      id: product.id.toString(),
      title: product.title,
      type: product.productType,
      vendor: product.vendor,
      url: `/products/${product.handle}`,
      untranslatedTitle: product.title,
    },
  };
}

export const productViewed = (product: StoreProduct, currency: string): PageEvent => ({
  name: "product_viewed",
  data: { productVariant: variantOf(product, currency) },
});

export const collectionViewed = (
  collection: StoreCollection,
  products: StoreProduct[],
  currency: string,
): PageEvent => ({
  name: "collection_viewed",
  data: {
    collection: {
      id: collection.id.toString(),
      title: collection.title,
      productVariants: products.map((product) => variantOf(product, currency)),
    },
  },
});

export const searchSubmitted = (
  query: string,
  products: StoreProduct[],
  currency: string,
): PageEvent => ({
  name: "search_submitted",
  data: {
    searchResult: {
      query,
      productVariants: products.map((product) => variantOf(product, currency)),
    },
  },
});

export const checkoutStarted = (
  token: string,
  lines: Array<{ product: StoreProduct; variant: StoreVariant; quantity: number }>,
  currency: string,
): PageEvent => ({
  name: "checkout_started",
  data: {
    checkout: {
      token,
      currencyCode: currency,
      totalPrice: money(
        lines.reduce((sum, line) => sum + Number(line.variant.price) * line.quantity, 0).toFixed(2),
        currency,
      ),
      lineItems: lines.map((line) => ({
        id: line.variant.id.toString(),
        quantity: line.quantity,
        title: line.product.title,
        variant: variantOf(line.product, currency, line.variant),
      })),
    },
  },
});

/** The order status page's event: the order and the customer it was placed for. */
export const checkoutCompleted = (order: StoreOrder): PageEvent => ({
  name: "checkout_completed",
  data: {
    checkout: {
      currencyCode: order.currency,
      totalPrice: money(order.totalPrice, order.currency),
      order: {
        id: order.id.toString(),
        customer: order.customerId === null ? null : { id: order.customerId.toString() },
      },
    },
  },
});
