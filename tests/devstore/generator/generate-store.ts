import type { StoreCustomer, StoreData, StoreLineItem, StoreOrder, StoreRefund } from "../model";
import { seededRandom } from "../seeded-random";
import { buildCatalogue, type Catalogue } from "./catalogue";
import {
  beta,
  exponential,
  gamma,
  pickWeighted,
  zipfCumulative,
  type Uniform,
} from "./distributions";
import { customerTags, emailConsent, emailFor, personName, place } from "./people";

export interface GenerateOptions {
  seed: number;
  /** Orders to generate (±10%): 1k to 1M. */
  orders: number;
  shopDomain?: string;
  /** The history ends here; by default today at 00:00 UTC, so a store made today is one store. */
  endDate?: Date;
  years?: number;
}

const DAY = 86_400_000;

/**
 * The end date tests and benchmarks pin, so the stores they generate, and every figure they
 * assert on, stay the same whatever day they run.
 */
export const FIXED_END_DATE = new Date("2026-11-01T00:00:00Z");

/** Today at 00:00 UTC: the default end of a generated store's history. */
export function startOfTodayUtc(now = new Date()): Date {
  return new Date(Math.floor(now.getTime() / DAY) * DAY);
}

/**
 * Purchase process per customer, BG/NBD (Fader, Hardie & Lee 2005) with the CDNOW estimates:
 * purchase rate λ ~ Gamma(r, 1/α) per week while alive, and after each purchase the customer
 * drops out with probability p ~ Beta(a, b). Order values follow Gamma-Gamma (p, q, γ), scaled
 * to this shop's prices. Analytics can therefore be tested for parameter recovery on a known
 * truth, besides the published CDNOW figures.
 */
export const TRUE_PARAMETERS = {
  r: 0.243,
  alphaWeeks: 4.414,
  a: 0.793,
  b: 2.426,
  spendP: 6.25,
  spendQ: 3.74,
  spendGamma: 15.44,
  spendScale: 1.6,
} as const;

const TAX_RATE = 0.08;
const GUEST_SHARE = 0.03;
const PROSPECT_SHARE = 0.1;
const DISCOUNT_CODES = [
  { code: "WELCOME10", rate: 0.1 },
  { code: "SPRING15", rate: 0.15 },
  { code: "VIP20", rate: 0.2 },
];

/** Ids above 2^53, a separate range per resource, so any lossy parse in the app shows. */
function idAllocator() {
  const bases: Record<string, bigint> = {
    customer: 10_000_000_000_000_000n,
    order: 11_000_000_000_000_000n,
    line: 12_000_000_000_000_000n,
    product: 13_000_000_000_000_000n,
    variant: 14_000_000_000_000_000n,
    refund: 15_000_000_000_000_000n,
    refundLine: 16_000_000_000_000_000n,
    collection: 17_000_000_000_000_000n,
  };
  const counters = new Map<string, bigint>();
  return {
    next(kind: string): bigint {
      const value = (counters.get(kind) ?? 0n) + 1n;
      counters.set(kind, value);
      return (bases[kind] ?? 18_000_000_000_000_000n) + value * 7n;
    },
  };
}

const money = (cents: number) => (cents / 100).toFixed(2);
const toCents = (amount: string) => Math.round(Number(amount) * 100);

interface PurchaseEvent {
  customer: StoreCustomer | null;
  at: number;
}

