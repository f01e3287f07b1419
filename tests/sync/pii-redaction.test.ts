import { beforeEach, describe, expect, it } from "vitest";
import { CUSTOMER_REDACTIONS } from "~/services/privacy/customer-pii";
import { INBOX_PII_COLUMNS } from "~/services/privacy/redact-inbox.server";
import { listShopScopedTables } from "~/services/privacy/shop-tables.server";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { schemaPiiColumns } from "../helpers/schema-pii";
import { databaseText } from "../helpers/database-text";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { customerBody, enqueueWebhook, orderBody } from "./inbox-helpers";

// Redaction driven by the schema: every column prisma/schema.prisma marks `/// @pii` is erased,
// and a customer seeded into every table leaves no trace of their personal data anywhere.
const { sql, prisma } = await migratedTestDatabase();
const SHOP = "pii-test.myshopify.com";
const NEIGHBOUR = "pii-neighbour.myshopify.com";

/** Values no other fixture uses, so finding one anywhere means it was not erased. */
const ADA = {
  email: "ada.qzlovelace@example.org",
  firstName: "Adaqz",
  lastName: "Lovelaceqz",
  phone: "+905550001122",
  city: "Karakoyqz",
  province: "Beyogluqz",
  tag: "vipqz",
  recovery: "recoverqz",
  note: "Leave it with Adaqz's neighbour",
};
const ADA_VALUES = Object.values(ADA);
const MERCHANT = { staff: "staffqz@pii-test.example", from: "hello@pii-test.example" };

const piiColumns = schemaPiiColumns();

const found = (text: string, values: string[]) =>
  values.filter((value) => text.toLowerCase().includes(value.toLowerCase()));

async function setInboxState(topic: string, status: string, lastError: string | null = null) {
  await sql.query(
    `UPDATE webhook_inbox SET status = $2, last_error = $3, run_after = now() + interval '1 day'
     WHERE id = (SELECT max(id) FROM webhook_inbox WHERE topic = $1)`,
    [topic, status, lastError],
  );
}

/** Ada (customer 1) in every table that can hold her: through webhooks where the app gets her
 *  that way, and as the app's own features write her otherwise. */
