import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevStoreServer, type DevStoreServer } from "./server";
import { rerouteShopToDevStore } from "./shopify-reroute";
import { signSessionToken } from "./signing";
import { TokenIssuer } from "./token-exchange";

const app = { apiKey: "devstore-key", secret: "devstore-secret", scopes: "read_customers" };
const shop = "exchange-test.myshopify.com";
const library = shopifyApi({
  apiKey: app.apiKey,
  apiSecretKey: app.secret,
  apiVersion: ApiVersion.October26,
  hostName: "rekindle.test",
  isEmbeddedApp: true,
  logger: { log: () => {} },
});

let server: DevStoreServer;
let restore: () => void;

beforeAll(async () => {
  server = await startDevStoreServer({
    data: {
      shop: {
        domain: shop,
        name: "Exchange test",
        email: "owner@example.com",
        currency: "EUR",
        ianaTimezone: "Europe/Istanbul",
        plan: "Basic",
      },
      collections: [],
      products: [],
      customers: [],
      orders: [],
    },
    app,
    appUrl: "http://127.0.0.1:9",
  });
  restore = rerouteShopToDevStore(shop, server.url);
});

afterAll(async () => {
  restore();
  await server.close();
});

const token = (secret = app.secret) =>
  signSessionToken({ shop, apiKey: app.apiKey, userId: "7" }, secret);

describe("token exchange with the Shopify library against the simulated store", () => {
  it("issues an expiring offline token with a refresh token, usable on the Admin API", async () => {
    const { session } = await library.auth.tokenExchange({
      shop,
      sessionToken: await token(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires?.getTime()).toBeGreaterThan(Date.now());
    const client = new library.clients.Graphql({ session });
    const response = await client.request("{ shop { name currencyCode } }");
    expect(response.data).toEqual({ shop: { name: "Exchange test", currencyCode: "EUR" } });
  });

  it("issues an online token with the staff user from the session token", async () => {
    const { session } = await library.auth.tokenExchange({
      shop,
      sessionToken: await token(),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(7);
  });

  it("refuses a session token signed with another secret", async () => {
    const response = await fetch(`${server.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: app.apiKey,
        client_secret: app.secret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await token("forged"),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });

  it("a store started again after a crash honours the token and refresh token it granted", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "devstore-tokens-"));
    try {
      // GIVEN a store that granted the app an expiring offline token, then died (no shutdown)
      const stateFile = path.join(folder, "store-tokens.json");
      const granted = (await new TokenIssuer(app, shop, stateFile).exchange({
        client_id: app.apiKey,
        client_secret: app.secret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await token(),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      })) as { access_token: string; refresh_token: string };
      // WHEN the store starts again from its data folder
      const restarted = new TokenIssuer(app, shop, stateFile);
      // THEN the app's token still works, and so does refreshing it
      expect(restarted.isValid(granted.access_token)).toBe(true);
      const refreshed = (await restarted.exchange({
        client_id: app.apiKey,
        client_secret: app.secret,
        grant_type: "refresh_token",
        refresh_token: granted.refresh_token,
      })) as { access_token: string };
      expect(restarted.isValid(refreshed.access_token)).toBe(true);
      expect(new TokenIssuer(app, shop, stateFile).isValid(granted.access_token)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
