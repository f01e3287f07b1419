/**
 * Generated storefront browsing for a generated store: the product_viewed events a web pixel
 * would have recorded over the last `days`, for its customers and for anonymous visitors. Views
 * concentrate where shoppers end up buying: before each order its products are viewed a few
 * times (with a look at similar products of the same taste group), and besides that everyone
 * browses a little, mostly popular products and those of their own taste. Some of a customer's
 * views come from a browser before they signed in; `visitors` stitches those browsers to them.
 * The recommender evaluation (branch pixel-recs) and the demo both draw from this.
 */
import type { StoreCustomer, StoreData, StoreOrder, StoreProduct } from "../model";
import { pickWeighted, zipfCumulative, type Uniform } from "./distributions";

export interface GeneratedView {
  eventId: string;
  occurredAt: Date;
  /** The browser (Shopify's client id). */
  clientId: string;
  /** The signed-in customer; null for a guest or a customer not signed in yet. */
  customerId: bigint | null;
  productId: bigint;
}

export interface GeneratedBrowsing {
  views: GeneratedView[];
  /** Browsers known to belong to a customer (they signed in or checked out on them). */
  visitors: Array<{ clientId: string; customerId: bigint }>;
}

export interface BrowsingOptions {
  random: Uniform;
  /** Browsing happens before this instant (the store's history end). */
  endDate: Date;
  /** Days of browsing before `endDate`: the pixel's retention by default. */
  days?: number;
  /** Anonymous visitors who never buy, per customer of the store. */
  anonymousPerCustomer?: number;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

export function generateBrowsing(
  store: Pick<StoreData, "customers" | "products" | "orders">,
  options: BrowsingOptions,
): GeneratedBrowsing {
  const { random } = options;
  const end = options.endDate.getTime();
  const start = end - (options.days ?? 90) * DAY;
  const active = store.products.filter((product) => product.status === "ACTIVE");
  if (active.length === 0) return { views: [], visitors: [] };
  const popularity = zipfCumulative(active.length, 1.05);
  const byGroup = groupByTaste(active);
  const byId = new Map(active.map((product) => [product.id, product]));
  const views: GeneratedView[] = [];
  const visitors: GeneratedBrowsing["visitors"] = [];
  let sequence = 0;
  const view = (clientId: string, customerId: bigint | null, productId: bigint, at: number) => {
    // Strictly before the end: a day's partition can then be created without moving rows.
    const time = Math.min(Math.max(at, start), end - 1);
    views.push({
      eventId: `gen-${(++sequence).toString(36)}`,
      occurredAt: new Date(time),
      clientId,
      customerId,
      productId,
    });
  };
  const popular = () => active[pickWeighted(random, popularity)] as StoreProduct;

  const ordersByCustomer = recentOrdersByCustomer(store.orders, start, end);
  for (const customer of store.customers) {
    const browser = clientId(random);
    const orders = ordersByCustomer.get(customer.id) ?? [];
    // Customers who shop browse more; about a third of the others look around at all.
    const sessions = orders.length > 0 ? poissonish(random, 2) : random() < 0.35 ? 1 : 0;
    if (orders.length === 0 && sessions === 0) continue;
    // A customer's browser is known to the app once they signed in or checked out on it.
    const signsIn = orders.length > 0 || random() < 0.4;
    if (signsIn) visitors.push({ clientId: browser, customerId: customer.id });
    const taste = tasteOf(random, customer, orders, { byId, byGroup }, popular);
    const signedIn = () => (signsIn && random() < 0.6 ? customer.id : null);

    for (const order of orders) {
      const buyAt = order.processedAt.getTime();
      for (const line of order.lineItems) {
        const looks = 1 + Math.floor(random() * 3);
        for (let k = 0; k < looks; k++) {
          view(browser, signedIn(), line.productId, buyAt - random() * 7 * DAY - 10 * MINUTE);
        }
        const product = byId.get(line.productId);
        const similar = product ? (byGroup.get(product.tasteGroup) ?? []) : [];
        const compared = Math.floor(random() * 3);
        for (let k = 0; k < compared && similar.length > 0; k++) {
          const other = similar[Math.floor(random() * similar.length)] as StoreProduct;
          view(browser, signedIn(), other.id, buyAt - random() * 7 * DAY - 5 * MINUTE);
        }
      }
    }
    for (let session = 0; session < sessions; session++) {
      const at = start + random() * (end - start);
      const pages = 1 + Math.floor(random() * 5);
      for (let page = 0; page < pages; page++) {
        const product = random() < 0.6 ? taste() : popular();
        view(browser, signedIn(), product.id, at + page * 2 * MINUTE);
      }
    }
  }

  const anonymous = Math.round(store.customers.length * (options.anonymousPerCustomer ?? 1));
  for (let visitor = 0; visitor < anonymous; visitor++) {
    const browser = clientId(random);
    const at = start + random() * (end - start);
    const pages = 1 + Math.floor(random() * 4);
    for (let page = 0; page < pages; page++) view(browser, null, popular().id, at + page * MINUTE);
  }
  views.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return { views, visitors };
}

function groupByTaste(products: readonly StoreProduct[]): Map<number, StoreProduct[]> {
  const groups = new Map<number, StoreProduct[]>();
  for (const product of products) {
    const group = groups.get(product.tasteGroup) ?? [];
    group.push(product);
    groups.set(product.tasteGroup, group);
  }
  return groups;
}

/** Each customer's orders placed inside the browsing window (orders are sorted by time). */
function recentOrdersByCustomer(
  orders: readonly StoreOrder[],
  start: number,
  end: number,
): Map<bigint, StoreOrder[]> {
  const byCustomer = new Map<bigint, StoreOrder[]>();
  for (const order of orders) {
    const at = order.processedAt.getTime();
    if (order.customerId === null || order.test || at < start || at >= end) continue;
    const list = byCustomer.get(order.customerId) ?? [];
    list.push(order);
    byCustomer.set(order.customerId, list);
  }
  return byCustomer;
}

/** A product of the customer's taste: the group of something they bought, else one by their id. */
function tasteOf(
  random: Uniform,
  customer: StoreCustomer,
  orders: readonly StoreOrder[],
  catalogue: { byId: Map<bigint, StoreProduct>; byGroup: Map<number, StoreProduct[]> },
  popular: () => StoreProduct,
): () => StoreProduct {
  const bought = orders[0]?.lineItems[0]?.productId;
  const own = bought === undefined ? undefined : catalogue.byId.get(bought)?.tasteGroup;
  const groups = [...catalogue.byGroup.keys()];
  const group =
    catalogue.byGroup.get(own ?? groups[Number(customer.id % BigInt(groups.length))] ?? 0) ?? [];
  return () => group[Math.floor(random() * group.length)] ?? popular();
}

/** 0, 1, 2, … with mean about `mean` (a geometric count: a few shoppers browse a lot). */
function poissonish(random: Uniform, mean: number): number {
  let count = 0;
  while (random() < mean / (mean + 1) && count < 20) count++;
  return count;
}

/** A UUID-shaped id, as Shopify's client ids look, from the seeded source. */
function clientId(random: Uniform): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