async function seedShop(domain: string): Promise<number> {
  const shopId = (await prisma.shop.create({ data: { domain, email: `owner@${domain}` } })).id;
  await prisma.session.create({
    data: {
      id: `offline_${domain}`,
      shop: domain,
      state: "",
      accessToken: "shpat_x",
      email: MERCHANT.staff,
    },
  });
  await prisma.shopEmailSettings.create({
    data: { shopId, host: "smtp.example", port: 587, fromName: "Shop", fromAddress: MERCHANT.from },
  });
  const ada = {
    email: ADA.email,
    first_name: ADA.firstName,
    last_name: ADA.lastName,
    phone: ADA.phone,
    tags: `${ADA.tag}, newsletter`,
    default_address: { country_code: "TR", province: ADA.province, city: ADA.city },
  };
  await enqueueWebhook(domain, "customers/create", customerBody("1", "2026-01-01T00:00:00Z", ada));
  await enqueueWebhook(domain, "customers/create", customerBody("2", "2026-01-01T00:00:00Z"));
  await enqueueWebhook(domain, "orders/create", {
    ...orderBody("10", "2026-01-10T12:00:00Z", { customerId: "1" }),
    email: ADA.email,
    note: ADA.note,
  });
  await enqueueWebhook(domain, "checkouts/create", {
    id: 77,
    token: "tok-77",
    email: ADA.email,
    currency: "EUR",
    total_price: "20.00",
    abandoned_checkout_url: `https://${domain}/${ADA.recovery}/tok-77`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    completed_at: null,
    customer: { id: 1 },
  });
  await drainInbox(sql);
  await enqueueWebhook(domain, "customers/data_request", {
    shop_domain: domain,
    customer: { id: 1 },
    data_request: { id: 5 },
  });
  await drainInbox(sql);

  // Deliveries not applied yet: a new order waiting, a failed checkout update whose error quotes
  // her, and a dead letter (malformed) naming her.
  await enqueueWebhook(domain, "orders/create", {
    ...orderBody("11", "2026-01-11T12:00:00Z", { customerId: "1" }),
    email: ADA.email,
    shipping_address: { first_name: ADA.firstName, city: ADA.city, phone: ADA.phone },
    customer: { id: 1, email: ADA.email, first_name: ADA.firstName },
  });
  await setInboxState("orders/create", "pending");
  await enqueueWebhook(domain, "checkouts/update", {
    id: 77,
    token: "tok-77",
    email: ADA.email,
    currency: "EUR",
    total_price: "20.00",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-02T00:00:00Z",
    customer: { id: 1 },
  });
  await setInboxState("checkouts/update", "failed", `could not apply checkout for ${ADA.email}`);
  await enqueueWebhook(domain, "customers/update", `{"id": 1, "email": "${ADA.email}", "first_`);
  await setInboxState("customers/update", "dead", "invalid JSON");

  // What the app's own features write about her.
  await sql.query(
    `INSERT INTO customer_offer (shop_id, customer_id, code, title) VALUES ($1, 1, 'MISSYOU-1', 'Offer')`,
    [shopId],
  );
  await sql.query(
    `INSERT INTO recommendation_event (shop_id, request_id, type, block, customer_id)
     VALUES ($1, 'r-1', 'click', 'product', 1)`,
    [shopId],
  );
  await sql.query(
    `INSERT INTO email_suppression (shop_id, email, customer_id, reason, detail)
     VALUES ($1, $2, 1, 'hard_bounce', $3)`,
    [shopId, ADA.email, `550 5.1.1 <${ADA.email}>: Recipient address rejected`],
  );
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO winback_rule (shop_id, name, config) VALUES ($1, 'Lapsed', '{}') RETURNING id::text`,
    [shopId],
  );
  await sql.query(
    `WITH run AS (INSERT INTO winback_run (shop_id, rule_id, status, started_at)
                  VALUES ($1, $2, 'done', now()) RETURNING id),
          target AS (INSERT INTO winback_target (shop_id, rule_id, run_id, customer_id, trigger_key, holdout, created_at)
                     SELECT $1, $2, id, 1, 'lapse', false, now() FROM run RETURNING id, run_id)
     INSERT INTO winback_action (shop_id, rule_id, run_id, target_id, customer_id, kind, position,
                                 status, error, updated_at)
     SELECT $1, $2, run_id, id, 1, 'email', 1, 'failed', $3::jsonb, now() FROM target`,
    // A reason's values may hold what the mail server said, which can quote the address.
    [
      shopId,
      rows[0]?.id,
      JSON.stringify({
        key: "actionReasons.addressRefused",
        values: { reply: `550 5.1.1 <${ADA.email}>: Recipient address rejected` },
      }),
    ],
  );
  return shopId;
}

beforeEach(async () => {
  await truncateAppTables();
});

describe("the schema's personal columns", () => {
  it("are exactly the ones customers/redact erases, and every table holding any is shop-scoped", async () => {
    const customerColumns = piiColumns
      .filter((column) => column.subject === "customer")
      .map((column) => `${column.table}.${column.column}`);
    expect(customerColumns.length).toBeGreaterThan(10);
    const deletedTables = new Set(
      CUSTOMER_REDACTIONS.filter((r) => "deleteRows" in r).map((r) => r.table),
    );
    const erased = [
      ...CUSTOMER_REDACTIONS.flatMap((r) =>
        "set" in r ? Object.keys(r.set).map((column) => `${r.table}.${column}`) : [],
      ),
      ...INBOX_PII_COLUMNS.map((column) => `webhook_inbox.${column}`),
    ];
    // Every marked column is erased (or its rows deleted) ...
    const missed = customerColumns.filter(
      (column) => !erased.includes(column) && !deletedTables.has(column.split(".")[0] ?? ""),
    );
    expect(missed, "@pii columns customers/redact does not erase").toEqual([]);
    // ... and the plan erases only marked columns (a rename or a stale entry shows here).
    expect(
      erased.filter((column) => !customerColumns.includes(column)),
      "columns customer-pii.ts erases that the schema does not mark @pii",
    ).toEqual([]);

    await prisma.shop.create({ data: { domain: SHOP } });
    const shopScoped = new Set((await listShopScopedTables(sql)).map((t) => t.table));
    const unscoped = [...new Set(piiColumns.map((column) => column.table))].filter(
      (table) => table !== "shop" && !shopScoped.has(table),
    );
    expect(unscoped, "tables with personal data that shop/redact would not empty").toEqual([]);
  });
});

describe("customers/redact", () => {
  it("leaves none of the customer's personal data in any table, in any inbox status", async () => {
    // GIVEN Ada in every table that can hold her
    const shopId = await seedShop(SHOP);
    const before = await databaseText();
    expect(found(before, ADA_VALUES)).toEqual(ADA_VALUES);

    // WHEN Shopify asks to redact her in the first shop
    await enqueueWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 1, email: ADA.email, phone: ADA.phone },
      orders_to_redact: [10],
    });
    await drainInbox(sql);

    // THEN no trace of her personal data is left anywhere in the database
    expect(found(await databaseText(), ADA_VALUES)).toEqual([]);
    const waiting = await sql.query<{ status: string }>(
      `SELECT status FROM webhook_inbox WHERE topic IN ('orders/create', 'checkouts/update')
       AND status <> 'done' ORDER BY id`,
    );
    expect(waiting.rows.map((row) => row.status)).toEqual(["pending", "failed"]);
    const link = await sql.query(
      `SELECT 1 FROM recommendation_event WHERE shop_id = $1 AND customer_id IS NOT NULL`,
      [shopId],
    );
    expect(link.rows).toEqual([]);
    // The waiting order was stripped, not dropped: it still applies, for the revenue figures.
    await sql.query(
      `UPDATE webhook_inbox SET run_after = now() WHERE status IN ('pending', 'failed')`,
    );
    await drainInbox(sql);
    const order = await prisma.order.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 11n } },
    });
    expect(order).toMatchObject({ email: null, customerId: 1n });
    expect(order.totalPrice.toString()).toBe("20");
    expect(found(await databaseText(), ADA_VALUES)).toEqual([]);
    // The audit trail says what was done in counts only.
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { shopId, kind: "customer_redacted" },
    });
    expect(audit.detail).toMatchObject({ customer: 1, webhook_inbox: expect.any(Number) });
    expect(JSON.stringify(audit.detail)).not.toContain("@");
  });

  it("leaves the same customer of another shop untouched", async () => {
    await seedShop(SHOP);
    await seedShop(NEIGHBOUR);
    await enqueueWebhook(SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 1, email: ADA.email },
      orders_to_redact: [],
    });
    await drainInbox(sql);
    const neighbour = await prisma.shop.findUniqueOrThrow({ where: { domain: NEIGHBOUR } });
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shopId_id: { shopId: neighbour.id, id: 1n } },
    });
    expect(customer.email).toBe(ADA.email);
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_inbox WHERE shop_domain = $1 AND payload LIKE $2`,
      [NEIGHBOUR, `%${ADA.email}%`],
    );
    expect(rows[0]?.n).toBeGreaterThan(3);
  });
});

describe("shop/redact", () => {
  it("removes every personal value of the shop's customers and staff, deliveries and dead letters included", async () => {
    await seedShop(SHOP);
    await enqueueWebhook(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP });
    await drainInbox(sql);
    const text = await databaseText();
    expect(found(text, [...ADA_VALUES, ...Object.values(MERCHANT)])).toEqual([]);
    for (const table of [
      "winback_action",
      "winback_target",
      "winback_run",
      "shop_email_settings",
    ]) {
      const { rows } = await sql.query(`SELECT 1 FROM "${table}"`);
      expect(rows, table).toEqual([]);
    }
    // Only the audit trail still names the shop (its domain, no personal data).
    expect(await databaseText(["audit_event"])).not.toContain(SHOP);
  });
});
