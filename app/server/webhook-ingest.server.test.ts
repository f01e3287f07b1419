import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webhookRequest } from "../../tests/helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../../tests/helpers/test-database";
import { webhookFront } from "./webhook-ingest.server";

const { sql } = await migratedTestDatabase();

let server: import("node:http").Server;
let origin: string;

beforeAll(async () => {
  const front = webhookFront();
  await new Promise<void>((resolve) => {
    server = createServer((request, response) => {
      if (!front(request, response)) response.writeHead(404).end("not a webhook path");
    }).listen(0, "127.0.0.1", resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => truncateAppTables());

/** The test helper's signed delivery, sent over HTTP to the Express front. */
async function post(options: Parameters<typeof webhookRequest>[0]) {
  const signed = webhookRequest(options);
  return fetch(`${origin}${options.path}`, {
    method: "POST",
    headers: signed.headers,
    body: await signed.text(),
  });
}

describe("webhook ingest on the raw request, in front of Express and Remix", () => {
  const body = `{"id":9007199254740993,"updated_at":"2026-11-01T10:00:00Z"}`;

  it("stores a signed delivery byte for byte and answers 200", async () => {
    const response = await post({
      path: "/webhooks/customers",
      topic: "customers/update",
      body,
      webhookId: "f-1",
    });
    expect(response.status).toBe(200);
    const { rows } = await sql.query<{ payload: string; topic: string }>(
      `SELECT payload, topic FROM webhook_inbox`,
    );
    expect(rows).toEqual([{ payload: body, topic: "customers/update" }]);
  });

  it("answers a bad signature with 401 and a topic on the wrong path with 400, storing nothing", async () => {
    const forged = await post({
      path: "/webhooks/orders",
      topic: "orders/create",
      body,
      hmac: "bm90LXRoZS1obWFj",
    });
    expect(forged.status).toBe(401);
    const misrouted = await post({ path: "/webhooks/orders", topic: "customers/update", body });
    expect(misrouted.status).toBe(400);
    const { rows } = await sql.query(`SELECT 1 FROM webhook_inbox`);
    expect(rows).toHaveLength(0);
  });

  it("refuses an oversized body with a plain 413, no stack trace, storing nothing", async () => {
    const response = await fetch(`${origin}/webhooks/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "x".repeat(5 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(text).toBe("Payload too large");
    expect(text).not.toMatch(/\bat |Error/);
    const { rows } = await sql.query(`SELECT 1 FROM webhook_inbox`);
    expect(rows).toHaveLength(0);
  });

  it("leaves other paths to the app", async () => {
    const response = await fetch(`${origin}/app`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
  });
});
