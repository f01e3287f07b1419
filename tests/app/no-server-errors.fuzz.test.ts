import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { settingsFormValues } from "~/services/analytics/settings-form";
import { formDataFromValues, STARTER_RULE_VALUES } from "~/services/winback/rule-form";
import {
  APP_URL,
  TEST_SHOP,
  embeddedAdminRequest,
  signedProxyUrl,
} from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { adminRoutePaths } from "../helpers/admin-route-files";
import { migratedTestDatabase } from "../helpers/test-database";
import * as auth from "~/routes/auth.$";
import * as login from "~/routes/auth.login/route";
import * as unsubscribeRoute from "~/routes/email.unsubscribe";
import * as proxyRoute from "~/routes/proxy.$";
import { DEFAULT_TEMPLATE } from "~/services/email/templates/template-document";
import { FLOW_TEMPLATES } from "~/services/flows/flow-templates";

// Odd input from merchants and shoppers never makes a server error: every admin loader and
// action, and every storefront endpoint, answers below 500 for arbitrary forms, query strings,
// ids and bodies (a 4xx, or a page that says what is wrong).
const { prisma } = await migratedTestDatabase();

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};

/** Each admin route, with a param that names a record, and the fields its forms send. */
const ADMIN_ROUTES: Array<{
  path: string;
  module: () => Promise<RouteModule>;
  param?: string;
  fields: Record<string, string>;
  intents?: string[];
}> = [
  { path: "/app", module: () => import("~/routes/app._index"), fields: {} },
  {
    path: "/app/analytics-settings",
    module: () => import("~/routes/app.analytics-settings"),
    fields: { ...settingsFormValues(undefined) },
  },
  {
    path: "/app/collection-search",
    module: () => import("~/routes/app.collection-search"),
    fields: { q: "" },
  },
  {
    path: "/app/customers",
    module: () => import("~/routes/app.customers._index"),
    fields: { q: "", stage: "at_risk", segment: "1", sort: "net_revenue", page: "2" },
  },
  {
    path: "/app/customers/$id",
    module: () => import("~/routes/app.customers.$id"),
    param: "id",
    fields: {},
  },
  {
    path: "/app/email-settings",
    module: () => import("~/routes/app.email-settings"),
    fields: {
      host: "smtp.example.com",
      port: "587",
      secure: "on",
      username: "",
      password: "",
      fromName: "Shop",
      fromAddress: "shop@example.com",
      replyTo: "",
      testTo: "owner@example.com",
    },
    intents: ["save", "test", "checkSender"],
  },
  {
    path: "/app/email-suppressions",
    module: () => import("~/routes/app.email-suppressions"),
    fields: { email: "someone@example.com", reason: "complaint", q: "" },
    intents: ["add", "remove"],
  },
  {
    path: "/app/email-template",
    module: () => import("~/routes/app.email-template"),
    fields: {
      document: JSON.stringify(DEFAULT_TEMPLATE),
      customerId: "1",
      language: "en",
      testTo: "owner@example.com",
    },
    intents: ["save", "preview", "test"],
  },
  {
    path: "/app/flows",
    module: () => import("~/routes/app.flows._index"),
    fields: { flowId: "1", template: "welcome" },
    intents: ["create", "turnOn", "turnOff"],
  },
  {
    path: "/app/flows/$id",
    module: () => import("~/routes/app.flows.$id"),
    param: "id",
    fields: {
      trigger: JSON.stringify(FLOW_TEMPLATES.winback.trigger),
      steps: JSON.stringify(FLOW_TEMPLATES.winback.steps),
      language: "en",
    },
  },
  {
    path: "/app/plans",
    module: () => import("~/routes/app.plans"),
    fields: { plan: "growth" },
    intents: ["change"],
  },
  {
    path: "/app/product-search",
    module: () => import("~/routes/app.product-search"),
    fields: { q: "" },
  },
  {
    path: "/app/recommendation-settings",
    module: () => import("~/routes/app.recommendation-settings"),
    fields: {
      maxPerBlock: "4",
      excludeOutOfStock: "on",
      excludedProductTags: "",
      excludedProductTypes: "",
      excludedVendors: "",
      excludedCollections: "[]",
      pinnedProductIds: "",
      blockedProductIds: "",
    },
  },
  {
    path: "/app/recommendations",
    module: () => import("~/routes/app.recommendations"),
    fields: {},
  },
  { path: "/app/segments", module: () => import("~/routes/app.segments._index"), fields: {} },
  {
    path: "/app/segments/$id",
    module: () => import("~/routes/app.segments.$id"),
    param: "id",
    fields: {
      name: "Lapsed",
      query: "days_since_last_order > 90",
      tagInShopify: "on",
      template: "",
    },
    intents: ["save", "duplicate", "delete"],
  },
  {
    path: "/app/segments/$id/members",
    module: () => import("~/routes/app.segments.$id_.members"),
    param: "id",
    fields: { after: "1", before: "1" },
  },
  {
    path: "/app/segments/$id/export",
    module: () => import("~/routes/app.segments.$id_.export"),
    param: "id",
    fields: { locale: "fa" },
  },
  {
    path: "/app/segments/preview",
    module: () => import("~/routes/app.segments.preview"),
    fields: { q: "" },
  },
  {
    path: "/app/sync",
    module: () => import("~/routes/app.sync"),
    fields: { ids: "1" },
    intents: ["backfill", "retry"],
  },
  {
    path: "/app/winback/$id",
    module: () => import("~/routes/app.winback.$id"),
    param: "id",
    fields: formDataFromValues(STARTER_RULE_VALUES),
    intents: ["save", "dry_run", "activate", "pause", "run_now", "delete"],
  },
  { path: "/app/winback", module: () => import("~/routes/app.winback._index"), fields: {} },
  {
    path: "/app/sync/failed-updates",
    module: () => import("~/routes/app.sync_.failed-updates"),
    fields: { id: "1" },
    intents: ["retry", "retry-all"],
  },
];

