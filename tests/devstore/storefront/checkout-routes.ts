import type { IncomingMessage, ServerResponse } from "node:http";
import type { StoreCustomer, StoreData, StoreOrder, StoreProduct, StoreVariant } from "../model";
import { readBody, type ExtraRoute } from "../server";
import type { DevStore, StoreDiscount } from "../store";
import type { CartLines, ShopperCarts } from "./carts";

const CUSTOMER_COOKIE = "devstore_customer";
/** Marks orders placed through this checkout, so a snapshot can carry them. */
const CHECKOUT_TAG = "devstore-checkout";
const cents = (money: string) => Math.round(Number(money) * 100);
const money = (value: number) => (value / 100).toFixed(2);

/** Why Shopify's checkout would refuse the code for this customer and subtotal, or null. */
export function discountRefusal(
  store: DevStore,
  discount: StoreDiscount | undefined,
  customer: StoreCustomer,
  subtotalCents: number,
  now: Date,
): string | null {
  if (!discount) return "Enter a valid discount code";
  if (discount.startsAt > now || (discount.endsAt && discount.endsAt <= now)) {
    return "This discount code has expired";
  }
  if (discount.customerIds.length > 0 && !discount.customerIds.includes(customer.id)) {
    return "This discount code is not valid for your account";
  }
  const code = discount.code.toLowerCase();
  const uses = store.data.orders.filter((order) =>
    order.discountCodes.some((used) => used.toLowerCase() === code),
  );
  if (discount.usageLimit !== null && uses.length >= discount.usageLimit) {
    return "This discount code has already been used";
  }
  if (discount.appliesOncePerCustomer && uses.some((order) => order.customerId === customer.id)) {
    return "This discount code has already been used";
  }
  if (discount.minimumSubtotal && subtotalCents < cents(discount.minimumSubtotal)) {
    return `This code needs a subtotal of at least ${discount.minimumSubtotal}`;
  }
  return null;
}

/**
 * A customer account made on the storefront's sign-up form (`POST /account/register`: email,
 * first_name, accepts_marketing), with email marketing consent when the box was ticked.
 */
function registeredCustomer(store: DevStore, form: URLSearchParams): StoreCustomer | null {
  const email = form.get("email")?.trim() ?? "";
  if (!email.includes("@")) return null;
  const now = new Date();
  const consent = form.get("accepts_marketing") === "true";
  return {
    id: store.allocateId(),
    email,
    firstName: form.get("first_name")?.trim() || null,
    lastName: null,
    phone: null,
    locale: "en",
    state: "ENABLED",
    tags: [],
    emailMarketing: consent ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    emailMarketingUpdatedAt: consent ? now : null,
    smsMarketing: "NOT_SUBSCRIBED",
    verifiedEmail: true,
    taxExempt: false,
    address: null,
    createdAt: now,
    updatedAt: now,
    truth: { lambda: 0, dropoutP: 0, meanOrderValue: 0, diedAt: null, tasteGroup: 0 },
  };
}

/** One line to check out: the product, its variant and how many. */
interface CheckoutLine {
  product: StoreProduct;
  variant: StoreVariant;
  quantity: number;
}

/**
 * The logged-in shopper's checkout: `POST /checkout` with `product_id` buys one of that product;
 * without it, the shopper's cart (what the Cart AJAX API put there), which is then emptied, as
 * Shopify empties the cart once its checkout completes. An optional `discount_code` is checked
 * the way Shopify's checkout checks a code (dates, the customers it is limited to, usage limits,
 * minimum subtotal) and spread over the lines in proportion to their amounts. The order lands in
 * the store and reaches the app as orders/create, like any other.
 */
