import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { EXTENSION_DIR } from "../../../scripts/build-theme-assets";
import type { StoreCustomer, StoreProduct } from "../model";
import { gid } from "../shopify-json";
import { readBody, type AppCredentials, type ExtraRoute } from "../server";
import { signAppProxyQuery } from "../signing";
import { onStoreCdn, productImageHandle, productImageSvg } from "../product-images";
import type { DevStore } from "../store";
import type { ShopperCarts } from "./carts";
import { createExtensionEngine, escapeHtml, EXTENSION_ASSET_PATH } from "./extension-liquid";
import type { PageEvent } from "./web-pixels/page-config";
import {
  checkoutCompleted,
  checkoutStarted,
  collectionViewed,
  consentBanner,
  productViewed,
  searchSubmitted,
  webPixelsHead,
} from "./web-pixels/web-pixels-routes";

const PROXY_PREFIX = "/apps/rekindle";
const CUSTOMER_COOKIE = "devstore_customer";

/** The settings a block starts with in the theme editor: the defaults in its `{% schema %}`. */
function schemaDefaults(block: string): Record<string, unknown> {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
  const json = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source)?.[1];
  const schema = JSON.parse(json ?? "{}") as {
    settings?: Array<{ id?: string; default?: unknown }>;
  };
  return Object.fromEntries(
    (schema.settings ?? []).filter((s) => s.id).map((s) => [s.id, s.default ?? null]),
  );
}

const money = (amount: string) => `$${Number(amount).toFixed(2)}`;

/** The theme's add-to-cart button: the Cart AJAX API, as a theme's product form uses it. */
function addToCartButton(product: StoreProduct): string {
  const variant = product.variants.find((v) => v.inventoryQuantity > 0);
  if (!variant) return "<p>Sold out</p>";
  return `<button type="button" data-add-to-cart="${variant.id}">Add to cart</button> <span role="status" data-cart-status></span>
<script>document.querySelector("[data-add-to-cart]").addEventListener("click",async(e)=>{const r=await fetch("/cart/add.js",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({items:[{id:e.currentTarget.dataset.addToCart,quantity:1}]})});document.querySelector("[data-cart-status]").textContent=r.ok?"Added to cart":"Could not add to cart"})</script>`;
}

/** Where a placed order's shopper lands, as Shopify's order status page. */
const ORDER_STATUS_PATH = "/checkout/thank-you";

/**
 * The checkout page's button: places the order through POST /checkout (checkout-routes.ts),
 * then shows its order status page.
 */
const PLACE_ORDER = `<button type="button" data-place-order>Place order</button> <span role="status" data-order-status></span>
<script>document.querySelector("[data-place-order]").addEventListener("click",async()=>{const r=await fetch("/checkout",{method:"POST"});const b=await r.json();if(r.ok)location.assign("${ORDER_STATUS_PATH}?order="+b.order.id);else document.querySelector("[data-order-status]").textContent=b.error})</script>`;

const cents = (amount: string) => Math.round(Number(amount) * 100);

function productLiquid(product: StoreProduct) {
  const variant = product.variants[0];
  const firstAvailable = product.variants.find((v) => v.inventoryQuantity > 0) ?? variant;
  return {
    selected_or_first_available_variant: firstAvailable && {
      id: firstAvailable.id,
      price: cents(firstAvailable.price),
      available: firstAvailable.inventoryQuantity > 0,
    },
    id: product.id,
    title: product.title,
    handle: product.handle,
    featured_image: product.imageUrl ? { src: onStoreCdn(product.imageUrl) } : null,
    url: `/products/${product.handle}`,
    price: variant ? Math.round(Number(variant.price) * 100) : 0,
    available: product.variants.some((v) => v.inventoryQuantity > 0),
  };
}

/**
 * A minimal Online Store theme: home, collection, product, search, cart, checkout and account
 * pages that render the app's theme app extension ("Recommended for you", "Frequently bought
 * together" on product pages, "Recently viewed" on product, collection and home pages, "Cart
 * recommendations" on the cart page, and the win-back app embed) with liquidjs, serve its
 * assets, and forward `/apps/rekindle/*` to the app as a signed app proxy request. A shopper
 * "logs in" as any customer through `/account/login?customer_id=`. Every page runs the app's
 * web pixel (once the app activated it) behind a consent banner, with the page's standard
 * events (web-pixels/).
 */
