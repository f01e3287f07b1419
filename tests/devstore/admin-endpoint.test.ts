import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS } from "~/graphql";
import { ADMIN_API_VERSION } from "~/lib/constants";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { parse } from "graphql";
import { MAX_SINGLE_QUERY_COST, requestedQueryCost } from "./graphql/query-cost";
import { CostBucket } from "./graphql/throttle";
import { FIXED_END_DATE, generateStore } from "./generator/generate-store";
import { startDevStoreServer, type DevStoreServer } from "./server";
import { signSessionToken } from "./signing";

// A page of orders with their line items, as an app pages through recent changes.
const ORDERS_PAGE_QUERY = `query OrdersPage($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id lineItems(first: 20) { nodes { id quantity originalUnitPriceSet { shopMoney { amount } } } } }
  }
}`;

const app = {
  apiKey: "devstore-test-key",
  secret: "devstore-test-secret",
  scopes: "read_orders,read_all_orders,write_discounts,write_customers",
};
let server: DevStoreServer;
let accessToken: string;
// The cost bucket runs on a clock the test controls, so refills take no real time.
let clock = 0;
const sleepOnClock = async (ms: number) => {
  clock += ms;
};

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  token = accessToken,
) {
  const response = await fetch(`${server.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  server = await startDevStoreServer({
    data: generateStore({ seed: 11, orders: 300, endDate: FIXED_END_DATE }),
    app,
    appUrl: "http://127.0.0.1:9",
    bucket: new CostBucket(2000, 100, () => clock),
  });
  const sessionToken = await signSessionToken(
    { shop: server.store.shop.domain, apiKey: app.apiKey, userId: "1" },
    app.secret,
  );
  const response = await fetch(`${server.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: app.apiKey,
      client_secret: app.secret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: sessionToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    }),
  });
  accessToken = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  clock += 60_000;
});

const transport: AdminGraphqlTransport = async (document, variables) =>
  (await graphql(document, variables)).body;