export function generateStore(options: GenerateOptions): StoreData {
  const random = seededRandom(options.seed);
  const ids = idAllocator();
  const end = (options.endDate ?? startOfTodayUtc()).getTime();
  const start = end - (options.years ?? 2.5) * 365 * DAY;
  const productCount = Math.max(
    30,
    Math.min(2000, Math.round(40 * Math.pow(options.orders / 1000, 0.55))),
  );
  const catalogue = buildCatalogue(random, productCount, ids, new Date(start));

  const customers: StoreCustomer[] = [];
  const events: PurchaseEvent[] = [];
  const buyersTarget = options.orders * (1 - GUEST_SHARE);
  while (events.length < buyersTarget) {
    const customer = drawCustomer(random, ids, catalogue, customers.length + 1, start, end);
    customers.push(customer);
    let at = customer.createdAt.getTime() + random() * 3 * DAY;
    while (at < end) {
      events.push({ customer, at });
      if (random() < customer.truth.dropoutP) {
        customer.truth.diedAt = new Date(at);
        break;
      }
      at += exponential(random, customer.truth.lambda) * DAY;
    }
  }
  const guests = Math.round(events.length * (GUEST_SHARE / (1 - GUEST_SHARE)));
  for (let index = 0; index < guests; index += 1) {
    events.push({ customer: null, at: start + random() * (end - start) });
  }
  const prospects = Math.round(customers.length * PROSPECT_SHARE);
  for (let index = 0; index < prospects; index += 1) {
    const prospect = drawCustomer(random, ids, catalogue, customers.length + 1, start, end);
    prospect.truth.lambda = 0;
    customers.push(prospect);
  }
  events.sort((x, y) => x.at - y.at);

  const popularity = zipfCumulative(catalogue.sellable.length, 1.05);
  const groupPopularity = catalogue.sellableByGroup.map((group) =>
    zipfCumulative(group.length, 0.9),
  );
  const orders = events.map((event, index) =>
    buildOrder(random, ids, catalogue, popularity, groupPopularity, event, index, end),
  );
  for (const order of orders) {
    const customer = order.customer;
    if (customer && order.order.updatedAt > customer.updatedAt)
      customer.updatedAt = order.order.updatedAt;
  }
  customers.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || Number(x.id - y.id));

  return {
    shop: {
      domain: options.shopDomain ?? "rekindle-demo.myshopify.com",
      name: "Hearth & Kettle",
      email: "owner@hearth-and-kettle.example",
      currency: "USD",
      ianaTimezone: "America/New_York",
      plan: "Shopify",
    },
    collections: catalogue.collections,
    products: catalogue.products,
    customers,
    orders: orders.map((item) => item.order),
  };
}

function drawCustomer(
  random: Uniform,
  ids: ReturnType<typeof idAllocator>,
  catalogue: Catalogue,
  serial: number,
  start: number,
  end: number,
): StoreCustomer {
  const { r, alphaWeeks, a, b, spendP, spendQ, spendGamma, spendScale } = TRUE_PARAMETERS;
  const { firstName, lastName } = personName(random);
  const createdAt = new Date(start + random() * (end - start));
  const hasPhone = random() < 0.3;
  const nu = gamma(random, spendQ, 1 / spendGamma);
  return {
    id: ids.next("customer"),
    email: emailFor(firstName, lastName, serial),
    firstName,
    lastName,
    phone: hasPhone ? `+1555${String(1_000_000 + serial).slice(-7)}` : null,
    locale: "en",
    state: random() < 0.3 ? "ENABLED" : "DISABLED",
    tags: customerTags(random),
    emailMarketing: emailConsent(random),
    emailMarketingUpdatedAt: createdAt,
    smsMarketing: hasPhone && random() < 0.3 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    verifiedEmail: random() < 0.9,
    taxExempt: false,
    address: place(random),
    createdAt,
    updatedAt: createdAt,
    truth: {
      lambda: gamma(random, r, 1 / alphaWeeks) / 7,
      dropoutP: beta(random, a, b),
      meanOrderValue: (spendP / nu) * spendScale,
      diedAt: null,
      tasteGroup: Math.floor(random() * catalogue.tasteGroups),
    },
  };
}

