import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { checkWebhookSignature } from "./webhook-signature.server";

const SECRET = "webhook-signature-test-secret";
const library = shopifyApi({
  apiKey: "key",
  apiSecretKey: SECRET,
  apiVersion: ADMIN_API_VERSION,
  hostName: "rekindle.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: () => {} },
});

const sign = (body: string | Uint8Array, secret = SECRET) =>
  createHmac("sha256", secret).update(body).digest("base64");

const HEADERS = {
  "x-shopify-topic": "orders/create",
  "x-shopify-shop-domain": "shop.myshopify.com",
  "x-shopify-api-version": "2026-10",
  "x-shopify-webhook-id": "w-1",
};

/** The library's answer (as `authenticate.webhook` turns it into a status) for the same input. */
async function libraryStatus(headers: Record<string, string>, body: string) {
  const check = await library.webhooks.validate({
    rawBody: body,
    rawRequest: new Request("https://rekindle.test/webhooks/orders", {
      method: "POST",
      headers,
      body,
    }),
  });
  if (check.valid) return 200;
  return check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
}

/** Ours, given the headers as a server hands them over (values trimmed, as HTTP parsers do). */
function ourStatus(headers: Record<string, string>, body: string) {
  const received = new Headers(headers);
  const check = checkWebhookSignature(
    SECRET,
    (name) => received.get(name) ?? undefined,
    new TextEncoder().encode(body),
  );
  return check.valid ? 200 : check.status;
}

describe("checkWebhookSignature", () => {
  const body = `{"id":9007199254740993,"note":"café"}`;

  it.each([
    ["a genuine delivery", { ...HEADERS, "x-shopify-hmac-sha256": sign(body) }, body],
    ["no HMAC header", HEADERS, body],
    ["an empty HMAC", { ...HEADERS, "x-shopify-hmac-sha256": "" }, body],
    ["another app's HMAC", { ...HEADERS, "x-shopify-hmac-sha256": sign(body, "other") }, body],
    [
      "the right digest in hex",
      {
        ...HEADERS,
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("hex"),
      },
      body,
    ],
    [
      "the right digest with a character more",
      { ...HEADERS, "x-shopify-hmac-sha256": `${sign(body)}=` },
      body,
    ],
    [
      "a changed body",
      { ...HEADERS, "x-shopify-hmac-sha256": sign(body) },
      body.replace("café", "cafe"),
    ],
    ["an empty body", { ...HEADERS, "x-shopify-hmac-sha256": sign("") }, ""],
    ...Object.keys(HEADERS).map(
      (missing) =>
        [
          `no ${missing}`,
          Object.fromEntries(
            Object.entries({ ...HEADERS, "x-shopify-hmac-sha256": sign(body) }).filter(
              ([name]) => name !== missing,
            ),
          ),
          body,
        ] as const,
    ),
  ] as const)(
    "GIVEN %s, THEN it answers as the Shopify library does",
    async (_case, headers, sent) => {
      const expected = await libraryStatus(headers, sent);
      expect(ourStatus(headers, sent)).toBe(expected);
    },
  );

  it("GIVEN arbitrary bodies and signatures, THEN it answers as the Shopify library does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.oneof(fc.constant("genuine"), fc.base64String(), fc.string()),
        async (sent, signature) => {
          const headers = {
            ...HEADERS,
            "x-shopify-hmac-sha256": signature === "genuine" ? sign(sent) : signature,
          };
          expect(ourStatus(headers, sent)).toBe(await libraryStatus(headers, sent));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("GIVEN a genuine delivery, THEN it names the shop, topic, API version and webhook id", () => {
    const check = checkWebhookSignature(
      SECRET,
      (name) => ({ ...HEADERS, "x-shopify-hmac-sha256": sign(body) })[name],
      new TextEncoder().encode(body),
    );
    expect(check).toEqual({
      valid: true,
      shop: "shop.myshopify.com",
      topic: "orders/create",
      apiVersion: "2026-10",
      webhookId: "w-1",
    });
  });
});
