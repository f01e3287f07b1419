import { describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase } from "../helpers/test-database";
import * as auth from "~/routes/auth.$";
import * as login from "~/routes/auth.login/route";

// Attack: make the app send a merchant (inside Shopify admin) to a site of the attacker's.
await migratedTestDatabase();

const EVIL = "https://evil.example/phish";
const host = Buffer.from(`admin.shopify.com/store/${TEST_SHOP.split(".")[0]}`).toString(
  "base64url",
);
const args = (request: Request) => ({ request, params: {}, context: {} });

/** Status and whatever the answer carries that a browser would follow or render. */
async function outcome(run: () => unknown) {
  const answer = await Promise.resolve()
    .then(run)
    .catch((thrown: unknown) => thrown);
  if (!(answer instanceof Response)) {
    return {
      status: answer instanceof Error ? 500 : 200,
      followed: JSON.stringify(answer ?? null),
    };
  }
  const followed = `${answer.headers.get("Location") ?? ""} ${await answer.text()}`;
  return { status: answer.status, followed };
}

describe("open redirects", () => {
  it("the exit-iframe page refuses a destination off the app's origin, with a 400", async () => {
    const query = new URLSearchParams({ shop: TEST_SHOP, host, exitIframe: EVIL });
    const request = new Request(`${APP_URL}/auth/exit-iframe?${query}`);
    const answer = await outcome(() => auth.loader(args(request)));
    expect(answer.status).toBe(400);
    expect(answer.followed).not.toContain("evil.example");
  });

  it("the exit-iframe page still leaves the iframe for the app's own pages", async () => {
    const query = new URLSearchParams({ shop: TEST_SHOP, host, exitIframe: `${APP_URL}/app` });
    const request = new Request(`${APP_URL}/auth/exit-iframe?${query}`);
    const answer = await outcome(() => auth.loader(args(request)));
    expect(answer.status).toBe(200);
    expect(answer.followed).toContain(`${APP_URL}/app`);
  });

  it("the login form does not redirect to a shop domain that is not Shopify's", async () => {
    for (const shop of ["evil.example", "evil.example/.myshopify.com", "https://evil.example"]) {
      const request = new Request(`${APP_URL}/auth/login`, {
        method: "POST",
        body: new URLSearchParams({ shop }),
      });
      const answer = await outcome(() => login.action(args(request)));
      expect(answer.status, shop).toBeLessThan(500);
      expect(answer.followed, shop).not.toContain("evil.example");
    }
  });
});
