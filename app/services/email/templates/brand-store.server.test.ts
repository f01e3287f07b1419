import { beforeEach, describe, expect, it } from "vitest";
import { FIXED_END_DATE, generateStore } from "../../../../tests/devstore/generator/generate-store";
import { DevStore } from "../../../../tests/devstore/store";
import { devstoreAdmin } from "../../../../tests/helpers/devstore-admin";
import { migratedTestDatabase, truncateAppTables } from "../../../../tests/helpers/test-database";
import { loadShopBrand, refreshShopBrand, shopBrands } from "./brand-store.server";

const { sql, prisma } = await migratedTestDatabase();
const store = new DevStore(generateStore({ seed: 11, orders: 20, endDate: FIXED_END_DATE }));
const NOW = new Date("2026-11-28T00:00:00Z");
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopBrands.clear();
  shopId = (await prisma.shop.create({ data: { domain: store.shop.domain } })).id;
});

describe("the shop's details for emails", () => {
  it("stand in with the shop's domain until fetched, then come from the Admin API, once a day", async () => {
    // GIVEN a shop whose details were never fetched
    expect(await loadShopBrand(sql, shopId)).toEqual({
      shopName: store.shop.domain,
      address: "",
      storefrontUrl: `https://${store.shop.domain}`,
    });
    // WHEN they are refreshed from the simulated store's Admin API
    const admin = devstoreAdmin(store, ["read_products"]);
    await refreshShopBrand(sql, shopId, admin.transport, NOW);
    // THEN the footer has the shop's name and address, the links its primary domain
    const brand = await loadShopBrand(sql, shopId);
    expect(brand.shopName).toBe(store.shop.name);
    expect(brand.address).toContain("12 Harbour Street");
    expect(brand.storefrontUrl).toBe(`https://${store.shop.domain}`);
    // AND a refresh within the day asks Shopify nothing
    await refreshShopBrand(sql, shopId, admin.transport, new Date(NOW.getTime() + 3_600_000));
    expect(admin.calls()).toBe(1);
  });

  it("keeps what it has when Shopify cannot be reached", async () => {
    const unreachable = async () => {
      throw new Error("connect ECONNREFUSED");
    };
    await refreshShopBrand(sql, shopId, unreachable, NOW);
    expect((await loadShopBrand(sql, shopId)).shopName).toBe(store.shop.domain);
  });
});
