/**
 * A simulated shop holding just the given products (no customers or orders), for tests of the
 * excluded collections: the products' ids match the ones a test seeds into the app's tables.
 */
import type { StoreData, StoreProduct } from "../../../../tests/devstore/model";
import { DevStore } from "../../../../tests/devstore/store";

const CREATED = new Date("2024-01-01T00:00:00Z");

function storeProduct(id: bigint): StoreProduct {
  return {
    id,
    title: `Product ${id}`,
    handle: `product-${id}`,
    vendor: "Rekindle",
    productType: "",
    status: "ACTIVE",
    tags: [],
    giftCard: false,
    imageUrl: null,
    collectionIds: [],
    tasteGroup: 0,
    createdAt: CREATED,
    publishedAt: CREATED,
    updatedAt: CREATED,
    variants: [],
  };
}

export function storeDataWithProducts(
  productIds: readonly bigint[],
  domain = "collections.myshopify.com",
): StoreData {
  return {
    shop: {
      domain,
      name: "Collections",
      email: "owner@example.com",
      currency: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: "Basic",
    },
    collections: [],
    products: productIds.map(storeProduct),
    customers: [],
    orders: [],
  };
}

export function storeWithProducts(productIds: readonly bigint[]): DevStore {
  return new DevStore(storeDataWithProducts(productIds), { flowTriggerHandles: [] });
}