describe("simulated Admin GraphQL", () => {
  it("refuses requests without a valid access token", async () => {
    const { status } = await graphql("{ shop { name } }", {}, "shpat_wrong");
    expect(status).toBe(401);
  });

  it("answers the shop query the app sends, with Shopify's cost extension", async () => {
    const { body } = await graphql(ADMIN_DOCUMENTS.SHOP_INFO_QUERY ?? "");
    expect(body.data.shop).toMatchObject({
      myshopifyDomain: server.store.shop.domain,
      currencyCode: server.store.shop.currency,
    });
    expect(body.extensions.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });

  it("rejects fields the real schema does not have", async () => {
    const { body } = await graphql("{ shop { name notAField } }");
    expect(body.errors[0].message).toContain("notAField");
    expect(body.data).toBeUndefined();
  });

  it("pages orders changed since a time, sorted by updated_at, waiting out throttling", async () => {
    const orders = [...server.store.data.orders].sort(
      (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime(),
    );
    const since = orders[Math.floor(orders.length / 2)]?.updatedAt.toISOString();
    const expected = orders.filter((o) => o.updatedAt.toISOString() > (since ?? "")).length;
    const seen: string[] = [];
    let after: string | null = null;
    const before = clock;
    for (;;) {
      // Fifteen pages of ~800 points drain the 2,000-point bucket: the app's client waits.
      const data: { orders: Record<string, any> } = await adminGraphqlRequest(
        transport,
        ORDERS_PAGE_QUERY,
        { first: 5, after, query: `updated_at:>'${since}'` },
        { sleep: sleepOnClock },
      );
      const page = data.orders;
      seen.push(...page.nodes.map((node: { id: string }) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
    expect(clock - before).toBeGreaterThan(0);
  });

  it("shows only the last 60 days of orders to an app without read_all_orders", async () => {
    const sixtyDaysAgo = Date.now() - 60 * 86_400_000;
    const recent = server.store.data.orders.filter((o) => o.processedAt.getTime() >= sixtyDaysAgo);
    const count = async (scopes: string[]) => {
      const result = await server.admin.handle(
        { query: "query($after: String) { orders(first: 250, after: $after) { nodes { id } } }" },
        scopes,
      );
      return (result.body.data as { orders: { nodes: unknown[] } }).orders.nodes.length;
    };
    expect(await count(["read_orders"])).toBe(Math.min(250, recent.length));
    expect(await count(["read_orders", "read_all_orders"])).toBe(
      Math.min(250, server.store.data.orders.length),
    );
    expect(recent.length).toBeLessThan(server.store.data.orders.length);
  });

  it("answers THROTTLED with the bucket state when the cost is not available", async () => {
    server.admin.bucket.forcedThrottles = 1;
    const throttled = await graphql("{ shop { name } }");
    expect(throttled.body.errors[0].extensions.code).toBe("THROTTLED");
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(2000);
    clock += 1000;
    const next = await graphql("{ shop { name } }");
    expect(next.body.data.shop.name).toBe(server.store.shop.name);
  });

  it("runs a bulk operation whose JSONL flattens line items under their order", async () => {
    const started = await graphql(ADMIN_DOCUMENTS.BULK_OPERATION_RUN_QUERY ?? "", {
      query: ADMIN_DOCUMENTS.BULK_ORDERS_QUERY,
    });
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id as string;
    let operation: Record<string, any> = {};
    for (let i = 0; i < 100 && operation.status !== "COMPLETED"; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      operation = (await graphql(ADMIN_DOCUMENTS.BULK_OPERATION_STATUS_QUERY ?? "", { id })).body
        .data.node;
    }
    expect(operation.status).toBe("COMPLETED");
    const download = await fetch(operation.url);
    const lines: Array<Record<string, any>> = [];
    for await (const line of createInterface({ input: Readable.fromWeb(download.body as never) })) {
      lines.push(JSON.parse(line));
    }
    const data = server.store.data;
    const lineItemCount = data.orders.reduce((sum, order) => sum + order.lineItems.length, 0);
    expect(lines.filter((line) => line.id.includes("/Order/"))).toHaveLength(data.orders.length);
    expect(lines.filter((line) => line.__parentId)).toHaveLength(lineItemCount);
    expect(Number(operation.objectCount)).toBe(lines.length);
    const firstOrder = lines[0];
    expect(firstOrder?.lineItems).toBeUndefined();
    expect(lines[1]?.__parentId).toBe(firstOrder?.id);
  });

  it("exports collections with their products as child lines, and announces collection changes", async () => {
    // GIVEN the generated store's collections, and a listener for the store's webhooks
    const store = server.store;
    const changes: Array<{ topic: string; body: any }> = [];
    const stop = store.onChange((change) => changes.push(change));
    // WHEN the app runs its collections bulk query
    const started = await graphql(ADMIN_DOCUMENTS.BULK_OPERATION_RUN_QUERY ?? "", {
      query: ADMIN_DOCUMENTS.BULK_COLLECTIONS_QUERY,
    });
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id as string;
    let operation: Record<string, any> = {};
    for (let i = 0; i < 100 && operation.status !== "COMPLETED"; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      operation = (await graphql(ADMIN_DOCUMENTS.BULK_OPERATION_STATUS_QUERY ?? "", { id })).body
        .data.node;
    }
    const lines = (await (await fetch(operation.url)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, any>);
    // THEN every collection is a line, followed by its products' ids under it
    const collections = lines.filter((line) => line.id.includes("/Collection/"));
    expect(collections.map((line) => line.title)).toEqual(
      store.data.collections.map((collection) => collection.title),
    );
    for (const collection of store.data.collections) {
      const gidOf = `gid://shopify/Collection/${collection.id}`;
      expect(lines.filter((line) => line.__parentId === gidOf).map((line) => line.id)).toEqual(
        store.productsInCollection(collection.id).map((p) => `gid://shopify/Product/${p.id}`),
      );
    }
    expect(collections[0]?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // AND creating, changing and deleting a collection send webhooks whose bodies list no products
    const product = store.data.products[0]?.id ?? 0n;
    const added = store.addCollection("Gifts", [product]);
    store.updateCollection(added.id, { title: "Gift ideas", productIds: [] });
    store.deleteCollection(added.id);
    stop();
    expect(changes.map((change) => change.topic)).toEqual([
      "collections/create",
      "collections/update",
      "collections/delete",
    ]);
    expect(changes[1]?.body).toMatchObject({ id: added.id, title: "Gift ideas" });
    expect(changes.some((change) => "products" in change.body || "collects" in change.body)).toBe(
      false,
    );
    expect(store.productsInCollection(added.id)).toEqual([]);
  });

  it("keeps every document the app sends under the single-query cost limit", () => {
    for (const [name, document] of Object.entries(ADMIN_DOCUMENTS)) {
      const cost = requestedQueryCost(server.admin.schema, parse(document), { metafields: [] });
      expect.soft(cost, name).toBeLessThanOrEqual(MAX_SINGLE_QUERY_COST);
    }
  });

  it("refuses an invalid bulk query with userErrors", async () => {
    const invalid = await graphql(ADMIN_DOCUMENTS.BULK_OPERATION_RUN_QUERY ?? "", {
      query: "{ orders { edges { node { nope } } } }",
    });
    expect(invalid.body.data.bulkOperationRunQuery.userErrors[0].message).toContain("nope");
  });

  it("creates unique discount codes and refuses a duplicate", async () => {
    const customer = server.store.data.customers[0];
    const input = {
      title: "Win-back",
      code: "WELCOME-BACK-1",
      startsAt: "2026-11-01T00:00:00Z",
      context: { customers: { add: [`gid://shopify/Customer/${customer?.id}`] } },
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    };
    const created = await graphql(ADMIN_DOCUMENTS.DISCOUNT_CODE_BASIC_CREATE_MUTATION ?? "", {
      basicCodeDiscount: input,
    });
    expect(created.body.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(
      created.body.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount.codes.nodes[0].code,
    ).toBe("WELCOME-BACK-1");
    const duplicate = await graphql(ADMIN_DOCUMENTS.DISCOUNT_CODE_BASIC_CREATE_MUTATION ?? "", {
      basicCodeDiscount: input,
    });
    expect(duplicate.body.data.discountCodeBasicCreate.userErrors[0].code).toBe("TAKEN");
  });

  it("sets metafields atomically and adds tags with a customers/update change", async () => {
    const customer = server.store.data.customers[1];
    const ownerId = `gid://shopify/Customer/${customer?.id}`;
    const changes: string[] = [];
    const stop = server.store.onChange((change) => changes.push(change.topic));
    const bad = await graphql(ADMIN_DOCUMENTS.METAFIELDS_SET_MUTATION ?? "", {
      metafields: [
        { ownerId, namespace: "$app:rekindle", key: "winback_offer", type: "json", value: "{}" },
        { ownerId, namespace: "$app:rekindle", key: "other", type: "json", value: "{oops" },
      ],
    });
    expect(bad.body.data.metafieldsSet.userErrors).toHaveLength(1);
    expect(server.store.metafields.size).toBe(0);
    const tagged = await graphql(ADMIN_DOCUMENTS.TAGS_ADD_MUTATION ?? "", {
      id: ownerId,
      tags: ["rekindle-lapsing"],
    });
    expect(tagged.body.data.tagsAdd.userErrors).toEqual([]);
    expect(customer?.tags).toContain("rekindle-lapsing");
    expect(changes).toEqual(["customers/update"]);
    stop();
  });

  it("answers collection(id) with its products page by page, and null once deleted", async () => {
    const store = server.store;
    const collection = store.data.collections.find(
      (candidate) => store.productsInCollection(candidate.id).length > 2,
    );
    if (!collection) throw new Error("the generated store has no collection of 3 products");
    const members = store.productsInCollection(collection.id).map((product) => product.id);
    const page = `query($id: ID!, $after: String) { collection(id: $id) { title
      products(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } } }`;
    const id = `gid://shopify/Collection/${collection.id}`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await graphql(page, { id, after });
      const products = body.data.collection.products;
      seen.push(...products.nodes.map((node: { id: string }) => node.id));
      if (!products.pageInfo.hasNextPage) break;
      after = products.pageInfo.endCursor;
    }
    expect(seen).toEqual(members.map((member) => `gid://shopify/Product/${member}`));

    const spare = store.addCollection("Spare", []);
    store.deleteCollection(spare.id);
    const gone = await graphql(page, { id: `gid://shopify/Collection/${spare.id}`, after: null });
    expect(gone.body.data.collection).toBeNull();
  });

  it("searches collections by title words and refuses search syntax it does not simulate", async () => {
    const store = server.store;
    store.addCollection("Night Owls", []);
    store.addCollection("Owl (limited)", []);
    const search = `query($query: String!) { collections(first: 10, query: $query, sortKey: TITLE) {
      nodes { title } } }`;
    const titles = async (query: string) =>
      (await graphql(search, { query })).body.data.collections.nodes.map(
        (node: { title: string }) => node.title,
      );
    expect(await titles("title:*owl*")).toEqual(["Night Owls", "Owl (limited)"]);
    expect(await titles("title:*owl* title:*\\(limited\\)*")).toEqual(["Owl (limited)"]);
    const refused = await graphql(search, { query: "title:owl OR vendor:x" });
    expect(refused.body.errors[0].message).toContain("unsupported search query");
  });
});
