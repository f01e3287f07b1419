import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader } from "~/routes/proxy.$";

// Attack: a shopper reading (or recording views of) another customer's personal win-back
// offer by naming that customer in the storefront request.
const { sql, prisma } = await migratedTestDatabase();

const args = (request: Request, path: string) => ({ request, params: { "*": path }, context: {} });
const offerFor = (customer: string, params: Record<string, string> = {}) =>
  loader(
    args(
      new Request(
        signedProxyUrl("/proxy/offer", {
          shop: TEST_SHOP,
          logged_in_customer_id: customer,
          ...params,
        }),
      ),
      "offer",
    ),
  );

beforeEach(async () => {
  await truncateAppTables();
  const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await sql.query(
    `INSERT INTO customer_offer (shop_id, customer_id, code, title, discount_text, expires_at)
     VALUES ($1, 7, 'COMEBACK-7', 'We miss you', '15% off', now() + interval '7 days')`,
    [shopId],
  );
});

describe("offers for another customer", () => {
  it("the offer's owner sees it (the control)", async () => {
    expect(JSON.stringify(await (await offerFor("7")).json())).toContain("COMEBACK-7");
  });

  it("cannot be pointed at another customer by a query parameter", async () => {
    // Signed along with the rest, but not Shopify's logged_in_customer_id: ignored.
    const signed = await offerFor("9", { customer_id: "7" });
    expect(await signed.json()).toEqual({ offer: null });
    // Appended after signing, as a shopper editing the URL would: the signature no longer holds.
    for (const forged of ["logged_in_customer_id=7", "customer_id=7"]) {
      const url = `${signedProxyUrl("/proxy/offer", { shop: TEST_SHOP, logged_in_customer_id: "9" })}&${forged}`;
      const response = await loader(args(new Request(url), "offer"));
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain("COMEBACK");
    }
  });

  it("a guest, or an id beyond any real one, gets no offer", async () => {
    for (const customer of ["", "9223372036854775808", "-7"]) {
      const response = await offerFor(customer);
      expect(response.status, customer).toBeLessThan(500);
      expect(JSON.stringify(await response.json()), customer).not.toContain("COMEBACK");
    }
  });
});
