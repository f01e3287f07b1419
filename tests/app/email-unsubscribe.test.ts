import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { unsubscribeUrl } from "~/services/email/unsubscribe-token.server";
import { TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader, action } from "~/routes/email.unsubscribe";
import { suppressionReason } from "~/services/email/suppression.server";

const { sql, prisma } = await migratedTestDatabase();

const CUSTOMER = 9007199254740993n;
const args = (request: Request) => ({ request, params: {}, context: {} });
const get = (url: string) => loader(args(new Request(url)));
const post = (url: string, body: URLSearchParams) =>
  action(
    args(
      new Request(url, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    ),
  );

async function consent() {
  // Seconds since the consent changed (null: never).
  const { rows } = await sql.query<{ email_marketing: string; age: number | null }>(
    `SELECT email_marketing,
            extract(epoch FROM (now() AT TIME ZONE 'UTC') - email_marketing_updated_at)::float AS age
     FROM customer WHERE id = $1`,
    [CUSTOMER.toString()],
  );
  const outbox = await sql.query<{ email_marketing: string; pushed_at: string | null }>(
    `SELECT email_marketing, pushed_at FROM customer_consent_outbox WHERE customer_id = $1`,
    [CUSTOMER.toString()],
  );
  return { customer: rows[0], outbox: outbox.rows };
}

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, name: "Tea & Co" } })).id;
  await insertCustomers(sql, shopId, [CUSTOMER]);
  await sql.query(`UPDATE customer SET email_marketing = 'subscribed' WHERE shop_id = $1`, [
    shopId,
  ]);
});

describe("/email/unsubscribe", () => {
  it("GET asks for confirmation and changes nothing", async () => {
    const response = await get(unsubscribeUrl(TEST_SHOP, CUSTOMER));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(await response.json()).toMatchObject({ state: "confirm", shopName: "Tea & Co" });
    expect((await consent()).customer?.email_marketing).toBe("subscribed");
  });

  it("the page's POST unsubscribes and queues the change for Shopify, once", async () => {
    const url = new URL(unsubscribeUrl(TEST_SHOP, CUSTOMER));
    const token = url.searchParams.get("token") ?? "";
    // The form posts the token in its body too; either place works.
    const response = await post(`${url.origin}${url.pathname}`, new URLSearchParams({ token }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: "done", shopName: "Tea & Co" });
    const after = await consent();
    expect(after.customer?.email_marketing).toBe("unsubscribed");
    expect(Math.abs(after.customer?.age ?? Infinity)).toBeLessThan(60);
    expect(after.outbox).toEqual([{ email_marketing: "unsubscribed", pushed_at: null }]);

    // Twice is fine: same answer, nothing more to push.
    const again = await post(url.toString(), new URLSearchParams());
    expect(await again.json()).toMatchObject({ state: "done" });
    expect((await consent()).outbox).toHaveLength(1);
  });

  it("takes the RFC 8058 one-click POST a mail client sends to the List-Unsubscribe URL, and lists the address", async () => {
    await sql.query(`UPDATE customer SET email = 'Zoe@Customer.example' WHERE shop_id = $1`, [
      shopId,
    ]);
    const response = await post(
      unsubscribeUrl(TEST_SHOP, CUSTOMER),
      new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
    );
    expect(response.status).toBe(200);
    expect((await consent()).customer?.email_marketing).toBe("unsubscribed");
    // The address joins the shop's suppression list, with the reason.
    expect(await suppressionReason(sql, shopId, "zoe@customer.example")).toBe("unsubscribe");
  });

  it("still queues the change for a customer the app has not synced yet", async () => {
    await post(unsubscribeUrl(TEST_SHOP, 77n), new URLSearchParams());
    const { rows } = await sql.query(
      `SELECT customer_id::text FROM customer_consent_outbox WHERE shop_id = $1`,
      [shopId],
    );
    expect(rows).toEqual([{ customer_id: "77" }]);
  });
});
