import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { TEST_SHOP, webhookHmac, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { action as customersWebhook } from "~/routes/webhooks.customers";
import { action as ordersWebhook } from "~/routes/webhooks.orders";

const { sql, prisma } = await migratedTestDatabase();

const routeArgs = (request: Request) => ({ request, params: {}, context: {} });
const inboxCount = async () =>
  Number(
    (await sql.query<{ n: string }>("SELECT count(*)::text AS n FROM webhook_inbox")).rows[0]?.n,
  );

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP } });
});

const ALLOWED_STATUSES = [200, 400, 401, 405, 413];

describe("webhook routes under fuzzed input", () => {
  it("answer any headers and body with a clear status and store nothing unless signed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          topic: fc.oneof(fc.constant("customers/update"), fc.string()),
          body: fc.oneof(fc.string(), fc.json()),
          hmac: fc.oneof(fc.constant(undefined), fc.string(), fc.base64String()),
          shop: fc.oneof(fc.constant(TEST_SHOP), fc.domain()),
          webhookId: fc.oneof(fc.uuid(), fc.string({ minLength: 1 })),
        }),
        async (input) => {
          const before = await inboxCount();
          let request: Request;
          try {
            request = webhookRequest({
              path: "/webhooks/customers",
              ...input,
              hmac: input.hmac ?? "",
            });
          } catch {
            return; // Header values the Fetch API itself refuses never reach a route.
          }
          const response = await customersWebhook(routeArgs(request));
          expect(ALLOWED_STATUSES).toContain(response.status);
          const stored = (await inboxCount()) - before;
          if (response.status !== 200) expect(stored).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("never turns a signed but hostile body into a row, and dead-letters it instead", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc
            .record({
              id: fc.oneof(fc.bigInt({ min: -5n, max: 2n ** 70n }), fc.string(), fc.constant(null)),
              name: fc.oneof(fc.string(), fc.integer()),
              currency: fc.string(),
              total_price: fc.oneof(fc.string(), fc.double()),
              created_at: fc.oneof(
                fc.string(),
                fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
              ),
              updated_at: fc.string(),
              line_items: fc.array(fc.record({ id: fc.integer(), quantity: fc.integer() })),
            })
            .map((object) =>
              JSON.stringify(object, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)),
            ),
        ),
        async (body) => {
          await truncateAppTables();
          const shop = await prisma.shop.create({ data: { domain: TEST_SHOP } });
          const request = webhookRequest({
            path: "/webhooks/orders",
            topic: "orders/create",
            body,
            hmac: webhookHmac(body),
          });
          const response = await ordersWebhook(routeArgs(request));
          expect([200, 400]).toContain(response.status);
          const result = await drainInbox(sql);
          expect(result.failed).toBe(0);
          expect(result.applied + result.dead).toBe(result.claimed);
          // Whatever was written satisfies the invariants a valid order has.
          const orders = await prisma.order.findMany({ where: { shopId: shop.id } });
          for (const order of orders) {
            expect(order.id).toBeGreaterThanOrEqual(0n);
            expect(order.currency).toMatch(/^.{3}$/);
            expect(Number.isFinite(Number(order.totalPrice))).toBe(true);
          }
          expect(orders.length).toBeLessThanOrEqual(result.applied);
        },
      ),
      { numRuns: 100 },
    );
  });
});
