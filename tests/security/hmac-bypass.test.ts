import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP, webhookHmac, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { createAppFront } from "~/server/app-front.server";
import { pixelFront } from "~/server/pixel-ingest.server";
import { webhookFront } from "~/server/webhook-ingest.server";

// Attack: webhook deliveries that Shopify did not sign (to plant or change customers and
// orders, or to uninstall a shop), sent over HTTP to the app's front as it runs.
const { sql, prisma } = await migratedTestDatabase();

let server: import("node:http").Server;
let origin = "";

beforeAll(async () => {
  const front = createAppFront({
    webhooks: webhookFront(),
    pixel: pixelFront(),
    remix: (_request, response) => void response.status(404).send("not here"),
  });
  await new Promise<void>((resolve) => {
    server = createServer(front).listen(0, "127.0.0.1", resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } });
});

const body = `{"id":9007199254740993,"email":"ada@example.com","updated_at":"2026-11-01T10:00:00Z"}`;

/** Sends a customers/update delivery, its headers overridden by `headers` (null removes). */
async function deliver(options: {
  body?: string;
  headers?: Record<string, string | null>;
  path?: string;
  topic?: string;
}) {
  const signed = webhookRequest({
    path: options.path ?? "/webhooks/customers",
    topic: options.topic ?? "customers/update",
    body,
  });
  const headers = new Headers(signed.headers);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return fetch(`${origin}${options.path ?? "/webhooks/customers"}`, {
    method: "POST",
    headers,
    body: options.body ?? body,
  });
}

const stored = async () => (await sql.query(`SELECT 1 FROM webhook_inbox`)).rows.length;
const shopState = async () =>
  (await sql.query<{ state: string }>(`SELECT state FROM shop`)).rows[0]?.state;

describe("webhook HMAC bypass", () => {
  it("accepts the genuine delivery (the control)", async () => {
    expect((await deliver({})).status).toBe(200);
    expect(await stored()).toBe(1);
  });

  it("refuses a missing, empty, made-up or wrongly encoded HMAC, storing nothing", async () => {
    const hexOfTheRightDigest = createHmac("sha256", process.env.SHOPIFY_API_SECRET ?? "")
      .update(body)
      .digest("hex");
    for (const hmac of [
      null,
      "",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      hexOfTheRightDigest,
      webhookHmac(body, "another-apps-secret"),
    ]) {
      const response = await deliver({ headers: { "X-Shopify-Hmac-Sha256": hmac } });
      // The library answers a missing header as a malformed request (400), a wrong one 401.
      expect(response.status, String(hmac)).toBe(hmac ? 401 : 400);
    }
    expect(await stored()).toBe(0);
  });

  it("refuses a genuine signature over a changed body with 401", async () => {
    for (const changed of [body.replace("ada", "eve"), `${body} `, body.slice(0, -1)]) {
      expect((await deliver({ body: changed })).status).toBe(401);
    }
    expect(await stored()).toBe(0);
  });

  it("refuses a forged app/uninstalled with 401 and leaves the shop installed", async () => {
    const response = await deliver({
      path: "/webhooks/app/uninstalled",
      topic: "app/uninstalled",
      headers: { "X-Shopify-Hmac-Sha256": webhookHmac(body, "guessed") },
    });
    expect(response.status).toBe(401);
    expect(await shopState()).toBe("installed");
  });
});
