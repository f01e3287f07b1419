import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { TEXT_FIELDS } from "~/services/email/templates/template-document";
import { createFlowFromTemplate } from "~/services/flows/flow-store.server";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { formDataFromValues, STARTER_RULE_VALUES } from "~/services/winback/rule-form";
import * as analyticsSettings from "~/routes/app.analytics-settings";
import * as customerPage from "~/routes/app.customers.$id";
import * as customersPage from "~/routes/app.customers._index";
import * as emailSettings from "~/routes/app.email-settings";
import * as emailSuppressions from "~/routes/app.email-suppressions";
import * as emailTemplate from "~/routes/app.email-template";
import * as flowPage from "~/routes/app.flows.$id";
import * as flowsPage from "~/routes/app.flows._index";
import * as recommendationSettings from "~/routes/app.recommendation-settings";
import * as recommendations from "~/routes/app.recommendations";
import * as failedUpdates from "~/routes/app.sync_.failed-updates";
import * as winbackRule from "~/routes/app.winback.$id";
import * as winbackList from "~/routes/app.winback._index";
import { renderAdminDocument, type AdminPage } from "../helpers/admin-document";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { APP_URL, TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// Each admin page rendered whole by Remix behind real embedded-admin authentication: Shopify
// admin's title bar, the help link, confirmations and the words a merchant reads.
const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();
const DAY = 86_400_000;
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession();
});

const page = (id: string, path: string, module: AdminPage["module"], index = false) => ({
  id: `routes/${id}`,
  path,
  index,
  module,
});
const PAGES = {
  winbackList: page("app.winback._index", "winback", winbackList, true),
  winbackRule: page("app.winback.$id", "winback/:id", winbackRule),
  customers: page("app.customers._index", "customers", customersPage, true),
  customer: page("app.customers.$id", "customers/:id", customerPage),
  analyticsSettings: page("app.analytics-settings", "analytics-settings", analyticsSettings),
  emailSettings: page("app.email-settings", "email-settings", emailSettings),
  emailSuppressions: page("app.email-suppressions", "email-suppressions", emailSuppressions),
  emailTemplate: page("app.email-template", "email-template", emailTemplate),
  flows: page("app.flows._index", "flows", flowsPage, true),
  flow: page("app.flows.$id", "flows/:id", flowPage),
  recommendationSettings: page(
    "app.recommendation-settings",
    "recommendation-settings",
    recommendationSettings,
  ),
  recommendations: page("app.recommendations", "recommendations", recommendations),
  failedUpdates: page("app.sync_.failed-updates", "sync/failed-updates", failedUpdates),
};

async function render(url: string, target: AdminPage) {
  const answer = await renderAdminDocument(await embeddedAdminRequest(url), target);
  expect(answer.status, url).toBe(200);
  return answer.text();
}

/** The title App Bridge shows in Shopify admin's title bar, and the bar's markup. */
const titleBarOf = (html: string) => {
  const bar = html.match(/<ui-title-bar title="([^"]*)"[^>]*>(.*?)<\/ui-title-bar>/s);
  return { title: bar?.[1], markup: bar?.[2] ?? "" };
};
/** A modal's title-bar markup by the modal's id. */
const modalOf = (html: string, id: string) =>
  html.match(new RegExp(`<ui-modal id="${id}"[^>]*>(.*?)</ui-modal>`, "s"))?.[1] ?? null;

