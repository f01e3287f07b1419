import { beforeEach, describe, expect, it } from "vitest";
import { currentPlan } from "~/services/billing/subscription-store.server";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import * as plansPage from "~/routes/app.plans";
import { action as plansAction, loader as plansLoader } from "~/routes/app.plans";
import { loader as recommendationsLoader } from "~/routes/app.recommendations";
import { action as subscriptionWebhook } from "~/routes/webhooks.app_subscriptions.update";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import { renderAdminDocument } from "../helpers/admin-document";
import { formAnswer } from "../helpers/form-answer";
import { storeOfflineSession } from "../helpers/offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { simulatedStoreForFile } from "../helpers/simulated-store";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The Plans page behind real embedded-admin authentication; Shopify's Billing API is the
// simulated store's (appSubscriptionCreate, its confirmation page, appSubscriptionCancel), and
// its signed app_subscriptions/update deliveries go into the app's webhook route.
const { sql, prisma } = await migratedTestDatabase();

const REAUTHORIZE_HEADER = "X-Shopify-API-Request-Failure-Reauthorize-Url";
const webhookAnswers: number[] = [];
const store = simulatedStoreForFile({
  data: storeDataWithProducts([10n], TEST_SHOP),
  scopes: "read_customers,write_customers,read_orders,read_products",
  sendWebhook: async (request) => {
    const answer =
      new URL(request.url).pathname === "/webhooks/app_subscriptions/update"
        ? await subscriptionWebhook({ request, params: {}, context: {} })
        : new Response(null, { status: 200 });
    webhookAnswers.push(answer.status);
    return answer;
  },
});
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  for (const subscription of store.server.store.billing.active()) {
    store.server.store.billing.cancel(subscription.id);
  }
  await store.server.flushWebhooks();
  webhookAnswers.length = 0;
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession({ scope: store.app.scopes, accessToken: store.accessToken });
});

const overview = async () =>
  plansLoader({ request: await embeddedAdminRequest("/app/plans"), params: {}, context: {} });

/** Submits a plan change; a paid plan answers with Shopify's confirmation page to leave for. */
async function choosePlan(plan: string): Promise<{ leaveTo: string | null; answer: unknown }> {
  try {
    const answer = await plansAction({
      request: await embeddedAdminRequest("/app/plans", { intent: "change", plan }),
      params: {},
      context: {},
    });
    return { leaveTo: null, answer: await formAnswer(answer) };
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status !== 401) throw thrown;
    return { leaveTo: thrown.headers.get(REAUTHORIZE_HEADER), answer: null };
  }
}

