import { beforeAll, describe, expect, it } from "vitest";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import {
  recomputeMetricsAndSegments,
  refreshDirtyMetricsAndSegments,
} from "~/services/segments/metrics-and-segments.server";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { FIXED_END_DATE, generateStore } from "../../../tests/devstore/generator/generate-store";
import { DevStore } from "../../../tests/devstore/store";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { refreshSegmentMembers } from "./memberships.server";
import { saveRule } from "~/services/winback/rule-store.server";
import { deleteSegment, listSegments, saveSegment } from "./segment-store.server";
import { pushSegmentTags, segmentTag } from "./shopify-tags.server";

const { sql, prisma } = await migratedTestDatabase();
const store = new DevStore(generateStore({ seed: 3, orders: 200, endDate: FIXED_END_DATE }));
const { bucket, transport, sleep, clock } = devstoreAdmin(store, [
  "read_customers",
  "write_customers",
]);
let shopId: number;
const customerIds = [...store.customersById.keys()].slice(0, 40);
const tagsOf = (id: bigint) => store.customersById.get(id)?.tags ?? [];

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: store.shop.domain } })).id;
  await insertCustomers(sql, shopId, customerIds);
  await sql.query(
    `UPDATE customer SET email_marketing = CASE WHEN id % 2 = 0 THEN 'subscribed' ELSE 'not_subscribed' END
     WHERE shop_id = $1`,
    [shopId],
  );
  await recomputeMetricsAndSegments(sql, shopId);
});

describe("segment tags in Shopify", () => {
  it("derives a readable, bounded tag from the segment name", () => {
    expect(segmentTag("VIP — Café lovers!")).toBe("rekindle-vip-cafe-lovers");
    expect(segmentTag("???")).toBe("rekindle-segment");
    expect(segmentTag("x".repeat(100)).length).toBeLessThanOrEqual(40);
  });

  it("tags every member, waits out throttling, and removes the tag when they leave", async () => {
    const segment = await saveSegment(sql, shopId, {
      name: "Subscribers",
      query: "email_marketing = 'subscribed'",
      tagInShopify: true,
    });
    await refreshSegmentMembers(sql, shopId, segment);
    const subscribed = customerIds.filter((id) => id % 2n === 0n);
    bucket.forcedThrottles = 2;

    const first = await pushSegmentTags(sql, shopId, transport, { sleep });
    expect(first).toEqual({ added: subscribed.length, removed: 0, failed: 0 });
    expect(clock()).toBeGreaterThan(0);
    for (const id of customerIds) {
      expect(tagsOf(id).includes("rekindle-subscribers")).toBe(subscribed.includes(id));
    }
    // Nothing left to do: a second pass makes no calls.
    expect(await pushSegmentTags(sql, shopId, transport, { sleep })).toEqual({
      added: 0,
      removed: 0,
      failed: 0,
    });

    const leaver = subscribed[0] ?? 0n;
    await sql.query(`UPDATE customer SET email_marketing = 'unsubscribed' WHERE id = $1`, [
      leaver.toString(),
    ]);
    await markCustomersDirty(sql, shopId, { customerIds: [leaver], orderIds: [] });
    await refreshDirtyMetricsAndSegments(sql);
    expect(await pushSegmentTags(sql, shopId, transport, { sleep })).toEqual({
      added: 0,
      removed: 1,
      failed: 0,
    });
    expect(tagsOf(leaver)).not.toContain("rekindle-subscribers");
  });

  it("skips a customer Shopify refuses and carries on with the rest", async () => {
    await insertCustomers(sql, shopId, [424242n]);
    await sql.query(
      `UPDATE customer SET email_marketing = 'subscribed' WHERE shop_id = $1 AND id IN (424242, $2)`,
      [shopId, (customerIds[1] ?? 0n).toString()],
    );
    await markCustomersDirty(sql, shopId, {
      customerIds: [424242n, customerIds[1] ?? 0n],
      orderIds: [],
    });
    await refreshDirtyMetricsAndSegments(sql);
    expect(await pushSegmentTags(sql, shopId, transport, { sleep })).toEqual({
      added: 1,
      removed: 0,
      failed: 1,
    });
    expect(tagsOf(customerIds[1] ?? 0n)).toContain("rekindle-subscribers");
  });

  it("leaves segments without a tag alone", async () => {
    const plain = await saveSegment(sql, shopId, { name: "Everyone", query: "orders_count >= 0" });
    await refreshSegmentMembers(sql, shopId, plain);
    expect(await pushSegmentTags(sql, shopId, transport, { sleep })).toEqual({
      added: 0,
      removed: 0,
      failed: 0,
    });
  });

  it("removes a deleted segment's tag, and moves members to a segment's new tag", async () => {
    const vip = await saveSegment(sql, shopId, {
      name: "Big spenders",
      query: "orders_count >= 0",
      tagInShopify: true,
    });
    await refreshSegmentMembers(sql, shopId, vip);
    await pushSegmentTags(sql, shopId, transport, { sleep });
    const member = customerIds[2] ?? 0n;
    expect(tagsOf(member)).toContain("rekindle-big-spenders");

    // Renamed: the old tag goes, the new one comes, and no member "entered" anew.
    const entriesBefore = await sql.query(
      `SELECT 1 FROM segment_membership_event WHERE segment_id = $1 AND kind = 'enter'`,
      [vip.id.toString()],
    );
    const renamed = await saveSegment(sql, shopId, {
      id: vip.id,
      name: "Top spenders",
      query: "orders_count >= 0",
      tagInShopify: true,
    });
    await pushSegmentTags(sql, shopId, transport, { sleep });
    expect(tagsOf(member)).toContain("rekindle-top-spenders");
    expect(tagsOf(member)).not.toContain("rekindle-big-spenders");
    const entriesAfter = await sql.query(
      `SELECT 1 FROM segment_membership_event WHERE segment_id = $1 AND kind = 'enter'`,
      [vip.id.toString()],
    );
    expect(entriesAfter.rows.length).toBe(entriesBefore.rows.length);

    await deleteSegment(sql, shopId, renamed.id);
    await pushSegmentTags(sql, shopId, transport, { sleep });
    expect(tagsOf(member)).not.toContain("rekindle-top-spenders");
    expect(await pushSegmentTags(sql, shopId, transport, { sleep })).toEqual({
      added: 0,
      removed: 0,
      failed: 0,
    });
  });

  it("will not delete a segment a win-back rule starts from", async () => {
    const segment = await saveSegment(sql, shopId, { name: "Lapsed", query: "orders_count >= 1" });
    await saveRule(sql, shopId, {
      name: "Welcome back",
      config: {
        trigger: { kind: "segment_entered", segmentId: segment.id.toString() },
        actions: { addTags: ["welcome-back"] },
      },
    });
    await expect(deleteSegment(sql, shopId, segment.id)).rejects.toThrow(/Welcome back/);
    expect((await listSegments(sql, shopId)).map((s) => s.name)).toContain("Lapsed");
  });
});