describe("every admin page follows Shopify admin's conventions", () => {
  it.each([
    ["/app/winback", PAGES.winbackList, "Win-back", "Win-back"],
    ["/app/winback/new", PAGES.winbackRule, "New win-back rule", "New win-back rule"],
    ["/app/customers", PAGES.customers, "Customers", "Customers"],
    [
      "/app/analytics-settings",
      PAGES.analyticsSettings,
      "Analytics settings",
      "Analytics settings",
    ],
    ["/app/email-settings", PAGES.emailSettings, "Email settings", "Email settings"],
    [
      "/app/email-suppressions",
      PAGES.emailSuppressions,
      "Suppressed addresses",
      "Suppressed addresses",
    ],
    [
      "/app/recommendation-settings",
      PAGES.recommendationSettings,
      "Recommendation rules",
      "Recommendation rules",
    ],
    ["/app/recommendations", PAGES.recommendations, "Recommendations", "Recommendations"],
    [
      "/app/sync/failed-updates",
      PAGES.failedUpdates,
      "Updates that could not be applied",
      "Updates that could not be applied",
    ],
  ])("%s has a title bar and a help link", async (url, target, title, helpFor) => {
    const html = await render(url, target);
    expect(titleBarOf(html).title).toBe(title);
    expect(html).toContain(`About “${helpFor}”: what it does and what to do next`);
    // The help modal's title, for App Bridge to show when the link is followed.
    expect(html).toContain(`<ui-title-bar title="About “${helpFor}”">`);
  });

  it("lets each email text field follow its own language's direction", async () => {
    const html = await render("/app/email-template?locale=fa", PAGES.emailTemplate);
    // The email's texts (English by default) on a right-to-left page, and the brand's logo
    // address and colour codes.
    expect(html.match(/<div data-direction="auto">/g)?.length).toBe(TEXT_FIELDS.length + 1);
  });

  it("shows a flow's steps in the merchant's words, with the page's help", async () => {
    const id = await createFlowFromTemplate(sql, shopId, "winback");
    for (const [url, target] of [
      ["/app/flows", PAGES.flows],
      [`/app/flows/${id}`, PAGES.flow],
    ] as const) {
      const html = await render(url, target);
      expect(html).toContain("Email: We miss you at [your shop&#x27;s name]");
      expect(html).toContain("Tags: add rekindle-winback<");
    }
    const html = await render(`/app/flows/${id}`, PAGES.flow);
    expect(html).toContain("About “Win-back”: what it does and what to do next");
    // The editable subject keeps the placeholder the merchant types.
    expect(html).toContain('value="We miss you at {{shop_name}}"');
  });

  it("speaks the admin's language in the title bar and help link", async () => {
    const html = await render("/app/winback?locale=tr", PAGES.winbackList);
    const bar = titleBarOf(html);
    expect(bar.title).not.toBe("Win-back");
    expect(bar.markup).toContain("Kural oluştur"); // the Create rule action
    expect(html).not.toContain("what it does and what to do next");
  });

  it("asks before a rule runs now, pauses or is deleted, and keeps Run now in the title bar", async () => {
    // GIVEN a saved, started rule
    const created = await winbackRule.action({
      request: await embeddedAdminRequest("/app/winback/new", {
        intent: "save",
        ...formDataFromValues({ ...STARTER_RULE_VALUES, name: "Lapsed 90" }),
      }),
      params: { id: "new" },
      context: {},
    });
    const id = new URL((created as Response).headers.get("Location") ?? "", APP_URL).pathname
      .split("/")
      .pop();
    // A draft asks before it starts reaching customers.
    const draft = await render(`/app/winback/${id}`, PAGES.winbackRule);
    expect(titleBarOf(draft).markup).toMatch(/<button variant="primary"[^>]*>Start<\/button>/);
    expect(modalOf(draft, "winback-start")).toContain("Start “Lapsed 90”?");
    await sql.query(`UPDATE winback_rule SET status = 'active' WHERE id = $1`, [id]);
    // WHEN its page renders
    const html = await render(`/app/winback/${id}`, PAGES.winbackRule);
    // THEN Run now is the title bar's primary action, with Pause, and each asks first
    const bar = titleBarOf(html);
    expect(bar.title).toBe("Lapsed 90");
    expect(bar.markup).toMatch(/<button variant="primary"[^>]*>Run now<\/button>/);
    expect(bar.markup).toContain(">Pause</button>");
    expect(bar.markup).toContain('<a variant="breadcrumb" href="/app/winback">Win-back</a>');
    expect(modalOf(html, "winback-run-now")).toContain("Run “Lapsed 90” now?");
    expect(modalOf(html, "winback-pause")).toContain("Pause “Lapsed 90”?");
    expect(modalOf(html, "winback-delete")).toMatch(/tone="critical"[^>]*>Delete rule</);
    // and the form has Shopify admin's save bar, with Save and Discard
    expect(html).toMatch(
      /<ui-save-bar id="winback-rule-save-bar"[^>]*>.*Save.*Discard.*<\/ui-save-bar>/s,
    );
  });

  it("asks before a test email goes out and before all failed updates are retried", async () => {
    const email = await render("/app/email-settings", PAGES.emailSettings);
    expect(modalOf(email, "email-send-test")).toContain("Send a test email?");
    expect(email).toContain('<ui-save-bar id="email-settings-save-bar"');
    const failed = await render("/app/sync/failed-updates", PAGES.failedUpdates);
    expect(modalOf(failed, "failed-updates-retry-all")).not.toBeNull();
    // Nothing failed: the page says so and offers the way back.
    expect(failed).toContain("Every change from your store has been saved.");
  });

  it("offers a next step when there are no customers, or none match", async () => {
    expect(await render("/app/customers", PAGES.customers)).toContain("Go to sync");
    const filtered = await render("/app/customers?q=nobody", PAGES.customers);
    expect(filtered).toContain("No customers match");
    expect(filtered).toContain("Clear filters");
  });
});

