import { beforeEach, describe, expect, it } from "vitest";
import { getDatabase } from "~/db.server";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader as proxyLoader } from "~/routes/proxy.$";

await migratedTestDatabase();

const proxyArgs = (url: string, path: string) => ({
  request: new Request(url),
  params: { "*": path },
  context: {},
});

const proxyParams = { shop: TEST_SHOP, path_prefix: "/apps/rekindle", logged_in_customer_id: "" };

beforeEach(async () => {
  await truncateAppTables();
});

describe("app proxy", () => {
  it("answers a shop that has not installed the app with 404 shop_not_installed", async () => {
    const url = signedProxyUrl("/proxy/recommendations", proxyParams);
    const response = await proxyLoader(proxyArgs(url, "recommendations"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "shop_not_installed" });
  });

  it("answers an uninstalled shop like an unknown one", async () => {
    await getDatabase().prisma.shop.create({ data: { domain: TEST_SHOP, state: "uninstalled" } });
    const response = await proxyLoader(proxyArgs(signedProxyUrl("/proxy/x", proxyParams), "x"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "shop_not_installed" });
  });

  it("answers an unknown endpoint of an installed shop with 404 not_found", async () => {
    await getDatabase().prisma.shop.create({ data: { domain: TEST_SHOP } });
    const response = await proxyLoader(
      proxyArgs(signedProxyUrl("/proxy/nope", proxyParams), "nope"),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });
});
