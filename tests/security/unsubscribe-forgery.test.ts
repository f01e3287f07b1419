import { createHmac, hkdfSync } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { unsubscribeUrl } from "~/services/email/unsubscribe-token.server";
import { TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader, action } from "~/routes/email.unsubscribe";

// Attack: unsubscribing someone else (or everyone) by forging the one-click link's token.
const { sql, prisma } = await migratedTestDatabase();

const CUSTOMER = 9007199254740993n;
const args = (request: Request) => ({ request, params: {}, context: {} });
const get = (url: string) => loader(args(new Request(url)));
const oneClick = (url: string) =>
  action(
    args(
      new Request(url, {
        method: "POST",
        body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    ),
  );

const consentChanges = async () =>
  (
    await sql.query(
      `SELECT 1 FROM customer WHERE email_marketing <> 'subscribed'
       UNION ALL SELECT 1 FROM customer_consent_outbox`,
    )
  ).rows.length;

beforeEach(async () => {
  await truncateAppTables();
  const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, name: "Tea & Co" } })).id;
  await insertCustomers(sql, shopId, [CUSTOMER, 1n]);
  await sql.query(`UPDATE customer SET email_marketing = 'subscribed'`);
});

describe("unsubscribe forgery", () => {
  it("answers a tampered or missing token with 400 and changes nothing", async () => {
    const url = new URL(unsubscribeUrl(TEST_SHOP, CUSTOMER));
    const token = url.searchParams.get("token") ?? "";
    const otherCustomer = Buffer.from(JSON.stringify({ s: TEST_SHOP, c: "1" })).toString(
      "base64url",
    );
    url.searchParams.set("token", `${otherCustomer}.${token.split(".")[1] ?? ""}`);
    for (const bad of [url.toString(), "https://rekindle.test/email/unsubscribe"]) {
      const page = await get(bad);
      expect(page.status).toBe(400);
      expect(await page.json()).toMatchObject({ state: "invalid" });
      expect((await oneClick(bad)).status).toBe(400);
    }
    expect(await consentChanges()).toBe(0);
  });

  it("refuses a token signed with another key, or truncated", async () => {
    const genuine = unsubscribeUrl(TEST_SHOP, 1n);
    const payload = (new URL(genuine).searchParams.get("token") ?? "").split(".")[0] ?? "";
    const signedWith = (key: string | Buffer) =>
      `https://rekindle.test/email/unsubscribe?token=${payload}.${createHmac("sha256", key)
        .update(payload)
        .digest("base64url")}`;
    const anotherAppsKey = Buffer.from(
      hkdfSync("sha256", "another-apps-secret", "rekindle", "email-unsubscribe-link", 32),
    );
    for (const bad of [
      signedWith(anotherAppsKey),
      // The app secret itself, not the key derived from it.
      signedWith(process.env.SHOPIFY_API_SECRET ?? ""),
      genuine.slice(0, -4),
    ]) {
      expect((await oneClick(bad)).status).toBe(400);
    }
    expect(await consentChanges()).toBe(0);
    // The genuine link still works (the control).
    expect((await oneClick(genuine)).status).toBe(200);
    expect(await consentChanges()).toBeGreaterThan(0);
  });
});
