import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { REPO_ROOT } from "../helpers/shared-data";
import type {
  StoreCollection,
  StoreCustomer,
  StoreData,
  StoreLineItem,
  StoreOrder,
  StoreProduct,
  StoreRefund,
} from "./model";
import { AppBilling } from "./app-billing";
import { StoreTheme } from "./theme";
import { pixelExtensionFromApp, StoreWebPixel, type PixelExtension } from "./web-pixel";
import {
  collectionRestBody,
  customerRestBody,
  orderRestBody,
  productRestBody,
  refundRestBody,
} from "./rest-bodies";

/** A change Shopify would announce with a webhook: topic and REST body. */
export interface StoreChange {
  topic: string;
  body: unknown;
}

export interface StoreMetafield {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: Date;
}

export interface StoreDiscount {
  id: bigint;
  title: string;
  code: string;
  startsAt: Date;
  endsAt: Date | null;
  customerIds: bigint[];
  percentage: number | null;
  amount: string | null;
  minimumSubtotal: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
}

/** One flowTriggerReceive call Flow accepted. */
export interface StoreFlowTrigger {
  handle: string;
  /** As Flow parsed it off the wire; ids (`customer_id`) as exact decimal strings. */
  payload: Record<string, unknown>;
  receivedAt: Date;
}

export interface DevStoreOptions {
  /** Flow trigger handles the app has deployed; default: those of its flow_trigger extensions. */
  flowTriggerHandles?: Iterable<string>;
  /** Whether the merchant has switched on the app's win-back banner embed; default yes. */
  appEmbedEnabled?: boolean;
  /** The app's deployed web pixel extension; default: its extensions/ folder's (null: none). */
  pixelExtension?: PixelExtension | null;
  /** Keeps the app's web pixel record across restarts (the demo's data folder). */
  webPixelStateFile?: string;
}

/**
 * The simulated shop: its data with lookups by id, what apps wrote into it (metafields,
 * discounts, Flow triggers, subscriptions), and a change feed that the webhook delivery turns
 * into signed POSTs.
 */
export class DevStore {
  readonly data: StoreData;
  readonly customersById = new Map<bigint, StoreCustomer>();
  readonly ordersById = new Map<bigint, StoreOrder>();
  readonly productsById = new Map<bigint, StoreProduct>();
  readonly collectionsById = new Map<bigint, StoreCollection>();
  readonly metafields = new Map<string, StoreMetafield>();
  readonly discounts: StoreDiscount[] = [];
  readonly flowTriggers: StoreFlowTrigger[] = [];
  /** Handles flowTriggerReceive accepts; any other is refused as on Shopify. */
  flowTriggerHandles: Set<string>;
  /** The app's subscriptions (Billing API); their changes are announced as webhooks. */
  readonly billing = new AppBilling(
    () => this.allocateId(),
    (subscription) => this.emit("app_subscriptions/update", this.billing.webhookBody(subscription)),
    1n,
  );
  /** The published theme, with the app's embed as the merchant left it in the theme editor. */
  readonly theme = new StoreTheme("rekindle");
  /** The app's web pixel record (webPixelCreate), whose settings the storefront's pixel gets. */
  readonly webPixel: StoreWebPixel;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private nextId: bigint;

  constructor(data: StoreData, options: DevStoreOptions = {}) {
    this.data = data;
    this.flowTriggerHandles = new Set(options.flowTriggerHandles ?? flowTriggerHandlesFromApp());
    this.theme.setAppEmbed("winback-banner", options.appEmbedEnabled ?? true);
    this.webPixel = new StoreWebPixel(
      options.pixelExtension === undefined ? pixelExtensionFromApp() : options.pixelExtension,
      () => this.allocateId(),
      options.webPixelStateFile,
    );
    let maxId = 20_000_000_000_000_000n;
    for (const customer of data.customers) {
      this.customersById.set(customer.id, customer);
      if (customer.id > maxId) maxId = customer.id;
    }
    for (const collection of data.collections) {
      this.collectionsById.set(collection.id, collection);
      if (collection.id > maxId) maxId = collection.id;
    }
    for (const product of data.products) {
      this.productsById.set(product.id, product);
      if (product.id > maxId) maxId = product.id;
    }
    for (const order of data.orders) {
      this.ordersById.set(order.id, order);
      if (order.id > maxId) maxId = order.id;
    }
    this.nextId = maxId + 1_000_000n;
  }

  get shop() {
    return this.data.shop;
  }

  allocateId(): bigint {
    this.nextId += 1n;
    return this.nextId;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(topic: string, body: unknown) {
    for (const listener of this.listeners) listener({ topic, body });
  }

  customerOf(order: StoreOrder): StoreCustomer | null {
    return order.customerId === null ? null : (this.customersById.get(order.customerId) ?? null);
  }

  /** Announces a record as created (used to replay a whole store as webhooks). */
  announceCustomer(customer: StoreCustomer, topic = "customers/create") {
    this.emit(topic, customerRestBody(customer, this.shop.currency));
  }

  announceProduct(product: StoreProduct, topic = "products/create") {
    this.emit(topic, productRestBody(product));
  }

  announceOrder(order: StoreOrder, topic = "orders/create") {
    this.emit(topic, orderRestBody(order, this.customerOf(order)));
  }

  announceRefund(refund: StoreRefund) {
    const order = this.ordersById.get(refund.orderId);
    if (order) this.emit("refunds/create", refundRestBody(refund, order));
  }

  /** A customer who made an account on the storefront, announced as customers/create. */
  addCustomer(customer: StoreCustomer) {
    this.data.customers.push(customer);
    this.customersById.set(customer.id, customer);
    this.announceCustomer(customer);
  }

  /**
   * A checkout the shopper reached and left: Shopify creates the checkout (checkouts/create)
   * and nothing completes it. The body is the REST checkout's, with the fields the app reads.
   */
  startCheckout(
    customer: StoreCustomer,
    lines: readonly Pick<
      StoreLineItem,
      "productId" | "variantId" | "title" | "quantity" | "price"
    >[],
    at = new Date(),
  ) {
    const id = this.allocateId();
    const token = `c${id.toString(16)}`;
    const total = lines.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0);
    this.emit("checkouts/create", {
      id: Number(id),
      token,
      email: customer.email,
      currency: this.shop.currency,
      total_price: total.toFixed(2),
      abandoned_checkout_url: `https://${this.shop.domain}/checkouts/${token}/recover`,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      completed_at: null,
      customer: customerRestBody(customer, this.shop.currency),
      line_items: lines.map((line) => ({
        product_id: Number(line.productId),
        variant_id: Number(line.variantId),
        title: line.title,
        quantity: line.quantity,
        price: line.price,
      })),
    });
    return { id, token };
  }

