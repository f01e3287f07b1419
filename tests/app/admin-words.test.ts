import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { createFlowFromTemplate } from "~/services/flows/flow-store.server";
import { FLOW_TEMPLATE_KEYS } from "~/services/flows/flow-templates";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { formDataFromValues, STARTER_RULE_VALUES } from "~/services/winback/rule-form";
import * as winbackRule from "~/routes/app.winback.$id";
import { renderAdminDocument, type AdminPage } from "../helpers/admin-document";
import { machineWords, visibleText } from "../helpers/merchant-words";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { REPO_ROOT } from "../helpers/shared-data";
import { APP_URL, TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// Every admin page rendered whole behind real embedded-admin authentication, on a shop with
// customers, a win-back rule that has acted (a failure and a skip among its actions) and every
// flow template: no enum name or machine date reaches the text a merchant reads.
const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();
const DAY = 86_400_000;
const ROUTES = path.join(REPO_ROOT, "app/routes");

/**
 * Each page under the embedded admin (a route module app.*.tsx with a default export), as
 * Remix's flat routes name it: dots are slashes, `_index` the folder itself, `$id` a parameter,
 * a trailing `_` leaves the parent's layout (the harness renders every page under app.tsx).
 */
function adminPages(): Array<AdminPage & { file: string }> {
  return readdirSync(ROUTES)
    .filter((file) => /^app\..+\.tsx$/.test(file))
    .filter((file) => /^export default /m.test(readFileSync(path.join(ROUTES, file), "utf8")))
    .map((file) => {
      const segments = file
        .replace(/\.tsx$/, "")
        .split(".")
        .slice(1);
      const index = segments.at(-1) === "_index";
      return {
        file,
        id: `routes/${file.replace(/\.tsx$/, "")}`,
        path: segments
          .filter((segment) => segment !== "_index")
          .map((segment) => segment.replace(/_$/, "").replace(/^\$/, ":"))
          .join("/"),
        index,
        module: {} as AdminPage["module"],
      };
    });
}

let ids: Record<string, string> = {};

beforeAll(async () => {
  await truncateAppTables();
  const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession();
  // Customers in several stages: orders from 500 days ago to last week.
  const now = Date.now();
  await insertCustomers(sql, shopId, [7n, 8n, 9n]);
  await insertOrders(
    sql,
    shopId,
    [
      [7n, 500],
      [7n, 350],
      [7n, 200],
      [8n, 9],
      [9n, 400],
    ].map(([customerId, daysAgo], i) => ({
      id: 100n + BigInt(i),
      customerId: customerId as bigint,
      processedAt: new Date(now - Number(daysAgo) * DAY),
      total: 60,
    })),
  );
  await recomputeMetricsAndSegments(sql, shopId);
  // A win-back rule whose run failed one email and skipped another.
  const created = await winbackRule.action({
    request: await embeddedAdminRequest("/app/winback/new", {
      intent: "save",
      ...formDataFromValues({ ...STARTER_RULE_VALUES, name: "Lapsed 90", emailEnabled: true }),
    }),
    params: { id: "new" },
    context: {},
  });
  const ruleId =
    new URL((created as Response).headers.get("Location") ?? "", APP_URL).pathname
      .split("/")
      .pop() ?? "";
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO winback_run (shop_id, rule_id, status, started_at, finished_at)
     VALUES ($1, $2, 'done', now(), now()) RETURNING id::text`,
    [shopId, ruleId],
  );
  const outcomes: Array<[bigint, string, object | null, object]> = [
    [7n, "failed", { key: "actionReasons.addressRefused", values: { replyCode: 550 } }, {}],
    [9n, "skipped", null, { reason: { key: "actionReasons.suppressedBounce" } }],
  ];
  for (const [customerId, status, error, detail] of outcomes) {
    await sql.query(
      `WITH target AS (
         INSERT INTO winback_target (shop_id, rule_id, run_id, customer_id, trigger_key, holdout, created_at)
         VALUES ($1, $2, $3, $4, 'lapse', false, now()) RETURNING id)
       INSERT INTO winback_action (shop_id, rule_id, run_id, target_id, customer_id, kind, position,
                                   status, error, detail, updated_at)
       SELECT $1, $2, $3, id, $4, 'email', 1, $5, $6::jsonb, $7::jsonb, now() FROM target`,
      [shopId, ruleId, rows[0]?.id, customerId, status, error && JSON.stringify(error), detail],
    );
  }
  const flowIds: bigint[] = [];
  for (const key of FLOW_TEMPLATE_KEYS)
    flowIds.push(await createFlowFromTemplate(sql, shopId, key));
  ids = { customers: "7", winback: ruleId, flows: String(flowIds[0]), segments: "new" };
}, 120_000);

describe("the words on every admin page", () => {
  const pages = adminPages();

  it("finds the admin's pages", () => {
    expect(pages.map((page) => page.file)).toEqual(
      expect.arrayContaining(["app._index.tsx", "app.customers.$id.tsx", "app.flows.$id.tsx"]),
    );
  });

  it.each(pages.map((page) => [page.file, page] as const))(
    "%s shows no enum name, column name or machine date",
    async (file, page) => {
      const url = `/app/${page.path.replace(/([\w-]+)\/:id/, (_, parent: string) => `${parent}/${ids[parent]}`)}`;
      const module = (await import(path.join(ROUTES, file))) as AdminPage["module"];
      const answer = await renderAdminDocument(await embeddedAdminRequest(url), {
        ...page,
        path: page.path,
        module,
      });
      expect(answer.status, url).toBe(200);
      const html = await answer.text();
      // The page as drawn (its loader data, which follows, holds stored values by design).
      // Parts streamed after the shell (deferred data) arrive as hidden segments: read them too.
      const drawn =
        html.slice(
          html.indexOf("<ui-title-bar"),
          html.indexOf('<div id="PolarisPortalsContainer">'),
        ) +
        [...html.matchAll(/<div hidden id="S:\d+">(.*?)<\/div><script>/gs)]
          .map((m) => m[1])
          .join("");
      expect(drawn.length, url).toBeGreaterThan(0);
      // The lists draw the shop's rows, so their values are read too.
      if (file === "app.customers._index.tsx") expect(drawn).toContain('href="/app/customers/7"');
      if (file === "app.winback.$id.tsx") expect(drawn).toContain('href="/app/customers/9"');
      expect(machineWords(visibleText(drawn)), url).toEqual([]);
    },
    60_000,
  );
});