/** Text a merchant or an attacker might type: empty, huge, numeric edge cases, markup. */
const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u0000",
    "a".repeat(3000),
  ),
  fc.bigInt().map(String),
);

const oddId = fc.oneof(
  fc.constantFrom(
    "new",
    "0",
    "1",
    "999",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "-1",
    "abc",
  ),
  fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String),
);

/** Status of what a loader or action did: returned data is 200, a thrown non-Response 500. */
async function statusOf(run: () => unknown): Promise<number> {
  try {
    const result = await run();
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    process.stdout.write(`server error: ${String(thrown)}\n`);
    return 500;
  }
}

// Nothing reaches Shopify: calls the routes make to it fail as a network outage would.
shutNetworkDuringTests();

beforeAll(async () => {
  await prisma.shop.upsert({
    where: { domain: TEST_SHOP },
    create: { domain: TEST_SHOP, state: "installed" },
    update: {},
  });
  await storeOfflineSession({ accessToken: "shpat_fuzz" });
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

describe("admin routes answer odd input without a server error", () => {
  it("lists every admin route", () => {
    expect(adminRoutePaths()).toEqual(ADMIN_ROUTES.map((route) => route.path).sort());
  });

  for (const route of ADMIN_ROUTES) {
    it(route.path, async () => {
      const module = await route.module();
      const keys = Object.keys(route.fields);
      const form = fc.record({
        base: fc.boolean(),
        overrides: fc.dictionary(
          keys.length > 0
            ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 }))
            : fc.string({ maxLength: 8 }),
          oddText,
          { maxKeys: 4 },
        ),
        intent: route.intents
          ? fc.oneof(fc.constantFrom(...route.intents), oddText)
          : fc.constant(undefined),
        id: oddId,
      });
      await fc.assert(
        fc.asyncProperty(form, async ({ base, overrides, intent, id }) => {
          const params: Record<string, string> = route.param ? { [route.param]: id } : {};
          const path = route.path.replace("$id", encodeURIComponent(id));
          const fields = {
            ...(base ? route.fields : {}),
            ...overrides,
            ...(intent === undefined ? {} : { intent }),
          };
          if (module.loader) {
            const query = new URLSearchParams(overrides).toString();
            const request = await embeddedAdminRequest(`${path}?${query}`);
            expect(
              await statusOf(() => module.loader?.({ request, params, context: {} })),
            ).toBeLessThan(500);
          }
          if (module.action) {
            const request = await embeddedAdminRequest(path, fields);
            expect(
              await statusOf(() => module.action?.({ request, params, context: {} })),
            ).toBeLessThan(500);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe("public endpoints answer odd input without a server error", () => {
  it("app proxy: any path, query and body", async () => {
    const input = fc.record({
      path: fc.oneof(
        fc.constantFrom("recommendations", "recently-viewed", "offer", "events", "", "../admin"),
        fc.string({ maxLength: 12 }),
      ),
      query: fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            "product_id",
            "product_ids",
            "limit",
            "context",
            "request_id",
            "client_id",
          ),
          fc.string({ maxLength: 8 }),
        ),
        oddText,
        { maxKeys: 4 },
      ),
      customer: fc.oneof(fc.constant(""), oddId),
      body: fc.oneof(
        oddText,
        fc.json(),
        fc.constant('{"events":[{"type":"click","product_id":"9223372036854775808","token":"x"}]}'),
      ),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ path, query, customer, body }) => {
        const url = signedProxyUrl(`/proxy/${path}`, { ...query, logged_in_customer_id: customer });
        const args = (request: Request) => ({ request, params: { "*": path }, context: {} });
        expect(await statusOf(() => proxyRoute.loader(args(new Request(url))))).toBeLessThan(500);
        const post = new Request(url, {
          method: "POST",
          body,
          headers: { "Content-Type": "text/plain" },
        });
        expect(await statusOf(() => proxyRoute.action(args(post)))).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("auth pages: login and the auth paths with any shop, host and destination", async () => {
    const input = fc.record({
      path: fc.constantFrom("/auth/login", "/auth/exit-iframe", "/auth/session-token", "/auth/x"),
      query: fc.dictionary(
        fc.constantFrom("shop", "host", "exitIframe", "embedded", "id_token", "shopify-reload"),
        oddText,
        { maxKeys: 4 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ path, query }) => {
        const url = `${APP_URL}${path}?${new URLSearchParams(query)}`;
        const args = (request: Request) => ({ request, params: {}, context: {} });
        if (path === "/auth/login") {
          expect(await statusOf(() => login.loader(args(new Request(url))))).toBeLessThan(500);
          const form = new Request(url, {
            method: "POST",
            body: new URLSearchParams({ shop: query.shop ?? "" }),
          });
          expect(await statusOf(() => login.action(args(form)))).toBeLessThan(500);
        } else {
          expect(await statusOf(() => auth.loader(args(new Request(url))))).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("unsubscribe link: any token, by link and by form", async () => {
    await fc.assert(
      fc.asyncProperty(oddText, async (token) => {
        const url = `${APP_URL}/email/unsubscribe?${new URLSearchParams({ token })}`;
        const args = (request: Request) => ({ request, params: {}, context: {} });
        expect(await statusOf(() => unsubscribeRoute.loader(args(new Request(url))))).toBeLessThan(
          500,
        );
        const form = new Request(`${APP_URL}/email/unsubscribe`, {
          method: "POST",
          body: new URLSearchParams({ token }),
        });
        expect(await statusOf(() => unsubscribeRoute.action(args(form)))).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
