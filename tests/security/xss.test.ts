import { beforeEach, describe, expect, it } from "vitest";
import { renderEmailTemplate } from "~/services/email/render-template";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader } from "~/routes/proxy.$";

// Attack: markup in text the app passes on (a customer's name, a merchant's offer title)
// running as script in an email client or on the storefront.
const { sql, prisma } = await migratedTestDatabase();

const SCRIPT = `<img src=x onerror="alert(document.cookie)"><script>alert("x")</script>`;

beforeEach(async () => {
  await truncateAppTables();
});

describe("cross-site scripting", () => {
  it("email: escapes values in the html and never links a URL a customer typed as their name", () => {
    const rendered = renderEmailTemplate(
      { subject: "Hi {{first_name}}", body: "Dear {{first_name}}, {{unsubscribe_url}}" },
      {
        first_name: `<script>alert("x")</script> https://evil.example`,
        code: "COMEBACK-42",
        discount: "15% off",
        expires_on: "December 12, 2026",
        shop_name: "Tea & Co",
        unsubscribe_url: "https://rekindle.test/email/unsubscribe?token=abc.def",
      },
    );
    expect(rendered.html).not.toContain("<script>");
    expect(rendered.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(rendered.html).not.toContain('href="https://evil.example');
    expect(rendered.text).toContain(`<script>alert("x")</script>`);
  });

  it("storefront: an offer's text reaches the banner as JSON data, never as a page", async () => {
    const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
    await sql.query(
      `INSERT INTO customer_offer (shop_id, customer_id, code, title, discount_text, expires_at)
       VALUES ($1, 7, 'COMEBACK-7', $2, $2, now() + interval '7 days')`,
      [shopId, SCRIPT],
    );
    const url = signedProxyUrl("/proxy/offer", { shop: TEST_SHOP, logged_in_customer_id: "7" });
    const response = await loader({
      request: new Request(url),
      params: { "*": "offer" },
      context: {},
    });
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { offer: { title: string } };
    // The exact text, for the banner to put in with textContent (app/storefront/lib/dom.ts).
    expect(body.offer.title).toBe(SCRIPT);
  });
});
