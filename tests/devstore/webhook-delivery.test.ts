import "@shopify/shopify-api/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonExact } from "~/lib/parse-json-exact";
import { orderFromRest } from "~/services/sync/rest-records";
import { WebhookDelivery } from "./webhook-delivery";
import { subscriptionsFromAppToml } from "./webhook-subscriptions";

const secret = "delivery-secret";
const library = shopifyApi({
  apiKey: "delivery-key",
  apiSecretKey: secret,
  apiVersion: ApiVersion.October26,
  hostName: "rekindle.test",
  isEmbeddedApp: true,
  logger: { log: () => {} },
});

interface Received {
  path: string;
  webhookId: string;
  topic: string;
  valid: boolean;
  body: string;
}
const received: Received[] = [];
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const check = await library.webhooks.validate({ rawBody: body, rawRequest: request });
      received.push({
        path: request.url ?? "",
        webhookId: String(request.headers["x-shopify-webhook-id"]),
        topic: String(request.headers["x-shopify-topic"]),
        valid: check.valid,
        body,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const delivery = (faults = {}) =>
  new WebhookDelivery({
    appUrl: receiverUrl,
    shop: "delivery-test.myshopify.com",
    secret,
    apiVersion: "2026-10",
    routes: subscriptionsFromAppToml().routes,
    faults,
    seed: 99,
  });

describe("webhook delivery", () => {
  it("routes each topic to the path shopify.app.toml subscribes it to", () => {
    const { routes, apiVersion } = subscriptionsFromAppToml();
    expect(apiVersion).toBe("2026-10");
    expect(routes.get("orders/create")).toBe("/webhooks/orders");
    expect(routes.get("customers/redact")).toBe("/webhooks/compliance");
    expect(delivery().enqueue("inventory_levels/update", {})).toBeUndefined();
  });

  it("signs every delivery so the Shopify library accepts it, ids beyond 2^53 intact", async () => {
    received.length = 0;
    const sender = delivery();
    const orderId = 9223372036854775807n;
    sender.enqueue("orders/create", {
      id: orderId,
      name: "#1001",
      email: null,
      currency: "USD",
      total_price: "10.00",
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      line_items: [],
    });
    const report = await sender.flush();
    expect(report).toMatchObject({ sent: 1, acknowledged: 1 });
    expect(received[0]).toMatchObject({
      path: "/webhooks/orders",
      topic: "orders/create",
      valid: true,
    });
    expect(received[0]?.body).toContain(`"id":${orderId}`);
    expect(orderFromRest(parseJsonExact(received[0]?.body ?? "")).id).toBe(orderId);
  });

  it("duplicates with the same webhook id, drops and shuffles as configured", async () => {
    received.length = 0;
    const sender = delivery({ duplicateRate: 0.1, dropRate: 0.02, shuffle: true });
    const queued = Array.from({ length: 1000 }, (_, index) =>
      sender.enqueue("customers/update", { id: index, updated_at: "2026-01-01T00:00:00Z" }),
    );
    const report = await sender.flush();
    const ids = received.map((item) => item.webhookId);
    const unique = new Set(ids);
    expect(report.dropped.length).toBeGreaterThan(5);
    expect(report.dropped.length).toBeLessThan(40);
    expect(report.duplicates).toBeGreaterThan(60);
    expect(report.duplicates).toBeLessThan(140);
    expect(unique.size).toBe(1000 - report.dropped.length);
    expect(ids.length).toBe(unique.size + report.duplicates);
    const order = queued.map((item) => item?.webhookId).filter((id) => unique.has(id ?? ""));
    expect([...unique]).not.toEqual(order);
    expect(received.every((item) => item.valid)).toBe(true);
  });
});