  updateCustomer(id: bigint, change: (customer: StoreCustomer) => void, at = new Date()) {
    const customer = this.requireCustomer(id);
    change(customer);
    customer.updatedAt = at;
    this.announceCustomer(customer, "customers/update");
    return customer;
  }

  deleteCustomer(id: bigint) {
    this.requireCustomer(id);
    this.customersById.delete(id);
    this.data.customers = this.data.customers.filter((customer) => customer.id !== id);
    this.emit("customers/delete", { id });
  }

  updateProduct(id: bigint, change: (product: StoreProduct) => void, at = new Date()) {
    const product = this.productsById.get(id);
    if (!product) throw new Error(`no product ${id}`);
    change(product);
    product.updatedAt = at;
    this.announceProduct(product, "products/update");
    return product;
  }

  /** The collection's products, in the store's product order. */
  productsInCollection(id: bigint): StoreProduct[] {
    return this.data.products.filter((product) => product.collectionIds.includes(id));
  }

  /** Adds a collection holding `productIds`; announced as collections/create (no products). */
  addCollection(
    title: string,
    productIds: readonly bigint[] = [],
    at = new Date(),
  ): StoreCollection {
    const collection: StoreCollection = {
      id: this.allocateId(),
      title,
      handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      updatedAt: at,
    };
    this.data.collections.push(collection);
    this.collectionsById.set(collection.id, collection);
    for (const productId of productIds)
      this.productsById.get(productId)?.collectionIds.push(collection.id);
    this.emit("collections/create", collectionRestBody(collection));
    return collection;
  }

  /**
   * Changes a collection's title or products (`productIds` replaces them); announced as
   * collections/update, whose body, as on Shopify, does not list the products.
   */
  updateCollection(
    id: bigint,
    change: { title?: string; productIds?: readonly bigint[] },
    at = new Date(),
  ): StoreCollection {
    const collection = this.collectionsById.get(id);
    if (!collection) throw new Error(`no collection ${id}`);
    if (change.title !== undefined) collection.title = change.title;
    if (change.productIds) {
      const members = new Set(change.productIds);
      for (const product of this.data.products) {
        const others = product.collectionIds.filter((collectionId) => collectionId !== id);
        product.collectionIds = members.has(product.id) ? [...others, id] : others;
      }
    }
    collection.updatedAt = at;
    this.emit("collections/update", collectionRestBody(collection));
    return collection;
  }

  /** Deletes a collection (collections/delete); its products stay, outside it. */
  deleteCollection(id: bigint) {
    if (!this.collectionsById.delete(id)) throw new Error(`no collection ${id}`);
    this.data.collections = this.data.collections.filter((collection) => collection.id !== id);
    for (const product of this.data.products)
      product.collectionIds = product.collectionIds.filter((collectionId) => collectionId !== id);
    this.emit("collections/delete", { id });
  }

  addOrder(order: StoreOrder) {
    this.data.orders.push(order);
    this.ordersById.set(order.id, order);
    this.announceOrder(order, "orders/create");
    if (order.financialStatus === "PAID") this.announceOrder(order, "orders/paid");
  }

  cancelOrder(id: bigint, at = new Date()) {
    const order = this.requireOrder(id);
    order.cancelledAt = at;
    order.cancelReason = "CUSTOMER";
    order.updatedAt = at;
    this.announceOrder(order, "orders/cancelled");
    this.announceOrder(order, "orders/updated");
  }

  addRefund(refund: StoreRefund, at = new Date()) {
    const order = this.requireOrder(refund.orderId);
    order.refunds.push(refund);
    const refunded = order.refunds.reduce((sum, item) => sum + Number(item.amount), 0);
    order.financialStatus =
      refunded >= Number(order.totalPrice) ? "REFUNDED" : "PARTIALLY_REFUNDED";
    order.updatedAt = at;
    this.announceRefund(refund);
    this.announceOrder(order, "orders/updated");
  }

  private requireCustomer(id: bigint) {
    const customer = this.customersById.get(id);
    if (!customer) throw new Error(`no customer ${id}`);
    return customer;
  }

  private requireOrder(id: bigint) {
    const order = this.ordersById.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }
}

/**
 * The handles of the app's Flow trigger extensions, as Shopify knows them once the app is
 * deployed: every extensions/<dir>/shopify.extension.toml with `type = "flow_trigger"`.
 */
export function flowTriggerHandlesFromApp(root = path.join(REPO_ROOT, "extensions")): string[] {
  const handles: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const file = path.join(root, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const config = parse(readFileSync(file, "utf8")) as {
      extensions?: Array<{ type?: string; handle?: string }>;
    };
    for (const extension of config.extensions ?? []) {
      if (extension.type === "flow_trigger" && extension.handle) handles.push(extension.handle);
    }
  }
  return handles;
}
