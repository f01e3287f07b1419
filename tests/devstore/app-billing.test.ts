import { beforeEach, describe, expect, it } from "vitest";
import { ACTIVE_SUBSCRIPTIONS_QUERY } from "~/graphql/billing";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { confirmSubscription } from "./app-billing";
import { AdminGraphqlEndpoint } from "./graphql/admin-endpoint";
import { loadAdminSchema } from "./graphql/admin-schema";
import { DevStore, type StoreChange } from "./store";

const STORE_URL = "http://store.test";
const CREATE = `mutation Create($name: String!, $returnUrl: URL!, $test: Boolean, $trialDays: Int,
    $replacementBehavior: AppSubscriptionReplacementBehavior,
    $lineItems: [AppSubscriptionLineItemInput!]!) {
  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, test: $test, trialDays: $trialDays,
      replacementBehavior: $replacementBehavior, lineItems: $lineItems) {
    appSubscription { id name status test trialDays
      lineItems { plan { pricingDetails { ... on AppRecurringPricing { price { amount currencyCode } interval } } } } }
    confirmationUrl
    userErrors { field message }
  }
}`;
const CANCEL = `mutation Cancel($id: ID!) {
  appSubscriptionCancel(id: $id, prorate: true) {
    appSubscription { id status }
    userErrors { field message }
  }
}`;

let store: DevStore;
let endpoint: AdminGraphqlEndpoint;
let changes: StoreChange[];

beforeEach(() => {
  store = new DevStore(storeDataWithProducts([10n], "billing.myshopify.com"), {
    flowTriggerHandles: [],
  });
  endpoint = new AdminGraphqlEndpoint(loadAdminSchema(), store, {
    bulkResultBaseUrl: () => STORE_URL,
  });
  changes = [];
  store.onChange((change) => changes.push(change));
});

async function run(query: string, variables: Record<string, unknown> = {}) {
  const { body } = await endpoint.handle({ query, variables }, []);
  expect(body.errors).toBeUndefined();
  return body.data as Record<string, any>;
}

const monthly = (amount: number) => [
  {
    plan: {
      appRecurringPricingDetails: {
        interval: "EVERY_30_DAYS",
        price: { amount, currencyCode: "USD" },
      },
    },
  },
];

const create = (name: string, amount = 19) =>
  run(CREATE, {
    name,
    returnUrl: "https://admin.shopify.com/store/billing/apps/key/app/plans",
    test: true,
    trialDays: 14,
    replacementBehavior: "APPLY_IMMEDIATELY",
    lineItems: monthly(amount),
  }).then((data) => data.appSubscriptionCreate);

const activeNames = async () =>
  (await run(ACTIVE_SUBSCRIPTIONS_QUERY)).currentAppInstallation.activeSubscriptions.map(
    (subscription: { name: string }) => subscription.name,
  );

const idOf = (gid: string) => BigInt(gid.split("/").pop() ?? "0");

describe("the simulated store's Billing API", () => {
  it("creates a pending subscription with its confirmation page, and lists it only once approved", async () => {
    const created = await create("Growth");
    expect(created.userErrors).toEqual([]);
    expect(created.appSubscription).toMatchObject({
      name: "Growth",
      status: "PENDING",
      test: true,
      trialDays: 14,
      lineItems: [
        {
          plan: {
            pricingDetails: {
              price: { amount: "19.00", currencyCode: "USD" },
              interval: "EVERY_30_DAYS",
            },
          },
        },
      ],
    });
    const id = idOf(created.appSubscription.id);
    expect(created.confirmationUrl).toBe(`${STORE_URL}/admin/charges/${id}/confirm`);
    expect(await activeNames()).toEqual([]);

    // WHEN the merchant visits the confirmation page
    const destination = confirmSubscription(store, id, false, STORE_URL);
    // THEN they land on the app's page in the (simulated) admin, and the plan is active
    expect(destination).toBe(`${STORE_URL}/admin/apps/rekindle/plans?charge_id=${id}`);
    expect(await activeNames()).toEqual(["Growth"]);
    // AND a second visit confirms nothing
    expect(confirmSubscription(store, id, false, STORE_URL)).toBeNull();
  });

  it("announces every status change with app_subscriptions/update, as Shopify's reference body", async () => {
    const created = await create("Growth");
    const id = idOf(created.appSubscription.id);
    confirmSubscription(store, id, false, STORE_URL);
    await run(CANCEL, { id: created.appSubscription.id });
    expect(changes.map((change) => change.topic)).toEqual([
      "app_subscriptions/update",
      "app_subscriptions/update",
      "app_subscriptions/update",
    ]);
    const bodies = changes.map(
      (change) => (change.body as { app_subscription: Record<string, unknown> }).app_subscription,
    );
    expect(bodies.map((body) => body.status)).toEqual(["PENDING", "ACTIVE", "CANCELLED"]);
    expect(bodies[2]).toMatchObject({
      admin_graphql_api_id: created.appSubscription.id,
      name: "Growth",
      currency: "USD",
      price: "19.00",
      interval: "every_30_days",
    });
    expect(Date.parse(String(bodies[2]?.updated_at))).not.toBeNaN();
  });

  it("approving a new plan ends the active one; a declined one changes nothing", async () => {
    const growth = await create("Growth");
    confirmSubscription(store, idOf(growth.appSubscription.id), false, STORE_URL);
    const pro = await create("Pro", 49);
    confirmSubscription(store, idOf(pro.appSubscription.id), false, STORE_URL);
    expect(await activeNames()).toEqual(["Pro"]);
    const declined = await create("Growth");
    expect(confirmSubscription(store, idOf(declined.appSubscription.id), true, STORE_URL)).toBe(
      `${STORE_URL}/admin/apps/rekindle/plans?charge_id=${idOf(declined.appSubscription.id)}`,
    );
    expect(store.billing.subscriptions.get(idOf(declined.appSubscription.id))?.status).toBe(
      "DECLINED",
    );
    expect(await activeNames()).toEqual(["Pro"]);
  });

  it("refuses what Shopify refuses, with userErrors", async () => {
    const blank = await run(CREATE, {
      name: " ",
      returnUrl: "not a url",
      lineItems: monthly(0),
    });
    expect(blank.appSubscriptionCreate).toMatchObject({ appSubscription: null });
    expect(
      blank.appSubscriptionCreate.userErrors.map((error: { field: string[] }) => error.field),
    ).toEqual([["name"], ["returnUrl"], ["lineItems"]]);
    const unknown = await run(CANCEL, { id: "gid://shopify/AppSubscription/1" });
    expect(unknown.appSubscriptionCancel.userErrors).toEqual([
      { field: ["id"], message: "Couldn't find subscription" },
    ]);
    const pending = await create("Growth");
    const notActive = await run(CANCEL, { id: pending.appSubscription.id });
    expect(notActive.appSubscriptionCancel.userErrors).toEqual([
      { field: ["id"], message: "Subscription is not active" },
    ]);
  });
});
