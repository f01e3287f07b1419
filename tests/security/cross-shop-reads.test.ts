import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { saveSegment } from "~/services/segments/segment-store.server";
import {
  configFromValues,
  formDataFromValues,
  STARTER_RULE_VALUES,
} from "~/services/winback/rule-form";
import { saveRule } from "~/services/winback/rule-store.server";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import * as rulePage from "~/routes/app.winback.$id";
import * as customerPage from "~/routes/app.customers.$id";
import * as segmentPage from "~/routes/app.segments.$id";
import * as segmentMembers from "~/routes/app.segments.$id_.members";
import * as segmentExport from "~/routes/app.segments.$id_.export";

// Attack: a merchant signed in to their own shop (a valid session token for TEST_SHOP) names
// another shop's records by id in the URL or the form.
const { sql, prisma } = await migratedTestDatabase();

const OTHER_SHOP = "someone-else.myshopify.com";
let theirs: { ruleId: string; customerId: string; segmentId: string };
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } });
  await storeOfflineSession();
  const other = await prisma.shop.create({ data: { domain: OTHER_SHOP, state: "installed" } });
  await insertCustomers(sql, other.id, [777n]);
  const rule = await saveRule(sql, other.id, {
    name: "Their rule",
    config: configFromValues(STARTER_RULE_VALUES),
  });
  const segment = await saveSegment(sql, other.id, { name: "Theirs", query: "orders_count >= 1" });
  theirs = { ruleId: rule.id.toString(), customerId: "777", segmentId: segment.id.toString() };
});

const statusOf = (run: () => unknown) =>
  Promise.resolve()
    .then(run)
    .then(
      (answer) => (answer instanceof Response ? answer.status : 200),
      (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
    );

describe("cross-shop reads and writes", () => {
  it("another shop's win-back rule is not found, to read or to change", async () => {
    const id = theirs.ruleId;
    const read = await embeddedAdminRequest(`/app/winback/${id}`);
    expect(
      await statusOf(() => rulePage.loader({ request: read, params: { id }, context: {} })),
    ).toBe(404);
    for (const intent of ["save", "activate", "delete"]) {
      const form = { intent, ...formDataFromValues({ ...STARTER_RULE_VALUES, name: "Mine now" }) };
      const request = await embeddedAdminRequest(`/app/winback/${id}`, form);
      expect(
        await statusOf(() => rulePage.action({ request, params: { id }, context: {} })),
        intent,
      ).toBe(404);
    }
    const { rows } = await sql.query(`SELECT name, status FROM winback_rule WHERE id = $1`, [id]);
    expect(rows).toEqual([{ name: "Their rule", status: "draft" }]);
  });

  it("another shop's customer is not found", async () => {
    const id = theirs.customerId;
    const request = await embeddedAdminRequest(`/app/customers/${id}`);
    expect(
      await statusOf(() => customerPage.loader({ request, params: { id }, context: {} })),
    ).toBe(404);
  });

  it("another shop's segment cannot be read, listed, exported, duplicated or deleted", async () => {
    const id = theirs.segmentId;
    for (const [path, route] of [
      [`/app/segments/${id}`, segmentPage],
      [`/app/segments/${id}/members`, segmentMembers],
      [`/app/segments/${id}/export`, segmentExport],
    ] as const) {
      const request = await embeddedAdminRequest(path);
      expect(
        await statusOf(() => route.loader({ request, params: { id }, context: {} })),
        path,
      ).toBe(404);
    }
    for (const intent of ["delete", "duplicate", "save"]) {
      const request = await embeddedAdminRequest(`/app/segments/${id}`, {
        intent,
        name: "Mine now",
        query: "orders_count >= 0",
      });
      expect(
        await statusOf(() => segmentPage.action({ request, params: { id }, context: {} })),
        intent,
      ).toBe(404);
    }
    const { rows } = await sql.query(`SELECT name FROM segment`);
    expect(rows).toEqual([{ name: "Theirs" }]);
  });
});