export function storefrontRoutes(options: {
  store: DevStore;
  appUrl: string;
  app: AppCredentials;
  carts: ShopperCarts;
}): ExtraRoute {
  const { store, carts } = options;
  const engine = createExtensionEngine();
  const recommendationsSettings = schemaDefaults("recommendations");
  const cartRecommendationsSettings = schemaDefaults("cart-recommendations");
  const winbackSettings = schemaDefaults("winback-banner");
  const bundleSettings = schemaDefaults("frequently-bought-together");
  const recentlyViewedSettings = schemaDefaults("recently-viewed");
  /** Looked up live: the store's catalogue changes while the demo runs. */
  const variantsById = {
    get: (id: bigint) => {
      for (const product of store.data.products) {
        const variant = product.variants.find((v) => v.id === id);
        if (variant) return { variant, product };
      }
      return undefined;
    },
  };

  const activeProducts = () => store.data.products.filter((p) => p.status === "ACTIVE");

  const loggedInCustomer = (request: IncomingMessage): StoreCustomer | null => {
    const cookie = request.headers.cookie ?? "";
    const match = new RegExp(`${CUSTOMER_COOKIE}=(\\d+)`).exec(cookie);
    return match ? (store.customersById.get(BigInt(match[1] ?? "0")) ?? null) : null;
  };

  const customerLiquid = (customer: StoreCustomer | null) => {
    if (!customer) return null;
    const offer = store.metafields.get(
      `${gid("Customer", customer.id)}|$app:rekindle|winback_offer`,
    );
    let value: unknown = null;
    try {
      value = offer ? JSON.parse(offer.value) : null;
    } catch {
      value = null;
    }
    return {
      id: customer.id,
      first_name: customer.firstName,
      email: customer.email,
      metafields: { "$app:rekindle": { winback_offer: value ? { value } : null } },
    };
  };

  async function page(
    request: IncomingMessage,
    template: string,
    title: string,
    body: string,
    scope: Record<string, unknown> = {},
    pixelEvents: PageEvent[] = [],
  ) {
    const customer = loggedInCustomer(request);
    const common = {
      routes: { root_url: "/" },
      request: { design_mode: false },
      template: { name: template },
      customer: customerLiquid(customer),
      ...scope,
    };
    // The cart template gets the cart's own block, as a merchant adds it in the theme editor.
    const recommendations = await engine.renderFile(
      template === "cart" ? "cart-recommendations" : "recommendations",
      {
        ...common,
        block: {
          id: `recs-${template}`,
          shopify_attributes: "",
          settings: template === "cart" ? cartRecommendationsSettings : recommendationsSettings,
        },
      },
    );
    const bundle =
      template === "product"
        ? await engine.renderFile("frequently-bought-together", {
            ...common,
            block: { id: "fbt", shopify_attributes: "", settings: bundleSettings },
          })
        : "";
    const recentlyViewed = ["product", "collection", "index"].includes(template)
      ? await engine.renderFile("recently-viewed", {
          ...common,
          block: { id: "viewed", shopify_attributes: "", settings: recentlyViewedSettings },
        })
      : "";
    // An app embed renders only while the merchant has it switched on in the theme editor.
    const banner = store.theme.appEmbedEnabled("winback-banner")
      ? await engine.renderFile("winback-banner", {
          ...common,
          block: { id: "winback", shopify_attributes: "", settings: winbackSettings },
        })
      : "";
    const account = customer
      ? `Logged in as ${escapeHtml(customer.firstName ?? "customer")} · <a href="/account/logout">Log out</a>`
      : `<a href="/account/login">Log in</a>`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(store.shop.name)}</title>
<link rel="stylesheet" href="${EXTENSION_ASSET_PATH}recommendations.css">
<link rel="stylesheet" href="${EXTENSION_ASSET_PATH}winback-banner.css">
<link rel="stylesheet" href="${EXTENSION_ASSET_PATH}frequently-bought-together.css">
<script>window.Shopify={routes:{root:"/"}}</script>
<script src="${EXTENSION_ASSET_PATH}frequently-bought-together.js" defer></script>
<script src="${EXTENSION_ASSET_PATH}recommendations.js" defer></script>
<script src="${EXTENSION_ASSET_PATH}recently-viewed.js" defer></script>
<script src="${EXTENSION_ASSET_PATH}winback-banner.js" defer></script>
${webPixelsHead(store, customer, pixelEvents)}
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0}header,main{max-width:1100px;margin:0 auto;padding:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px;list-style:none;padding:0}</style>
</head><body>
${consentBanner(request)}
<header><a href="/">${escapeHtml(store.shop.name)}</a> · <a href="/cart">Cart</a> · ${account}
<form action="/search" role="search"><input type="search" name="q" aria-label="Search products"> <button>Search</button></form></header>
<main id="MainContent"><h1>${escapeHtml(title)}</h1>${body}
<div class="shopify-section">${bundle}</div>
<div class="shopify-section">${recommendations}</div>
<div class="shopify-section">${recentlyViewed}</div></main>
${banner}
</body></html>`;
  }

  const productList = (products: StoreProduct[]) =>
    `<ul class="grid">${products
      .map(
        (p) =>
          `<li><a href="/products/${escapeHtml(p.handle)}">${escapeHtml(p.title)}</a> ${money(p.variants[0]?.price ?? "0")}</li>`,
      )
      .join("")}</ul>`;

  const send = (response: ServerResponse, status: number, html: string, headers = {}) => {
    response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
    response.end(html);
  };

  async function forwardToAppProxy(request: IncomingMessage, response: ServerResponse, url: URL) {
    const customer = loggedInCustomer(request);
    const query = signAppProxyQuery({
      query: url.searchParams,
      shop: store.shop.domain,
      pathPrefix: PROXY_PREFIX,
      loggedInCustomerId: customer ? customer.id.toString() : null,
      secret: options.app.secret,
    });
    const target = new URL(`/proxy${url.pathname.slice(PROXY_PREFIX.length)}`, options.appUrl);
    target.search = query.toString();
    const method = request.method ?? "GET";
    const upstream = await fetch(target, {
      method,
      body: method === "GET" || method === "HEAD" ? undefined : await readBody(request),
      headers: {
        "Content-Type": request.headers["content-type"] ?? "text/plain",
        "X-Forwarded-Host": store.shop.domain,
      },
    });
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "cache-control"]) {
      const value = upstream.headers.get(name);
      if (value) headers[name] = value;
    }
    response.writeHead(upstream.status, headers);
    // Product images in the app's answers load from here, the CDN stand-in.
    const body = Buffer.from(await upstream.arrayBuffer());
    response.end(headers["content-type"]?.includes("json") ? onStoreCdn(body.toString()) : body);
  }

  const lineJson = (variantId: bigint, quantity: number) => {
    const entry = variantsById.get(variantId);
    const price = cents(entry?.variant.price ?? "0");
    return {
      id: variantId.toString(),
      variant_id: variantId.toString(),
      product_id: entry?.product.id.toString() ?? "",
      title: entry?.product.title ?? "",
      quantity,
      price,
      line_price: price * quantity,
    };
  };

  const sendJson = (
    response: ServerResponse,
    status: number,
    body: unknown,
    cookie: string | null,
  ) => {
    response.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      ...(cookie ? { "Set-Cookie": cookie } : {}),
    });
    response.end(JSON.stringify(body));
  };

  /** Shopify's Cart AJAX API `POST /cart/add.js` (`{items:[{id, quantity}]}`), all or nothing. */
  async function cartAdd(request: IncomingMessage, response: ServerResponse) {
    const cart = carts.of(request);
    const refuse = (status: number, description: string) =>
      sendJson(response, status, { status, message: "Cart Error", description }, cart.setCookie);
    let items: unknown;
    try {
      // Shopify reads ids with every digit; JSON.parse would round those above 2^53.
      const text = (await readBody(request)).replace(/("id"\s*:\s*)(\d+)/g, '$1"$2"');
      items = (JSON.parse(text) as { items?: unknown }).items;
    } catch {
      return refuse(400, "Body is not JSON");
    }
    if (!Array.isArray(items) || items.length === 0) return refuse(422, "No items");
    const lines: [bigint, number][] = [];
    for (const item of items as { id?: unknown; quantity?: unknown }[]) {
      const id = /^\d{1,19}$/.test(String(item.id)) ? BigInt(String(item.id)) : null;
      const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
      const entry = id === null ? undefined : variantsById.get(id);
      if (id === null || !entry || entry.product.status !== "ACTIVE") {
        return refuse(404, "Cannot find variant");
      }
      if (!Number.isInteger(quantity) || quantity < 1) return refuse(422, "Invalid quantity");
      if (entry.variant.inventoryQuantity < quantity) return refuse(422, "Sold out");
      lines.push([id, quantity]);
    }
    for (const [id, quantity] of lines) cart.lines.set(id, (cart.lines.get(id) ?? 0) + quantity);
    sendJson(response, 200, { items: lines.map(([id, q]) => lineJson(id, q)) }, cart.setCookie);
  }

  function cartJson(request: IncomingMessage, response: ServerResponse) {
    const cart = carts.of(request);
    const items = [...cart.lines].map(([id, quantity]) => lineJson(id, quantity));
    sendJson(
      response,
      200,
      {
        token: cart.token,
        item_count: items.reduce((sum, item) => sum + item.quantity, 0),
        total_price: items.reduce((sum, item) => sum + item.line_price, 0),
        currency: store.shop.currency,
        items,
      },
      cart.setCookie,
    );
  }

  return async (request, response, url) => {
    const pathname = url.pathname;
    if (pathname === "/cart/add.js" && request.method === "POST") {
      await cartAdd(request, response);
      return true;
    }
    if (pathname === "/cart.js") {
      cartJson(request, response);
      return true;
    }
    if (pathname.startsWith(`${PROXY_PREFIX}/`) || pathname === PROXY_PREFIX) {
      await forwardToAppProxy(request, response, url);
      return true;
    }
    if (pathname.startsWith(EXTENSION_ASSET_PATH)) {
      const name = path.basename(pathname);
      try {
        const content = readFileSync(path.join(EXTENSION_DIR, "assets", name));
        const type = name.endsWith(".js")
          ? "text/javascript"
          : name.endsWith(".css")
            ? "text/css"
            : "application/octet-stream";
        response.writeHead(200, { "Content-Type": `${type}; charset=utf-8` });
        response.end(content);
      } catch {
        send(response, 404, "Not found");
      }
      return true;
    }
    const imageHandle = productImageHandle(pathname);
    if (imageHandle !== null) {
      const product = store.data.products.find((candidate) => candidate.handle === imageHandle);
      if (!product) {
        send(response, 404, "Not found");
        return true;
      }
      response.writeHead(200, {
        "Content-Type": "image/svg+xml",
        "Cache-Control": "public, max-age=86400",
      });
      response.end(productImageSvg(product));
      return true;
    }
    if (pathname === "/account/login") {
      const id = url.searchParams.get("customer_id");
      if (id && /^\d+$/.test(id) && store.customersById.has(BigInt(id))) {
        response.writeHead(303, {
          Location: "/",
          "Set-Cookie": `${CUSTOMER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
        });
        response.end();
        return true;
      }
      const sample = store.data.customers.slice(0, 10);
      send(
        response,
        200,
        await page(
          request,
          "customers/login",
          "Log in",
          `<p>Pick a customer to log in as:</p><ul>${sample
            .map(
              (c) =>
                `<li><a href="/account/login?customer_id=${c.id}">${escapeHtml(`${c.firstName ?? ""} ${c.lastName ?? ""}`)}</a></li>`,
            )
            .join("")}</ul>`,
        ),
      );
      return true;
    }
    if (pathname === "/account/logout") {
      response.writeHead(303, {
        Location: "/",
        "Set-Cookie": `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0`,
      });
      response.end();
      return true;
    }
    if (pathname === "/") {
      send(
        response,
        200,
        await page(request, "index", store.shop.name, productList(activeProducts().slice(0, 12))),
      );
      return true;
    }
    const productMatch = /^\/products\/([\w-]+)$/.exec(pathname);
    if (productMatch) {
      const product = activeProducts().find((p) => p.handle === productMatch[1]);
      if (!product) {
        send(response, 404, await page(request, "404", "Not found", ""));
        return true;
      }
      const body = `<p class="price">${money(product.variants[0]?.price ?? "0")}</p><p>${escapeHtml(product.vendor)} · ${escapeHtml(product.productType)}</p>${addToCartButton(product)}`;
      send(
        response,
        200,
        await page(request, "product", product.title, body, { product: productLiquid(product) }, [
          productViewed(product, store.shop.currency),
        ]),
      );
      return true;
    }
    const collectionMatch = /^\/collections\/([\w-]+)$/.exec(pathname);
    if (collectionMatch) {
      const collection = store.data.collections.find((c) => c.handle === collectionMatch[1]);
      if (!collection) {
        send(response, 404, await page(request, "404", "Not found", ""));
        return true;
      }
      const products = activeProducts().filter((p) => p.collectionIds.includes(collection.id));
      send(
        response,
        200,
        await page(
          request,
          "collection",
          collection.title,
          productList(products),
          { collection: { id: collection.id, title: collection.title } },
          [collectionViewed(collection, products, store.shop.currency)],
        ),
      );
      return true;
    }
    if (pathname === "/search") {
      const query = (url.searchParams.get("q") ?? "").trim();
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const found = words.length
        ? activeProducts().filter((p) =>
            words.every((word) => p.title.toLowerCase().includes(word)),
          )
        : [];
      const events = query ? [searchSubmitted(query, found, store.shop.currency)] : [];
      send(
        response,
        200,
        await page(
          request,
          "search",
          query ? `Search: ${query}` : "Search",
          found.length ? productList(found) : "<p>No products found.</p>",
          {},
          events,
        ),
      );
      return true;
    }
    if (pathname === "/checkout" && request.method === "GET") {
      const cart = carts.of(request);
      const lines = [...cart.lines].flatMap(([variantId, quantity]) => {
        const entry = variantsById.get(variantId);
        return entry ? [{ ...entry, quantity }] : [];
      });
      const body = lines.length
        ? `<ul>${lines.map((line) => `<li>${escapeHtml(line.product.title)} × ${line.quantity}</li>`).join("")}</ul>${PLACE_ORDER}`
        : "<p>Your cart is empty.</p>";
      send(
        response,
        200,
        await page(
          request,
          "checkout",
          "Checkout",
          body,
          {},
          lines.length ? [checkoutStarted(cart.token, lines, store.shop.currency)] : [],
        ),
        cart.setCookie ? { "Set-Cookie": cart.setCookie } : {},
      );
      return true;
    }
    if (pathname === ORDER_STATUS_PATH && request.method === "GET") {
      const orderId = url.searchParams.get("order") ?? "";
      const order = /^\d+$/.test(orderId) ? store.ordersById.get(BigInt(orderId)) : undefined;
      // Shown to the shopper who placed it only (Shopify's page is behind the order's token).
      const shopper = loggedInCustomer(request);
      if (!order || !shopper || order.customerId !== shopper.id) {
        send(response, 404, "Not found");
        return true;
      }
      send(
        response,
        200,
        await page(
          request,
          "checkout",
          "Thank you",
          `<p data-order-placed>Order ${escapeHtml(order.name)} placed. Thank you!</p>`,
          {},
          [checkoutCompleted(order)],
        ),
      );
      return true;
    }
    if (pathname === "/cart") {
      const cart = carts.of(request);
      const items = [...cart.lines].map(([id, quantity]) => lineJson(id, quantity));
      const list = items.length
        ? `<ul data-cart-items>${items.map((item) => `<li data-variant-id="${item.variant_id}">${escapeHtml(item.title)} × ${item.quantity}</li>`).join("")}</ul>`
        : "<p>Your cart is empty.</p>";
      const checkoutLink = items.length ? '<p><a href="/checkout">Check out</a></p>' : "";
      send(
        response,
        200,
        await page(request, "cart", "Your cart", list + checkoutLink, {
          cart: {
            items: items.map((item) => ({ product_id: item.product_id, title: item.title })),
          },
        }),
        cart.setCookie ? { "Set-Cookie": cart.setCookie } : {},
      );
      return true;
    }
    return false;
  };
}