async function approve(confirmationUrl: string) {
  const response = await fetch(confirmationUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("Location") ?? "";
}

describe("the Plans page", () => {
  it("shows a new shop on Free, with its month's orders against the plan's 500", async () => {
    const page = await overview();
    expect(page).toMatchObject({
      current: "free",
      subscription: null,
      ordersThisMonth: 0,
      ordersPerMonth: 500,
      suggested: null,
    });
    expect(page.plans.map((plan) => [plan.name, plan.monthlyPriceUsd])).toEqual([
      ["Free", 0],
      ["Growth", 19],
      ["Pro", 49],
    ]);
  });

  it("renders the plans in the admin's language, in Shopify admin's title bar, asking before a change", async () => {
    const answer = await renderAdminDocument(await embeddedAdminRequest("/app/plans?locale=tr"), {
      id: "routes/app.plans",
      path: "plans",
      module: plansPage,
    });
    expect(answer.status).toBe(200);
    const html = await answer.text();
    expect(html).toContain('<ui-title-bar title="Planlar"');
    // Each plan's summary and highlights come from the locale, not from the billing service.
    expect(html).toContain("Çok siparişi olan mağazalar için Büyüme planındaki her şey.");
    expect(html).toContain("Ayda 5.000 siparişe kadar");
    // The plans' names too; Shopify's subscriptions keep the English ones.
    expect(html).toMatch(/>Büyüme<\/h3>/);
    expect(html).toContain("Büyüme planına yükselt");
    expect(html).not.toContain("Everything in Growth for stores with many orders.");
    // The change asks first, in an App Bridge modal.
    expect(html).toContain('<ui-modal id="plans-change"');
    expect(html).toContain("“Planlar” hakkında: ne yapar, sonra ne yapmalı");
  });

  it("upgrading asks Shopify for a test charge with the trial, and the approval puts the shop on the plan", async () => {
    // WHEN the merchant confirms Growth
    const { leaveTo } = await choosePlan("growth");
    // THEN the app leaves the admin's iframe for Shopify's confirmation page
    expect(leaveTo).toMatch(new RegExp(`^${store.server.url}/admin/charges/\\d+/confirm$`));
    const [pending] = [...store.server.store.billing.subscriptions.values()].filter(
      (subscription) => subscription.status === "PENDING",
    );
    expect(pending).toMatchObject({
      name: "Growth",
      test: true,
      trialDays: 14,
      replacementBehavior: "APPLY_IMMEDIATELY",
      lineItems: [{ amount: "19.00", currencyCode: "USD", interval: "EVERY_30_DAYS" }],
    });
    // AND nothing is granted before the merchant approves
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");

    // WHEN the merchant approves
    const back = await approve(leaveTo ?? "");
    // THEN Shopify sends them back to this page in the admin
    expect(back).toBe(`${store.server.url}/admin/apps/rekindle/plans?charge_id=${pending?.id}`);
    // AND the signed webhook puts the shop on Growth
    await store.server.flushWebhooks();
    expect(webhookAnswers.every((status) => status === 200)).toBe(true);
    expect((await currentPlan(sql, shopId)).plan.key).toBe("growth");
    expect(await overview()).toMatchObject({
      current: "growth",
      subscription: { test: true, trialDays: 14 },
      ordersPerMonth: 5_000,
    });
  });

  it("moving from Growth to Pro replaces the subscription; moving to Free cancels it", async () => {
    await approve((await choosePlan("growth")).leaveTo ?? "");
    await approve((await choosePlan("pro")).leaveTo ?? "");
    await store.server.flushWebhooks();
    expect(store.server.store.billing.active().map((subscription) => subscription.name)).toEqual([
      "Pro",
    ]);
    expect((await overview()).current).toBe("pro");

    // WHEN the merchant moves to Free
    const { answer } = await choosePlan("free");
    // THEN the page says so at once, and Shopify has no active subscription left
    expect(answer).toEqual({
      ok: true,
      message: { key: "plans.onPlan", values: { plan: "free" } },
    });
    // The message names the plan by its key; each language says its own name for it.
    expect(i18nFor("fa", ADMIN_MESSAGES.fa).t("plans.onPlan", { plan: "free" })).toBe(
      "طرح شما اکنون رایگان است",
    );
    expect(store.server.store.billing.active()).toEqual([]);
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
    // AND the late webhook of the cancel changes nothing
    await store.server.flushWebhooks();
    expect((await overview()).current).toBe("free");
  });

  it("a declined charge leaves the shop where it was", async () => {
    const { leaveTo } = await choosePlan("pro");
    const response = await fetch(`${leaveTo}?decline=1`, { redirect: "manual" });
    expect(response.status).toBe(302);
    await store.server.flushWebhooks();
    expect((await overview()).current).toBe("free");
  });

  it("a webhook the app missed is made up for when the page loads", async () => {
    await approve((await choosePlan("growth")).leaveTo ?? "");
    // GIVEN the approval's webhooks never arrive
    store.server.webhooks.faults = { dropRate: 1 };
    await store.server.flushWebhooks();
    store.server.webhooks.faults = {};
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
    // THEN the page, reconciling with Shopify's active subscriptions, shows Growth
    expect((await overview()).current).toBe("growth");
  });

  it("refuses a plan no page offers", async () => {
    const answer = await plansAction({
      request: await embeddedAdminRequest("/app/plans", { intent: "change", plan: "platinum" }),
      params: {},
      context: {},
    });
    expect((answer as Response).status).toBe(400);
  });
});

describe("the Recommendations page", () => {
  const report = async () =>
    recommendationsLoader({
      request: await embeddedAdminRequest("/app/recommendations"),
      params: {},
      context: {},
    });

  it("tells a merchant on Free that shoppers see bestsellers, and which plan personalizes", async () => {
    const limit = (await report()).planLimit;
    expect(limit).toEqual({
      key: "planLimit.notIncluded.personalizedRecommendations",
      values: { plan: "free", upgrade: "growth", orders: 0, covered: 500 },
    });
    // In the merchant's language, with the plans named.
    const { t } = i18nFor("fa", ADMIN_MESSAGES.fa);
    expect(t(limit?.key ?? "", limit?.values)).toBe(
      "پیشنهادهای شخصی‌سازی‌شده در طرح رایگان نیستند. برای استفاده به رشد ارتقا دهید.",
    );
    await approve((await choosePlan("growth")).leaveTo ?? "");
    await store.server.flushWebhooks();
    expect((await report()).planLimit).toBeNull();
  });
});
