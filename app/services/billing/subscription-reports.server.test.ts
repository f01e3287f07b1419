import { beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../../tests/helpers/shared-data";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { shopEntitlement } from "./entitlement.server";
import {
  applySubscriptionWebhook,
  reconcileSubscriptions,
  reportFromWebhook,
} from "./subscription-reports.server";
import { currentPlan } from "./subscription-store.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";

const { sql, prisma } = await migratedTestDatabase();
const DOMAIN = "plans.myshopify.com";
const GROWTH = "gid://shopify/AppSubscription/101";
const PRO = "gid://shopify/AppSubscription/102";
let shopId = 0;

const webhook = (id: string, name: string, status: string, updatedAt: string) => ({
  app_subscription: {
    admin_graphql_api_id: id,
    name,
    status,
    admin_graphql_api_shop_id: "gid://shopify/Shop/1",
    created_at: "2026-11-01T10:00:00-05:00",
    updated_at: updatedAt,
    currency: "USD",
    price: "19.00",
    interval: "every_30_days",
  },
});

const activeList =
  (subscriptions: Array<{ id: string; name: string }>): AdminGraphqlTransport =>
  async () => ({
    data: {
      currentAppInstallation: {
        activeSubscriptions: subscriptions.map((subscription) => ({
          ...subscription,
          status: "ACTIVE",
          test: true,
          trialDays: 14,
          currentPeriodEnd: "2026-12-31T00:00:00Z",
        })),
      },
    },
  });

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: DOMAIN } })).id;
});

describe("app_subscriptions/update", () => {
  it("reads Shopify's reference body, whatever the status's case", () => {
    // Shopify's reference example for the topic (not in the shared samples: written down from
    // the shopify.dev webhook reference).
    const body = JSON.parse(
      readFileSync(
        path.join(REPO_ROOT, "tests/fixtures/webhooks/app_subscriptions__update.json"),
        "utf8",
      ),
    );
    expect(reportFromWebhook(body)).toEqual({
      id: "gid://shopify/AppSubscription/1029266952",
      name: "Webhook Test",
      status: "PENDING",
      test: null,
      trialDays: null,
      currentPeriodEnd: null,
      updatedAt: new Date("2022-01-01T00:00:00Z"),
    });
    expect(reportFromWebhook(webhook(PRO, "Pro", "active", "2026-11-02T00:00:00Z"))?.status).toBe(
      "ACTIVE",
    );
    expect(reportFromWebhook({ app_subscription: { name: "Pro" } })).toBeNull();
  });

  it("puts the shop on the plan it approved, and back on Free when it is cancelled", async () => {
    // GIVEN a shop on Free
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
    // WHEN Shopify reports the Growth subscription active
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "ACTIVE", "2026-11-02T10:00:00Z"),
    );
    // THEN the shop is on Growth
    expect((await currentPlan(sql, shopId)).plan.key).toBe("growth");
    // AND WHEN it is cancelled, the shop is on Free again
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "CANCELLED", "2026-11-20T10:00:00Z"),
    );
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
  });

  it("ignores a delivery older than the stored state, and a repeated one changes nothing", async () => {
    // GIVEN Growth was cancelled (the newer event arrives first)
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "CANCELLED", "2026-11-20T10:00:00Z"),
    );
    // WHEN the older "active" event arrives late, twice
    const late = webhook(GROWTH, "Growth", "ACTIVE", "2026-11-02T10:00:00Z");
    await applySubscriptionWebhook(DOMAIN, late);
    await applySubscriptionWebhook(DOMAIN, late);
    // THEN the shop stays on Free
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
    const { rows } = await sql.query(`SELECT status FROM app_subscription`);
    expect(rows).toEqual([{ status: "CANCELLED" }]);
  });

  it("an upgrade: Pro active and Growth cancelled, in either order, leaves the shop on Pro", async () => {
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "ACTIVE", "2026-11-02T10:00:00Z"),
    );
    await applySubscriptionWebhook(DOMAIN, webhook(PRO, "Pro", "ACTIVE", "2026-11-10T10:00:00Z"));
    expect((await currentPlan(sql, shopId)).plan.key).toBe("pro");
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "CANCELLED", "2026-11-10T10:00:00Z"),
    );
    expect((await currentPlan(sql, shopId)).plan.key).toBe("pro");
  });

  it("a subscription to a plan the app does not sell grants nothing", async () => {
    await applySubscriptionWebhook(
      DOMAIN,
      webhook("gid://shopify/AppSubscription/9", "Webhook Test", "ACTIVE", "2026-11-02T10:00:00Z"),
    );
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
  });
});

describe("reconciliation with Shopify's active subscriptions", () => {
  it("stores a subscription whose webhook was missed, and ends one Shopify no longer lists", async () => {
    // GIVEN the stored state says Growth, but the Growth → Pro change's webhooks were missed
    await applySubscriptionWebhook(
      DOMAIN,
      webhook(GROWTH, "Growth", "ACTIVE", "2026-11-02T10:00:00Z"),
    );
    // WHEN the app reconciles with Shopify's list, which has only Pro
    await reconcileSubscriptions(
      sql,
      shopId,
      activeList([{ id: PRO, name: "Pro" }]),
      new Date("2026-11-15T00:00:00Z"),
    );
    // THEN the shop is on Pro (a test subscription with its trial), and Growth is over
    const { plan, subscription } = await currentPlan(sql, shopId);
    expect(plan.key).toBe("pro");
    expect(subscription).toMatchObject({ id: PRO, test: true, trialDays: 14 });
    const { rows } = await sql.query(`SELECT id, status FROM app_subscription ORDER BY id`);
    expect(rows).toEqual([
      { id: GROWTH, status: "INACTIVE" },
      { id: PRO, status: "ACTIVE" },
    ]);
  });

  it("a webhook newer than the reconciliation still wins", async () => {
    await reconcileSubscriptions(
      sql,
      shopId,
      activeList([{ id: PRO, name: "Pro" }]),
      new Date("2026-11-15T00:00:00Z"),
    );
    await applySubscriptionWebhook(DOMAIN, webhook(PRO, "Pro", "FROZEN", "2026-11-16T00:00:00Z"));
    expect((await currentPlan(sql, shopId)).plan.key).toBe("free");
  });
});

describe("the order volume gate", () => {
  it("counts the last 30 days' orders, leaving out test and deleted orders", async () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    await sql.query(
      `INSERT INTO "order" (shop_id, id, name, currency, total_price, subtotal_price, processed_at,
                            created_at, shopify_updated_at, test, deleted_at)
       VALUES ($1, 1, '#1', 'USD', 1, 1, $2, $2, $2, false, NULL),
              ($1, 2, '#2', 'USD', 1, 1, $3, $3, $3, false, NULL),
              ($1, 3, '#3', 'USD', 1, 1, $2, $2, $2, true, NULL),
              ($1, 4, '#4', 'USD', 1, 1, $2, $2, $2, false, $2)`,
      [shopId, daysAgo(3), daysAgo(31)],
    );
    const entitlement = await shopEntitlement(sql, shopId, now);
    expect(entitlement).toMatchObject({ ordersThisMonth: 1, overOrderVolume: false });
  });
});
