import { describe, expect, it } from "vitest";
import { ShopifyUserError } from "~/lib/errors";
import { AdminGraphqlError } from "~/services/shopify/admin-graphql.server";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { DevStore, type DevStoreOptions } from "../../../tests/devstore/store";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import {
  activateWebPixel,
  mayActivatePixel,
  PIXEL_SCOPES,
  pixelSettingsFor,
} from "./pixel-activation.server";
import { isPixelShopKey } from "./pixel-shop-key.server";

// Activation against the simulated store's Admin API, which checks settings against the
// extension's shopify.extension.toml and the scopes as Shopify does.
const SHOP = "pixel-shop.myshopify.com";
const SECRET = "app-secret";
const SCOPES = ["read_customers", ...PIXEL_SCOPES];

function devstore(options: DevStoreOptions = {}, scopes = SCOPES) {
  const store = new DevStore(storeDataWithProducts([10n], SHOP), {
    flowTriggerHandles: [],
    ...options,
  });
  return { store, admin: devstoreAdmin(store, scopes) };
}

describe("web pixel activation", () => {
  it("creates the pixel with the ingest URL, the shop and the shop's key", async () => {
    const { store, admin } = devstore();
    const settings = pixelSettingsFor(SHOP, "https://app.example/", SECRET);
    const activation = await activateWebPixel(admin.transport, settings);
    expect(activation.outcome).toBe("created");
    expect(activation.id).toMatch(/^gid:\/\/shopify\/WebPixel\/\d+$/);
    const stored = store.webPixel.settings;
    expect(stored).toEqual({
      ingestUrl: "https://app.example/pixel/events",
      shop: SHOP,
      shopKey: settings.shopKey,
    });
    expect(isPixelShopKey(SECRET, SHOP, stored?.shopKey)).toBe(true);
  });

  it("is idempotent on reinstall, and updates the pixel when the app moved", async () => {
    const { store, admin } = devstore();
    const first = await activateWebPixel(
      admin.transport,
      pixelSettingsFor(SHOP, "https://app.example", SECRET),
    );
    // WHEN the same install runs again
    const again = await activateWebPixel(
      admin.transport,
      pixelSettingsFor(SHOP, "https://app.example", SECRET),
    );
    // THEN the same pixel is kept as it was
    expect(again).toEqual({ id: first.id, outcome: "unchanged" });
    // WHEN the app is served from a new URL
    const moved = await activateWebPixel(
      admin.transport,
      pixelSettingsFor(SHOP, "https://new.example", SECRET),
    );
    // THEN the one pixel points there
    expect(moved).toEqual({ id: first.id, outcome: "updated" });
    expect(store.webPixel.settings?.ingestUrl).toBe("https://new.example/pixel/events");
  });

  it("turns Shopify's refusal into a ShopifyUserError (no pixel extension deployed)", async () => {
    const { store, admin } = devstore({ pixelExtension: null });
    const refused = activateWebPixel(
      admin.transport,
      pixelSettingsFor(SHOP, "https://a.b", SECRET),
    );
    await expect(refused).rejects.toBeInstanceOf(ShopifyUserError);
    await expect(refused).rejects.toThrow(/webPixelCreate failed: No extension found/);
    expect(store.webPixel.settings).toBeNull();
  });

  it("is refused when the extension declares other settings", async () => {
    const { admin } = devstore({
      pixelExtension: { handle: "rekindle-pixel", settingKeys: ["accountID"] },
    });
    await expect(
      activateWebPixel(admin.transport, pixelSettingsFor(SHOP, "https://a.b", SECRET)),
    ).rejects.toThrow(/webPixelCreate failed: Settings do not match the extension.s definition/);
  });

  it("needs write_pixels and read_customer_events", async () => {
    const { admin } = devstore({}, ["read_customers", "write_pixels"]);
    const refused = activateWebPixel(
      admin.transport,
      pixelSettingsFor(SHOP, "https://a.b", SECRET),
    );
    await expect(refused).rejects.toBeInstanceOf(AdminGraphqlError);
    await expect(refused).rejects.toMatchObject({ codes: ["ACCESS_DENIED"] });
    expect(mayActivatePixel("read_customers,write_pixels")).toBe(false);
    expect(mayActivatePixel("read_customers,write_pixels,read_customer_events")).toBe(true);
  });
});
