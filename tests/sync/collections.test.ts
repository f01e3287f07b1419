import { beforeEach, describe, expect, it } from "vitest";
import { refreshShopCollectionMembers } from "~/services/sync/collection-members.server";
import { requestBackfill, runSyncJobs } from "~/services/sync/backfill.server";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { toShopifyJson } from "../devstore/shopify-json";
import { DevStore } from "../devstore/store";
import { devstoreAdmin } from "../helpers/devstore-admin";
import { TEST_SHOP, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// Collections reach the app as products do: the backfill's bulk export, then collections
// webhooks (signed, through the app's own webhook route and inbox). Their bodies list no
// products, so the collection-members step reads a changed collection's products afterwards.

const { sql, prisma } = await migratedTestDatabase();
const SCOPES = ["read_products", "read_customers", "read_orders"];
// Beyond 2^53, so a lossy parse anywhere shows.
const [P1, P2, P3] = [9007199254740993n, 9007199254740995n, 9007199254740997n];
let shopId: number;
let store: DevStore;
let admin: ReturnType<typeof devstoreAdmin>;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } })).id;
  store = new DevStore(storeDataWithProducts([P1, P2, P3], TEST_SHOP));
  admin = devstoreAdmin(store, SCOPES);
  // Every change the store announces is delivered as Shopify would: a signed POST.
  store.onChange(({ topic, body }) => {
    if (!topic.startsWith("collections/")) return;
    pending.push(
      receiveWebhook(
        webhookRequest({ path: "/webhooks/collections", topic, body: toShopifyJson(body) }),
        "/webhooks/collections",
      ),
    );
  });
});

const pending: Array<Promise<{ status: number }>> = [];

/** Waits for the deliveries, applies the inbox, then reads changed collections' products. */
async function syncChanges() {
  const answers = await Promise.all(pending.splice(0));
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
  await drainInbox(sql);
  await refreshShopCollectionMembers(sql, shopId, admin.transport);
}

async function storedCollections() {
  const collections = await prisma.collection.findMany({
    where: { shopId },
    orderBy: { id: "asc" },
    include: { products: { orderBy: { productId: "asc" } } },
  });
  return collections.map((collection) => ({
    id: collection.id,
    title: collection.title,
    deleted: collection.deletedAt !== null,
    products: collection.products.map((member) => member.productId),
  }));
}

async function backfill() {
  await requestBackfill(sql, shopId);
  await runSyncJobs({
    sql,
    shopId,
    transport: admin.transport,
    // The store finishes an export on its next turn of the event loop.
    sleep: () => new Promise<void>((resolve) => setImmediate(resolve)),
    // The store's result file, as its server serves /bulk/<id>.jsonl.
    fetchResult: async (url) => {
      const id = BigInt(/\/bulk\/(\d+)\.jsonl$/.exec(url)?.[1] ?? "0");
      const operation = admin.endpoint.bulkOperations.get(id);
      return operation
        ? new Response(operation.lines.map((line) => `${line}\n`).join(""))
        : new Response("", { status: 404 });
    },
  });
}

describe("collections sync", () => {
  it("loads every collection and its products in the backfill", async () => {
    // GIVEN a store with two collections, one of them empty
    const summer = store.addCollection("Summer", [P1, P2]);
    const empty = store.addCollection("Empty", []);
    pending.splice(0);
    // WHEN the backfill runs
    await backfill();
    // THEN both are stored with their products, ids exact
    expect(await storedCollections()).toEqual([
      { id: summer.id, title: "Summer", deleted: false, products: [P1, P2] },
      { id: empty.id, title: "Empty", deleted: false, products: [] },
    ]);
  });

  it("follows collections webhooks: created, products changed, renamed, deleted", async () => {
    // GIVEN a synced store
    await backfill();
    // WHEN a collection is created with products
    const autumn = store.addCollection("Autumn", [P1, P3]);
    await syncChanges();
    // THEN it is stored, and its products are read although the webhook did not list them
    expect(await storedCollections()).toEqual([
      { id: autumn.id, title: "Autumn", deleted: false, products: [P1, P3] },
    ]);
    // WHEN its products change and it is renamed
    store.updateCollection(autumn.id, { productIds: [P2], title: "Late autumn" });
    await syncChanges();
    // THEN the stored collection follows
    expect(await storedCollections()).toEqual([
      { id: autumn.id, title: "Late autumn", deleted: false, products: [P2] },
    ]);
    // WHEN it is deleted
    store.deleteCollection(autumn.id);
    await syncChanges();
    // THEN it is marked deleted and holds no products; a late update does not bring it back
    expect(await storedCollections()).toEqual([
      { id: autumn.id, title: "Late autumn", deleted: true, products: [] },
    ]);
    const late = {
      id: autumn.id,
      title: "Zombie",
      handle: "zombie",
      updated_at: new Date(Date.now() + 60_000).toISOString(),
    };
    pending.push(
      receiveWebhook(
        webhookRequest({
          path: "/webhooks/collections",
          topic: "collections/update",
          body: toShopifyJson(late),
        }),
        "/webhooks/collections",
      ),
    );
    await syncChanges();
    expect((await storedCollections())[0]?.title).toBe("Late autumn");
  });

  it("keeps a delivery with a forged signature out", async () => {
    // GIVEN a collections/create body signed with the wrong secret
    const body = JSON.stringify({ id: 5, title: "Forged", handle: "forged", updated_at: null });
    // WHEN it is delivered
    const answer = await receiveWebhook(
      webhookRequest({
        path: "/webhooks/collections",
        topic: "collections/create",
        body,
        hmac: "AAAA",
      }),
      "/webhooks/collections",
    );
    await drainInbox(sql);
    // THEN it is refused and nothing is stored
    expect(answer.status).toBe(401);
    expect(await storedCollections()).toEqual([]);
  });

  it("erases the shop's collections on shop/redact", async () => {
    // GIVEN a synced collection
    store.addCollection("Summer", [P1]);
    pending.splice(0);
    await backfill();
    expect(await prisma.collectionProduct.count({ where: { shopId } })).toBe(1);
    // WHEN Shopify asks to erase the shop's data
    const redact = await receiveWebhook(
      webhookRequest({
        path: "/webhooks/compliance",
        topic: "shop/redact",
        body: JSON.stringify({ shop_id: 1, shop_domain: TEST_SHOP }),
      }),
      "/webhooks/compliance",
    );
    expect(redact.status).toBe(200);
    await drainInbox(sql);
    // THEN no collection or membership of the shop is left
    expect(await prisma.collection.count({ where: { shopId } })).toBe(0);
    expect(await prisma.collectionProduct.count({ where: { shopId } })).toBe(0);
  });
});