describe("a customer's profile", () => {
  beforeEach(async () => {
    // A customer with three orders, the last 200 days ago.
    const now = Date.now();
    await insertCustomers(sql, shopId, [7n]);
    await insertOrders(
      sql,
      shopId,
      [500, 350, 200].map((daysAgo, i) => ({
        id: 100n + BigInt(i),
        customerId: 7n,
        processedAt: new Date(now - daysAgo * DAY),
        total: 60,
      })),
    );
    await recomputeMetricsAndSegments(sql, shopId);
    // An RFM group whose name reads like a different stage from the lifecycle stage.
    await sql.query(
      `UPDATE customer_metrics SET rfm_segment = 'champions', lifecycle_stage = 'at_risk'
       WHERE shop_id = $1 AND customer_id = 7`,
      [shopId],
    );
  });

  it("shows exactly one stage, RFM as scores, and jargon explained", async () => {
    const html = await render("/app/customers/7", PAGES.customer);
    const stage =
      html.match(/<span id="lifecycle-stage">(.*?<\/span>)<\/span><\/span>/s)?.[1] ?? "";
    const stages = ["Prospect", "New", "Active", "Loyal", "At risk", "Lapsing", "Lost"];
    expect(stages.filter((name) => stage.includes(`>${name}<`))).toEqual(["At risk"]);
    // What the page shows (the scripts carry every label of the language, for hydration).
    expect(html.replace(/<script[\s\S]*?<\/script>/g, "")).not.toContain("Champions");
    expect(html).toMatch(/id="metric-rfm">Recency \d · Frequency \d · Spend \d</);
    // BG/NBD is named only inside the explanation of "Chance still active": a tooltip, which
    // renders on hover, so the page itself does not name it.
    expect(html).toMatch(
      /Tooltip__HasUnderline"><span tabindex="0"><span [^>]*>Chance still active</,
    );
    expect(html).not.toContain("BG/NBD");
    expect(html).toContain("chance they are still an active customer");
  });

  it("explains the predictions in the admin's language", async () => {
    const html = await render("/app/customers/7?locale=zh-CN", PAGES.customer);
    const explanation = html.match(/id="prediction-explanation"[^>]*>(.*?)<\/div>/s)?.[1] ?? "";
    expect(explanation).toContain("3 次购买，最近一次在 200 天前");
    expect(explanation).not.toMatch(/purchase|chance|Expected/);
  });
});
