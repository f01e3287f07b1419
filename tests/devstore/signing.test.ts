import { SignJWT } from "jose";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/node";
import { describe, expect, it } from "vitest";
import { appProxySignature, signSessionToken, webhookHmac } from "./signing";

// The documented app proxy example ("Authenticate app proxies" on shopify.dev): secret "hush".
const DOCUMENTED_PROXY_QUERY =
  "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1" +
  "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555";
const DOCUMENTED_PROXY_SIGNATURE =
  "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";

const library = shopifyApi({
  apiKey: "devstore-key",
  apiSecretKey: "devstore-secret",
  apiVersion: ApiVersion.October25,
  hostName: "rekindle.test",
  isEmbeddedApp: true,
  logger: { log: () => {} },
});

describe("app proxy signature", () => {
  it("reproduces the signature in Shopify's documentation", () => {
    expect(appProxySignature(new URLSearchParams(DOCUMENTED_PROXY_QUERY), "hush")).toBe(
      DOCUMENTED_PROXY_SIGNATURE,
    );
  });

  it("ignores an existing signature parameter and depends on every other one", () => {
    const signed = new URLSearchParams(
      `${DOCUMENTED_PROXY_QUERY}&signature=${DOCUMENTED_PROXY_SIGNATURE}`,
    );
    expect(appProxySignature(signed, "hush")).toBe(DOCUMENTED_PROXY_SIGNATURE);
    signed.set("logged_in_customer_id", "2");
    expect(appProxySignature(signed, "hush")).not.toBe(DOCUMENTED_PROXY_SIGNATURE);
    expect(appProxySignature(new URLSearchParams(DOCUMENTED_PROXY_QUERY), "hash")).not.toBe(
      DOCUMENTED_PROXY_SIGNATURE,
    );
  });
});

describe("webhook HMAC", () => {
  it("matches the RFC 4231 HMAC-SHA256 vector (test case 2) in base64", () => {
    // key "Jefe", data "what do ya want for nothing?" → 5bdcc146...ec3843
    const expected = Buffer.from(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "hex",
    ).toString("base64");
    expect(webhookHmac("what do ya want for nothing?", "Jefe")).toBe(expected);
  });

  it("is accepted by the Shopify library's HMAC validation and rejected when tampered", async () => {
    const body = `{"id":10000000000000001,"note":"ü"}`;
    const headers = (hmac: string) => ({
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-topic": "orders/create",
      "x-shopify-api-version": "2026-10",
      "x-shopify-shop-domain": "shop-name.myshopify.com",
      "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      "x-shopify-event-id": "e1",
      "x-shopify-triggered-at": "2026-11-01T00:00:00Z",
    });
    const valid = await library.webhooks.validate({
      rawBody: body,
      rawRequest: { headers: headers(webhookHmac(body, "devstore-secret")) } as never,
    });
    expect(valid.valid).toBe(true);
    const tampered = await library.webhooks.validate({
      rawBody: `${body} `,
      rawRequest: { headers: headers(webhookHmac(body, "devstore-secret")) } as never,
    });
    expect(tampered.valid).toBe(false);
  });
});

describe("session token", () => {
  it("signs HS256 exactly like the jwt.io reference token", async () => {
    // The canonical HS256 example: header {alg,typ}, payload {sub,name,iat}, secret below.
    const token = await new SignJWT({ sub: "1234567890", name: "John Doe", iat: 1516239022 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode("your-256-bit-secret"));
    expect(token.split(".")[2]).toBe("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
  });

  it("carries the claims Shopify documents and passes the library's decodeSessionToken", async () => {
    const token = await signSessionToken(
      { shop: "shop-name.myshopify.com", apiKey: "devstore-key", userId: "42" },
      "devstore-secret",
    );
    const payload = await library.session.decodeSessionToken(token);
    expect(payload).toMatchObject({
      iss: "https://shop-name.myshopify.com/admin",
      dest: "https://shop-name.myshopify.com",
      aud: "devstore-key",
      sub: "42",
    });
    expect(payload.exp - payload.iat).toBe(60);
    const forged = await signSessionToken(
      { shop: "shop-name.myshopify.com", apiKey: "devstore-key", userId: "42" },
      "another-secret",
    );
    await expect(library.session.decodeSessionToken(forged)).rejects.toThrow();
  });
});
