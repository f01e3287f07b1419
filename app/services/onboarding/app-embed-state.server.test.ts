import { describe, expect, it } from "vitest";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { DevStore } from "../../../tests/devstore/store";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { storeDataWithProducts } from "../recommendations/testing/collection-store";
import { appEmbedStateIn, readAppEmbedState } from "./app-embed-state.server";

const WITH_THEMES = ["read_customers", "read_themes"];
const store = (appEmbedEnabled: boolean) =>
  new DevStore(storeDataWithProducts([10n]), { flowTriggerHandles: [], appEmbedEnabled });

const settings = (blocks: Record<string, unknown>) =>
  `/* auto-generated, as Shopify writes it */\n${JSON.stringify({ current: { blocks } })}`;
const OURS = "shopify://apps/rekindle/blocks/winback-banner/0b4f5a1e-7c1d-4d55-9b8e-1b2c3d4e5f60";

describe("the win-back banner embed in the published theme", () => {
  it("GIVEN the merchant switched it on WHEN the app reads the theme THEN it is on", async () => {
    expect(await readAppEmbedState(devstoreAdmin(store(true), WITH_THEMES).transport)).toBe("on");
  });

  it("GIVEN it is switched off (or never added) THEN it is off", async () => {
    const theme = store(false);
    expect(await readAppEmbedState(devstoreAdmin(theme, WITH_THEMES).transport)).toBe("off");
    // Switched on in the theme editor later: the next read sees it.
    theme.theme.setAppEmbed("winback-banner", true);
    expect(await readAppEmbedState(devstoreAdmin(theme, WITH_THEMES).transport)).toBe("on");
  });

  it("GIVEN a token without read_themes THEN it is unknown, not an error", async () => {
    const admin = devstoreAdmin(store(true), ["read_customers"]);
    expect(await readAppEmbedState(admin.transport)).toBe("unknown");
    expect(admin.calls()).toBe(1);
  });

  it("GIVEN Shopify cannot be reached THEN it is unknown", async () => {
    const failing: AdminGraphqlTransport = async () => {
      throw new Error("connection refused");
    };
    expect(await readAppEmbedState(failing)).toBe("unknown");
  });

  it("passes a Response thrown to re-authorize on to the route", async () => {
    const reauthorize = new Response(null, { status: 401 });
    const throwing: AdminGraphqlTransport = async () => {
      throw reauthorize;
    };
    await expect(readAppEmbedState(throwing)).rejects.toBe(reauthorize);
  });

  it.each([
    ["on", settings({ "1": { type: OURS, disabled: false } })],
    ["off", settings({ "1": { type: OURS, disabled: true } })],
    // Another app's embed is not ours.
    ["off", settings({ "1": { type: "shopify://apps/other/blocks/chat/abc", disabled: false } })],
    ["off", settings({})],
    ["off", JSON.stringify({ current: {} })],
    // Older themes name a preset in `current`.
    [
      "on",
      JSON.stringify({
        current: "Default",
        presets: { Default: { blocks: { "7": { type: OURS, disabled: false } } } },
      }),
    ],
    ["unknown", "/* truncated */ {"],
  ])("reads %s from a settings_data.json", (expected, text) => {
    expect(appEmbedStateIn(text)).toBe(expected);
  });
});
