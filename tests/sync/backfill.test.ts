import { beforeEach, describe, expect, it } from "vitest";
import { requestBackfill, runSyncJobs } from "~/services/sync/backfill.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

const customerLine = (id: number) =>
  JSON.stringify({
    id: `gid://shopify/Customer/${id}`,
    email: `c${id}@example.com`,
    firstName: null,
    lastName: null,
    phone: null,
    locale: null,
    state: "ENABLED",
    tags: [],
    verifiedEmail: true,
    taxExempt: false,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    emailMarketingConsent: null,
    smsMarketingConsent: null,
    defaultAddress: null,
  });

/** A stand-in Shopify: each bulk query completes after one poll with a JSONL result. */
function fakeShopify(
  results: Record<string, string[]>,
  options: { failPollsOnce?: boolean; pollsUntilDone?: number } = {},
) {
  const operations = new Map<string, { resource: string; polls: number }>();
  const calls: string[] = [];
  let failNext = options.failPollsOnce ?? false;
  const transport: AdminGraphqlTransport = async (document, variables = {}) => {
    if (document.includes("mutation BulkOperationRunQuery")) {
      const query = String(variables.query);
      // By the root connection (a collections export lists its products too).
      const resource =
        ["customers", "collections", "products", "orders"].find((name) =>
          new RegExp(`query Bulk${name[0]?.toUpperCase()}${name.slice(1)}\\b`).test(query),
        ) ?? "unknown";
      const id = `gid://shopify/BulkOperation/${operations.size + 1}`;
      operations.set(id, { resource, polls: 0 });
      calls.push(`run ${resource}`);
      return {
        data: {
          bulkOperationRunQuery: { bulkOperation: { id, status: "CREATED" }, userErrors: [] },
        },
      };
    }
    const id = String(variables.id);
    const operation = operations.get(id);
    if (!operation) return { data: { node: null } };
    if (failNext) {
      failNext = false;
      throw new Error("worker killed");
    }
    operation.polls += 1;
    calls.push(`poll ${operation.resource}`);
    const done = operation.polls >= (options.pollsUntilDone ?? 2);
    return {
      data: {
        node: {
          id,
          status: done ? "COMPLETED" : "RUNNING",
          errorCode: null,
          objectCount: String(results[operation.resource]?.length ?? 0),
          url:
            done && results[operation.resource]?.length
              ? `https://storage.test/${operation.resource}.jsonl`
              : null,
        },
      },
    };
  };
  const fetchResult = async (url: string) => {
    const resource = url.slice(url.lastIndexOf("/") + 1).replace(".jsonl", "");
    return new Response((results[resource] ?? []).join("\n"));
  };
  return { transport, fetchResult, calls };
}

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "backfill.myshopify.com" } })).id;
});

describe("backfill", () => {
  it("checks a new bulk operation soon, then less and less often, up to the poll interval", async () => {
    await requestBackfill(sql, shopId);
    const shopify = fakeShopify({ customers: [customerLine(1)] }, { pollsUntilDone: 7 });
    const waits: number[] = [];
    await runSyncJobs({ sql, shopId, ...shopify, sleep: async (ms) => void waits.push(ms) });
    // Four resources, six waits each before the seventh check finds the export ready.
    const perOperation = [125, 250, 500, 1000, 2000, 2000];
    expect(waits).toEqual([...perOperation, ...perOperation, ...perOperation, ...perOperation]);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(1);
  });

  it("runs one bulk operation per resource and loads every result", async () => {
    expect(await requestBackfill(sql, shopId)).toBe(true);
    expect(await requestBackfill(sql, shopId)).toBe(false);
    const shopify = fakeShopify({ customers: [customerLine(1), customerLine(2)] });
    await runSyncJobs({ sql, shopId, ...shopify, sleep: async () => {} });
    expect(await prisma.customer.count({ where: { shopId } })).toBe(2);
    const jobs = await prisma.syncJob.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(
      jobs.map((job) => [job.resource, job.status, job.objectCount, job.linesCommitted]),
    ).toEqual([
      ["customers", "done", 2, 2],
      ["products", "done", 0, 0],
      ["collections", "done", 0, 0],
      ["orders", "done", 0, 0],
    ]);
    // Saving began after the export: the Sync page measures its rate (and time left) from there.
    for (const job of jobs) {
      expect(job.loadingStartedAt?.getTime()).toBeGreaterThanOrEqual(job.startedAt.getTime());
    }
    expect(shopify.calls.filter((call) => call.startsWith("run"))).toEqual([
      "run customers",
      "run products",
      "run collections",
      "run orders",
    ]);
  });

  it("resumes after a crash without starting a second bulk operation", async () => {
    await requestBackfill(sql, shopId);
    const shopify = fakeShopify({ customers: [customerLine(1)] }, { failPollsOnce: true });
    await expect(runSyncJobs({ sql, shopId, ...shopify, sleep: async () => {} })).rejects.toThrow(
      "worker killed",
    );
    expect(
      (await prisma.syncJob.findFirstOrThrow({ where: { shopId, resource: "customers" } })).status,
    ).toBe("running");
    await runSyncJobs({ sql, shopId, ...shopify, sleep: async () => {} });
    expect(shopify.calls.filter((call) => call === "run customers")).toHaveLength(1);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(1);
  });

  it("starts a step over when its bulk operation or result is gone (expired, or a restarted store)", async () => {
    // GIVEN a backfill whose customers step was loading from a result URL that now answers 404,
    // and whose products step waits on an operation Shopify no longer knows
    await requestBackfill(sql, shopId);
    await sql.query(
      `UPDATE sync_job SET status = 'loading', bulk_operation_id = 'gid://shopify/BulkOperation/90',
         result_url = 'https://storage.test/expired.jsonl', lines_committed = 1
       WHERE resource = 'customers'`,
    );
    await sql.query(
      `UPDATE sync_job SET status = 'running', bulk_operation_id = 'gid://shopify/BulkOperation/91'
       WHERE resource = 'products'`,
    );
    const shopify = fakeShopify({ customers: [customerLine(1), customerLine(2)] });
    const fetchResult = (url: string) =>
      url.endsWith("expired.jsonl")
        ? Promise.resolve(new Response("expired", { status: 404 }))
        : shopify.fetchResult(url);
    // WHEN the sync runs again
    await runSyncJobs({ sql, shopId, ...shopify, fetchResult, sleep: async () => {} });
    // THEN each gone step ran a new operation from line 0, and the backfill finished
    expect(shopify.calls.filter((call) => call.startsWith("run"))).toEqual([
      "run customers",
      "run products",
      "run collections",
      "run orders",
    ]);
    const jobs = await prisma.syncJob.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(jobs.map((job) => [job.resource, job.status, job.linesCommitted])).toEqual([
      ["customers", "done", 2],
      ["products", "done", 0],
      ["collections", "done", 0],
      ["orders", "done", 0],
    ]);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(2);
  });
});