export function checkoutRoutes(store: DevStore, carts: ShopperCarts): ExtraRoute {
  const loggedIn = (request: IncomingMessage) => {
    const match = new RegExp(`${CUSTOMER_COOKIE}=(\\d+)`).exec(request.headers.cookie ?? "");
    return match ? (store.customersById.get(BigInt(match[1] ?? "0")) ?? null) : null;
  };
  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const cartLines = (lines: CartLines): CheckoutLine[] =>
    [...lines].flatMap(([variantId, quantity]) => {
      const product = store.data.products.find((candidate) =>
        candidate.variants.some((variant) => variant.id === variantId),
      );
      const variant = product?.variants.find((candidate) => candidate.id === variantId);
      return product && variant ? [{ product, variant, quantity }] : [];
    });

  return async (request, response, url) => {
    if (url.pathname === "/account/register" && request.method === "POST") {
      const form = new URLSearchParams(await readBody(request));
      const customer = registeredCustomer(store, form);
      if (!customer) {
        reply(response, 422, { error: "Enter an email address" });
        return true;
      }
      store.addCustomer(customer);
      response.writeHead(303, {
        Location: "/",
        "Set-Cookie": `${CUSTOMER_COOKIE}=${customer.id}; Path=/; HttpOnly; SameSite=Lax`,
      });
      response.end();
      return true;
    }
    if (url.pathname === "/checkout/leave" && request.method === "POST") {
      // The shopper reaches the checkout with one product and closes the tab.
      const customer = loggedIn(request);
      const productId = new URLSearchParams(await readBody(request)).get("product_id") ?? "";
      const product = /^\d+$/.test(productId)
        ? store.productsById.get(BigInt(productId))
        : undefined;
      const variant = product?.variants[0];
      if (!customer || !product || !variant) {
        reply(response, customer ? 422 : 401, {
          error: customer ? "No such product" : "Log in to check out",
        });
        return true;
      }
      const started = store.startCheckout(customer, [
        {
          productId: product.id,
          variantId: variant.id,
          title: product.title,
          quantity: 1,
          price: variant.price,
        },
      ]);
      reply(response, 201, { checkout: { id: started.id.toString(), token: started.token } });
      return true;
    }
    if (url.pathname !== "/checkout" || request.method !== "POST") return false;
    const customer = loggedIn(request);
    if (!customer) {
      reply(response, 401, { error: "Log in to check out" });
      return true;
    }
    const form = new URLSearchParams(await readBody(request));
    const productId = form.get("product_id");
    const cart = productId === null ? carts.of(request) : null;
    const product =
      productId !== null && /^\d+$/.test(productId)
        ? store.productsById.get(BigInt(productId))
        : undefined;
    const lines: CheckoutLine[] = cart
      ? cartLines(cart.lines)
      : product?.variants[0]
        ? [{ product, variant: product.variants[0], quantity: 1 }]
        : [];
    if (lines.length === 0) {
      reply(response, 422, { error: cart ? "Your cart is empty" : "No such product" });
      return true;
    }
    const now = new Date();
    const lineCents = lines.map((line) => cents(line.variant.price) * line.quantity);
    const subtotal = lineCents.reduce((sum, amount) => sum + amount, 0);
    const code = form.get("discount_code")?.trim() ?? "";
    const discount = code
      ? store.discounts.find((candidate) => candidate.code.toLowerCase() === code.toLowerCase())
      : undefined;
    const refusal = code ? discountRefusal(store, discount, customer, subtotal, now) : null;
    if (refusal) {
      reply(response, 422, { error: refusal });
      return true;
    }
    const off = !discount
      ? 0
      : discount.percentage !== null
        ? Math.round(subtotal * discount.percentage)
        : Math.min(subtotal, cents(discount.amount ?? "0"));
    // Each line's share of the discount; the last line takes the rounding remainder.
    const lineOff = lineCents.map((amount) => Math.floor((off * amount) / subtotal));
    const spread = lineOff.reduce((sum, amount) => sum + amount, 0);
    lineOff[lineOff.length - 1] = (lineOff[lineOff.length - 1] ?? 0) + off - spread;
    const id = store.allocateId();
    const order: StoreOrder = {
      id,
      name: `#${9000 + store.data.orders.length}`,
      customerId: customer.id,
      email: customer.email,
      currency: store.shop.currency,
      sourceName: "web",
      tags: [CHECKOUT_TAG],
      discountCodes: discount ? [code] : [],
      lineItems: lines.map((line, index) => ({
        id: store.allocateId(),
        productId: line.product.id,
        variantId: line.variant.id,
        title: line.product.title,
        variantTitle: line.variant.title,
        sku: line.variant.sku,
        quantity: line.quantity,
        price: line.variant.price,
        totalDiscount: money(lineOff[index] ?? 0),
        giftCard: false,
      })),
      subtotalPrice: money(subtotal - off),
      totalDiscounts: money(off),
      totalTax: "0.00",
      totalPrice: money(subtotal - off),
      financialStatus: "PAID",
      fulfillmentStatus: null,
      test: false,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      refunds: [],
    };
    store.addOrder(order);
    cart?.lines.clear();
    reply(response, 201, {
      order: {
        id: id.toString(),
        name: order.name,
        total: order.totalPrice,
        lines: order.lineItems.map((line) => ({
          productId: line.productId.toString(),
          variantId: line.variantId.toString(),
          quantity: line.quantity,
          amount: money(cents(line.price) * line.quantity - cents(line.totalDiscount)),
        })),
      },
    });
    return true;
  };
}

