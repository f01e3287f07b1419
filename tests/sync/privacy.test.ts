import { beforeEach, describe, expect, it } from "vitest";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { listShopScopedTables } from "~/services/privacy/shop-tables.server";
import { databaseText } from "../helpers/database-text";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { customerBody, enqueueWebhook, orderBody, refundBody } from "./inbox-helpers";

const SHOP = "privacy-test.myshopify.com";
const OTHER_SHOP = "neighbour.myshopify.com";
const { sql, prisma } = await migratedTestDatabase();

async function seedShop(domain: string) {
  await prisma.shop.create({ data: { domain } });
  await prisma.session.create({
    data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" },
  });
  await enqueueWebhook(
    domain,
    "customers/create",
    customerBody("1", "2026-01-01T00:00:00Z", {
      email: `ada@${domain}`,
      last_name: `Zyxwvut-${domain}`,
    }),
  );
  await enqueueWebhook(domain, "customers/create", customerBody("2", "2026-01-01T00:00:00Z"));
  await enqueueWebhook(
    domain,
    "orders/create",
    orderBody("10", "2026-01-10T12:00:00Z", { customerId: "1" }),
  );
  await enqueueWebhook(domain, "refunds/create", refundBody("30", "10", "101", "10.00"));
  await enqueueWebhook(domain, "checkouts/create", {
    id: 77,
    token: "tok-77",
    email: `ada@${domain}`,
    currency: "EUR",
    total_price: "20.00",
    abandoned_checkout_url: `https://${domain}/recover/tok-77`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    completed_at: null,
    customer: { id: 1 },
  });
  await drainInbox(sql);
  // Her address bounced once (listed by address only: the redaction finds it by the address).
  await sql.query(
    `INSERT INTO email_suppression (shop_id, email, reason, detail)
     SELECT id, $2, 'hard_bounce', '550 5.1.1 mailbox unavailable' FROM shop WHERE domain = $1`,
    [domain, `ada@${domain}`],
  );
}

beforeEach(async () => {
  await truncateAppTables();
  await seedShop(SHOP);
  await seedShop(OTHER_SHOP);
});

describe("customers/redact", () => {
  it("erases the customer's personal data from every table and leaves others untouched", async () => {
    expect(await databaseText()).toContain(`ada@${SHOP}`);
    await enqueueWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 1, email: `ada@${SHOP}`, phone: null },
      orders_to_redact: [10],
    });
    await drainInbox(sql);
    const text = await databaseText();
    expect(text).not.toContain(`ada@${SHOP}`);
    expect(text).not.toContain(`Zyxwvut-${SHOP}`);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 1n } },
    });
    expect(customer).toMatchObject({
      email: null,
      firstName: null,
      lastName: null,
      tags: [],
      emailMarketing: "redacted",
    });
    expect(customer.redactedAt).not.toBeNull();
    // Revenue survives without personal data.
    const order = await prisma.order.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 10n } },
    });
    expect(order.email).toBeNull();
    expect(order.totalPrice.toString()).toBe("20");
    // The neighbour shop's customer with the same id is untouched.
    expect(text).toContain(`ada@${OTHER_SHOP}`);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { shopId, kind: "customer_redacted" },
    });
    expect(JSON.stringify(audit.detail)).not.toMatch(/ada|Zyxwvut|@/);
  });

  it("blocks a later update of the redacted customer from bringing the data back", async () => {
    await enqueueWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 1 },
      orders_to_redact: [],
    });
    await drainInbox(sql);
    await enqueueWebhook(
      SHOP,
      "customers/update",
      customerBody("1", "2027-01-01T00:00:00Z", { email: "back@example.com" }),
    );
    await drainInbox(sql);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    expect(
      (await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: 1n } } })).email,
    ).toBeNull();
  });
});

describe("shop/redact", () => {
  it("removes every row of the shop in every shop-scoped table, and only that shop's", async () => {
    await enqueueWebhook(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP });
    await drainInbox(sql);
    const tables = await listShopScopedTables(sql);
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining([
        "customer",
        "order",
        "order_line",
        "refund",
        "checkout",
        "session",
        "webhook_inbox",
      ]),
    );
    for (const { table, column } of tables) {
      if (column === "shop_id") continue;
      const { rows } = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM "${table}" WHERE "${column}" = $1`,
        [SHOP],
      );
      expect(rows[0]?.n, table).toBe("0");
    }
    expect(await prisma.shop.findUnique({ where: { domain: SHOP } })).toBeNull();
    // Counted over every shop (raw SQL, as no app query may): only the neighbour's rows remain.
    const remaining = await sql.query<{ customers: number; orders: number }>(
      `SELECT (SELECT count(*)::int FROM customer) AS customers, (SELECT count(*)::int FROM "order") AS orders`,
    );
    expect(remaining.rows[0]).toEqual({ customers: 2, orders: 1 });
    // Only the audit trail still names the shop (its domain, no customer data).
    expect(await databaseText(["audit_event"])).not.toContain(SHOP);
  });
});

describe("customers/data_request", () => {
  it("builds an export with the customer, orders, lines, refunds, checkouts and suppression entries", async () => {
    await enqueueWebhook(SHOP, "customers/data_request", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 1 },
      orders_requested: [10],
      data_request: { id: 9999 },
    });
    await drainInbox(sql);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    const exported = await prisma.dataExport.findFirstOrThrow({ where: { shopId } });
    expect(exported.dataRequestId).toBe("9999");
    const payload = exported.payload as {
      customer: { email: string };
      orders: Array<{ lines: unknown[]; refunds: unknown[] }>;
      checkouts: unknown[];
      emailSuppressions: Array<{ email: string; reason: string }>;
    };
    expect(payload.customer.email).toBe(`ada@${SHOP}`);
    expect(payload.orders).toHaveLength(1);
    expect(payload.orders[0]?.lines).toHaveLength(1);
    expect(payload.orders[0]?.refunds).toHaveLength(1);
    expect(payload.checkouts).toHaveLength(1);
    expect(payload.emailSuppressions).toEqual([
      expect.objectContaining({ email: `ada@${SHOP}`, reason: "hard_bounce" }),
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { shopId, kind: "customer_data_exported" },
    });
    expect(JSON.stringify(audit.detail)).not.toContain("@");
  });
});
