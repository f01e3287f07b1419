import { beforeEach, describe, expect, it } from "vitest";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { action as homeAction, loader as homeLoader } from "~/routes/app._index";
import { action as syncAction, loader as syncLoader } from "~/routes/app.sync";
import { setupGuide } from "~/services/onboarding/setup-steps";
import { formAnswer } from "../helpers/form-answer";
import { storeOfflineSession } from "../helpers/offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { simulatedStoreForFile } from "../helpers/simulated-store";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The home page's setup guide and the Sync page behind real embedded-admin authentication; the
// theme the guide reads is the simulated store's, reached through the Admin API.
const { prisma } = await migratedTestDatabase();

const store = simulatedStoreForFile({
  data: storeDataWithProducts([10n], TEST_SHOP),
  scopes: "read_customers,write_customers,read_orders,read_products,read_themes",
  sendWebhook: async () => new Response(null, { status: 200 }),
});

beforeEach(async () => {
  await truncateAppTables();
  store.server.store.theme.setAppEmbed("winback-banner", true);
  await prisma.shop.create({ data: { domain: TEST_SHOP, scopes: store.app.scopes } });
  await storeOfflineSession({ scope: store.app.scopes, accessToken: store.accessToken });
});

const home = async () =>
  homeLoader({ request: await embeddedAdminRequest("/app"), params: {}, context: {} });
const postHome = async (form: Record<string, string>) =>
  homeAction({ request: await embeddedAdminRequest("/app", form), params: {}, context: {} });
const sync = async () =>
  syncLoader({ request: await embeddedAdminRequest("/app/sync"), params: {}, context: {} });
const postSync = async (form: Record<string, string>) =>
  syncAction({ request: await embeddedAdminRequest("/app/sync", form), params: {}, context: {} });
/** The guide as the page shows it once the theme's answer (streamed) has arrived. */
const doneSteps = async (page: Awaited<ReturnType<typeof home>>) =>
  setupGuide(page.guide, await page.appEmbed)
    .steps.filter((step) => step.done)
    .map((step) => step.key);

describe("/app setup guide", () => {
  it("GIVEN the banner embed is on in the store's theme THEN the storefront step is done, and links go to its theme editor", async () => {
    const page = await home();
    expect(await page.appEmbed).toBe("on");
    expect(await doneSteps(page)).toEqual(["storefront"]);
    const { themeLinks } = page;
    expect(themeLinks.embed).toBe(
      `https://${TEST_SHOP}/admin/themes/current/editor?context=apps&activateAppId=${store.app.apiKey}/winback-banner`,
    );
    expect(themeLinks.blocks).toHaveLength(3);
  });

  it("GIVEN the merchant switches the embed off in the theme editor THEN the next load shows the step open", async () => {
    store.server.store.theme.setAppEmbed("winback-banner", false);
    const page = await home();
    expect(await page.appEmbed).toBe("off");
    expect(await doneSteps(page)).toEqual([]);
  });

  it("GIVEN the merchant hides the guide THEN it stays hidden on the next load, and shows again on request", async () => {
    expect(await postHome({ intent: "dismissGuide" })).toEqual({
      ok: true,
      message: { key: "setupGuide.dismissed" },
    });
    expect((await home()).guide.dismissed).toBe(true);
    expect(await postHome({ intent: "showGuide" })).toEqual({
      ok: true,
      message: { key: "setupGuide.shown" },
    });
    expect((await home()).guide.dismissed).toBe(false);
  });

  it("refuses an unknown request and changes nothing", async () => {
    const answer = (await postHome({ intent: "dismiss-everything" })) as Response;
    expect(answer.status).toBe(400);
    expect(await formAnswer(answer)).toEqual({
      ok: false,
      message: { key: "common.unrecognisedRequest" },
    });
    expect((await home()).guide.dismissed).toBe(false);
  });
});

describe("/app/sync", () => {
  it("GIVEN no import yet WHEN the merchant confirms the sync THEN it is queued once and the page shows it running", async () => {
    expect((await sync()).status.backfill.state).toBe("notStarted");
    expect(await postSync({ intent: "backfill" })).toEqual({
      ok: true,
      message: { key: "sync.started" },
    });
    const { status, stored } = await sync();
    expect(status.backfill).toMatchObject({ state: "running", percent: 0, etaSeconds: null });
    expect(status.backfill.jobs.map((job) => [job.resource, job.status])).toEqual([
      ["customers", "pending"],
      ["products", "pending"],
      ["collections", "pending"],
      ["orders", "pending"],
    ]);
    expect(stored).toMatchObject({ customers: 0, products: 0, orders: 0 });
    // The home page's import step follows the same jobs.
    expect((await home()).guide.import.state).toBe("running");
    expect(await postSync({ intent: "backfill" })).toEqual({
      ok: true,
      message: { key: "sync.alreadyRunning" },
    });
  });

  it("refuses an unknown request and queues nothing", async () => {
    const answer = (await postSync({ intent: "delete-everything" })) as Response;
    expect(answer.status).toBe(400);
    expect((await sync()).status.backfill.state).toBe("notStarted");
  });
});