/**
 * What the app did to the store, for tests of the running demo (its store lives in another
 * process): `GET /__devstore/winback` lists the discounts, offer metafields, Flow triggers and
 * customer tags.
 */
export function inspectionRoutes(store: DevStore): ExtraRoute {
  return async (request, response, url) => {
    if (url.pathname !== "/__devstore/winback") return false;
    const offers = [...store.metafields.values()]
      .filter((metafield) => metafield.key === "winback_offer")
      .map((metafield) => ({ ownerId: metafield.ownerId, value: metafield.value }));
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(
      JSON.stringify({
        discounts: store.discounts.map((discount) => ({
          code: discount.code,
          customerIds: discount.customerIds.map(String),
          usageLimit: discount.usageLimit,
          percentage: discount.percentage,
          endsAt: discount.endsAt?.toISOString() ?? null,
        })),
        offers,
        flowTriggers: store.flowTriggers.map((trigger) => ({
          handle: trigger.handle,
          payload: trigger.payload,
        })),
        taggedCustomers: store.data.customers
          .filter((customer) => customer.tags.includes("rekindle-winback"))
          .map((customer) => customer.id.toString()),
        customers: store.data.customers.map((customer) => ({
          id: customer.id.toString(),
          email: customer.email,
          tags: customer.tags,
          emailMarketing: customer.emailMarketing,
          updatedAt: customer.updatedAt.toISOString(),
        })),
        checkoutOrders: store.data.orders
          .filter((order) => order.tags.includes(CHECKOUT_TAG))
          .map(
            (order) =>
              JSON.parse(
                JSON.stringify(order, (_key, value: unknown) =>
                  typeof value === "bigint" ? value.toString() : value,
                ),
              ) as unknown,
          ),
      }),
    );
    return true;
  };
}

export interface WinbackSnapshot {
  discounts: Array<{ code: string; customerIds: string[]; usageLimit: number | null }>;
  offers: Array<{ ownerId: string; value: string }>;
  flowTriggers: Array<{ handle: string; payload: Record<string, unknown> }>;
  taggedCustomers: string[];
  customers: Array<{
    id: string;
    email: string | null;
    tags: string[];
    emailMarketing: StoreCustomer["emailMarketing"];
    updatedAt: string;
  }>;
  checkoutOrders: Array<Record<string, unknown>>;
}

/**
 * The generated store brought up to the running store's state from a snapshot: customers'
 * tags, consent and update times (the app tags customers) and the orders shoppers placed.
 */
export function applySnapshot(data: StoreData, snapshot: WinbackSnapshot): StoreData {
  const live = new Map(snapshot.customers.map((customer) => [customer.id, customer]));
  const customers = data.customers.map((customer) => {
    const now = live.get(customer.id.toString());
    return now
      ? {
          ...customer,
          tags: now.tags,
          emailMarketing: now.emailMarketing,
          updatedAt: new Date(now.updatedAt),
        }
      : customer;
  });
  const placed = snapshot.checkoutOrders.map((json) => {
    const order = json as unknown as StoreOrder & Record<string, string>;
    const date = (value: unknown) => (value ? new Date(String(value)) : null);
    return {
      ...order,
      id: BigInt(String(json.id)),
      customerId: json.customerId ? BigInt(String(json.customerId)) : null,
      lineItems: order.lineItems.map((line) => ({
        ...line,
        id: BigInt(String(line.id)),
        productId: BigInt(String(line.productId)),
        variantId: BigInt(String(line.variantId)),
      })),
      createdAt: date(json.createdAt) ?? new Date(0),
      processedAt: date(json.processedAt) ?? new Date(0),
      updatedAt: date(json.updatedAt) ?? new Date(0),
      cancelledAt: date(json.cancelledAt),
      refunds: [],
    } satisfies StoreOrder;
  });
  return { ...data, customers, orders: [...data.orders, ...placed] };
}
