import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { FIXED_END_DATE, generateStore } from "../../../tests/devstore/generator/generate-store";
import { DevStore } from "../../../tests/devstore/store";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { pushConsentUpdates } from "./consent-push.server";
import { resolveUnsubscribeLink, unsubscribeCustomer } from "./unsubscribe.server";
import { unsubscribeToken } from "./unsubscribe-token.server";

const { sql, prisma } = await migratedTestDatabase();
const store = new DevStore(generateStore({ seed: 5, orders: 60, endDate: FIXED_END_DATE }));
const { bucket, transport, sleep, calls, clock } = devstoreAdmin(store, ["write_customers"]);

const withEmail = [...store.customersById.values()].filter((customer) => customer.email);
const [alice, bob, carol] = withEmail.map((customer) => customer.id);
const stateOf = (id: bigint | undefined) => store.customersById.get(id ?? -1n)?.emailMarketing;

let shopId = 0;
async function unsubscribe(customerId: bigint | undefined, at: Date) {
  const link = await resolveUnsubscribeLink(
    sql,
    unsubscribeToken(store.shop.domain, customerId ?? -1n),
  );
  if (!link) throw new Error("token did not verify");
  return unsubscribeCustomer(sql, link, at);
}

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: store.shop.domain } })).id;
  const ids = [alice, bob, carol].filter((id): id is bigint => id !== undefined);
  await insertCustomers(sql, shopId, ids);
  for (const id of ids) {
    store.updateCustomer(id, (customer) => {
      customer.emailMarketing = "SUBSCRIBED";
      customer.emailMarketingUpdatedAt = new Date("2025-01-01T00:00:00Z");
    });
  }
  await sql.query(
    `UPDATE customer SET email_marketing = 'subscribed', email_marketing_updated_at = '2025-01-01'
     WHERE shop_id = $1`,
    [shopId],
  );
});

describe("pushConsentUpdates", () => {
  it("unsubscribes the customers in Shopify, with the time they clicked, once", async () => {
    const clicked = new Date("2026-11-20T10:00:00Z");
    await unsubscribe(alice, clicked);
    await unsubscribe(bob, clicked);
    bucket.forcedThrottles = 1;

    expect(await pushConsentUpdates(sql, shopId, transport, { sleep })).toEqual({
      pushed: 2,
      skipped: 0,
      failed: 0,
    });
    expect(stateOf(alice)).toBe("UNSUBSCRIBED");
    expect(stateOf(bob)).toBe("UNSUBSCRIBED");
    expect(stateOf(carol)).toBe("SUBSCRIBED");
    expect(clock()).toBeGreaterThan(0);
    expect(store.customersById.get(alice ?? -1n)?.emailMarketingUpdatedAt).toEqual(clicked);

    // Nothing left: a second pass makes no calls.
    const before = calls();
    expect(await pushConsentUpdates(sql, shopId, transport, { sleep })).toEqual({
      pushed: 0,
      skipped: 0,
      failed: 0,
    });
    expect(calls()).toBe(before);
  });

  it("does not undo a newer subscription the customer made in Shopify", async () => {
    await unsubscribe(alice, new Date("2026-11-20T10:00:00Z"));
    // customers/update later brought a re-subscription made after the click.
    await sql.query(
      `UPDATE customer SET email_marketing = 'subscribed', email_marketing_updated_at = '2026-11-21'
       WHERE shop_id = $1 AND id = $2`,
      [shopId, (alice ?? 0n).toString()],
    );
    expect(await pushConsentUpdates(sql, shopId, transport, { sleep })).toEqual({
      pushed: 0,
      skipped: 1,
      failed: 0,
    });
    expect(stateOf(alice)).toBe("SUBSCRIBED");
  });

  it("still pushes when an older consent from Shopify arrived after the click", async () => {
    await unsubscribe(alice, new Date("2026-11-20T10:00:00Z"));
    // A customers/update written before the click, delivered after it.
    await sql.query(
      `UPDATE customer SET email_marketing = 'subscribed', email_marketing_updated_at = '2026-11-19'
       WHERE shop_id = $1 AND id = $2`,
      [shopId, (alice ?? 0n).toString()],
    );
    expect((await pushConsentUpdates(sql, shopId, transport, { sleep })).pushed).toBe(1);
    expect(stateOf(alice)).toBe("UNSUBSCRIBED");
  });

  it("skips a customer Shopify refuses and carries on with the rest", async () => {
    await unsubscribe(424242n, new Date("2026-11-20T10:00:00Z"));
    await unsubscribe(carol, new Date("2026-11-20T10:00:00Z"));
    expect(await pushConsentUpdates(sql, shopId, transport, { sleep })).toEqual({
      pushed: 1,
      skipped: 0,
      failed: 1,
    });
    expect(stateOf(carol)).toBe("UNSUBSCRIBED");
    const { rows } = await sql.query(
      `SELECT 1 FROM customer_consent_outbox WHERE shop_id = $1 AND pushed_at IS NULL`,
      [shopId],
    );
    expect(rows).toHaveLength(0);
  });
});
