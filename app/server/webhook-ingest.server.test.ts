import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { webhookRequest } from "../../tests/helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../../tests/helpers/test-database";
import { webhookFront } from "./webhook-ingest.server";

const { sql, ingestSql } = await migratedTestDatabase();

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

/** The test helper's signed delivery, sent over HTTP to the webhook front. */
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

  it("stores 40 concurrent deliveries once each, however often each is delivered", async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `c-${index}`);
    const answers = await Promise.all(
      [...ids, ...ids].map((webhookId) =>
        post({ path: "/webhooks/orders", topic: "orders/create", body, webhookId }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const { rows } = await sql.query<{ n: string }>(
      `SELECT count(DISTINCT webhook_id)::text AS n FROM webhook_inbox`,
    );
    expect(rows[0]?.n).toBe("40");
    expect((await sql.query(`SELECT 1 FROM webhook_inbox`)).rows).toHaveLength(40);
  });

  it("answers a delivery the database could not store with a plain 500, storing nothing", async () => {
    const query = vi
      .spyOn(ingestSql, "query")
      .mockRejectedValueOnce(Object.assign(new Error("connection lost"), { code: "57P01" }));
    try {
      const response = await post({ path: "/webhooks/orders", topic: "orders/create", body });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("Internal Server Error");
    } finally {
      query.mockRestore();
    }
    expect((await sql.query(`SELECT 1 FROM webhook_inbox`)).rows).toHaveLength(0);
  });

  it("cuts off a chunked body past 5 MB with 413, storing nothing", async () => {
    const status = await new Promise<number>((resolve) => {
      const outgoing = httpRequest(`${origin}/webhooks/orders`, { method: "POST" }, (answer) => {
        resolve(answer.statusCode ?? 0);
        answer.resume();
      });
      outgoing.on("error", () => resolve(0));
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 8 && !outgoing.destroyed) {
          sent += 1;
          if (!outgoing.write(chunk)) return void outgoing.once("drain", pump);
        }
        outgoing.end();
      };
      pump();
    });
    expect([413, 0]).toContain(status);
    expect((await sql.query(`SELECT 1 FROM webhook_inbox`)).rows).toHaveLength(0);
  });
});