function buildOrder(
  random: Uniform,
  ids: ReturnType<typeof idAllocator>,
  catalogue: Catalogue,
  popularity: Float64Array,
  groupPopularity: Float64Array[],
  event: PurchaseEvent,
  index: number,
  end: number,
): { order: StoreOrder; customer: StoreCustomer | null } {
  const { customer } = event;
  const processedAt = new Date(Math.floor(event.at));
  const group = customer?.truth.tasteGroup ?? Math.floor(random() * catalogue.tasteGroups);
  const target =
    (customer?.truth.meanOrderValue ?? 40) *
    gamma(random, TRUE_PARAMETERS.spendP, 1 / TRUE_PARAMETERS.spendP);
  const lineItems: StoreLineItem[] = [];
  const used = new Set<number>();
  let subtotalCents = 0;
  while (lineItems.length < 6 && (lineItems.length === 0 || subtotalCents < target * 100)) {
    const groupItems = catalogue.sellableByGroup[group] ?? [];
    const groupWeights = groupPopularity[group];
    const fromGroup = groupItems.length > 0 && groupWeights && random() < 0.75;
    const productIndex = fromGroup
      ? (groupItems[pickWeighted(random, groupWeights)] ?? 0)
      : (catalogue.sellable[pickWeighted(random, popularity)] ?? 0);
    if (used.has(productIndex)) {
      if (random() < 0.5) break;
      continue;
    }
    used.add(productIndex);
    const product = catalogue.products[productIndex];
    const variant = product?.variants[Math.floor(random() * (product?.variants.length ?? 1))];
    if (!product || !variant) break;
    const quantity = random() < 0.85 ? 1 : random() < 0.8 ? 2 : 3;
    subtotalCents += toCents(variant.price) * quantity;
    lineItems.push({
      id: ids.next("line"),
      productId: product.id,
      variantId: variant.id,
      title: product.title,
      variantTitle: variant.title,
      sku: variant.sku,
      quantity,
      price: variant.price,
      totalDiscount: "0.00",
      giftCard: false,
    });
  }
  const discount =
    random() < 0.1 ? DISCOUNT_CODES[Math.floor(random() * DISCOUNT_CODES.length)] : undefined;
  const discountCents = discount ? Math.round(subtotalCents * discount.rate) : 0;
  const netCents = subtotalCents - discountCents;
  const taxCents = Math.round(netCents * TAX_RATE);
  const totalCents = netCents + taxCents;
  const id = ids.next("order");
  const order: StoreOrder = {
    id,
    name: `#${1001 + index}`,
    customerId: customer?.id ?? null,
    email: customer?.email ?? `guest.${index}@example.com`,
    currency: "USD",
    sourceName: random() < 0.9 ? "web" : "pos",
    tags: [],
    discountCodes: discount ? [discount.code] : [],
    lineItems,
    subtotalPrice: money(netCents),
    totalDiscounts: money(discountCents),
    totalTax: money(taxCents),
    totalPrice: money(totalCents),
    financialStatus: "PAID",
    fulfillmentStatus: processedAt.getTime() < end - 5 * DAY ? "FULFILLED" : null,
    test: false,
    createdAt: processedAt,
    processedAt,
    updatedAt: processedAt,
    cancelledAt: null,
    cancelReason: null,
    refunds: [],
  };
  const fate = random();
  if (fate < 0.02) {
    order.cancelledAt = new Date(Math.min(end, processedAt.getTime() + DAY));
    order.cancelReason = "CUSTOMER";
    order.financialStatus = "VOIDED";
    order.fulfillmentStatus = null;
    order.updatedAt = order.cancelledAt;
  } else if (fate < 0.07) {
    const refundAt = processedAt.getTime() + (3 + random() * 17) * DAY;
    if (refundAt < end) addRefund(random, ids, order, new Date(refundAt));
  }
  return { order, customer };
}

function addRefund(
  random: Uniform,
  ids: ReturnType<typeof idAllocator>,
  order: StoreOrder,
  at: Date,
) {
  const full = random() < 0.3;
  const lines = full ? order.lineItems : order.lineItems.slice(0, 1);
  const netShare =
    toCents(order.subtotalPrice) /
    Math.max(
      1,
      order.lineItems.reduce((sum, l) => sum + toCents(l.price) * l.quantity, 0),
    );
  const refundLines = lines.map((line) => {
    const quantity = full ? line.quantity : 1;
    return {
      id: ids.next("refundLine"),
      lineItemId: line.id,
      quantity,
      subtotal: money(Math.round(toCents(line.price) * quantity * netShare)),
    };
  });
  const subtotal = refundLines.reduce((sum, line) => sum + toCents(line.subtotal), 0);
  const amountCents = full ? toCents(order.totalPrice) : Math.round(subtotal * (1 + TAX_RATE));
  const refund: StoreRefund = {
    id: ids.next("refund"),
    orderId: order.id,
    createdAt: at,
    note: full ? "Returned" : "Damaged in transit",
    lines: refundLines,
    amount: money(Math.min(amountCents, toCents(order.totalPrice))),
  };
  order.refunds.push(refund);
  order.financialStatus =
    toCents(refund.amount) >= toCents(order.totalPrice) ? "REFUNDED" : "PARTIALLY_REFUNDED";
  order.updatedAt = at;
}
