import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminOrderRoutes } from "./admin-orders";
import { FIXED_END_DATE, generateStore } from "./generator/generate-store";
import { startDevStoreServer, type DevStoreServer } from "./server";

const app = { apiKey: "orders-admin", secret: "orders-admin-secret", scopes: "read_orders" };
let server: DevStoreServer;

beforeAll(async () => {
  const data = generateStore({ seed: 7, orders: 20, endDate: FIXED_END_DATE });
  server = await startDevStoreServer({ data, app, appUrl: "http://127.0.0.1:9" });
  server.addRoute(adminOrderRoutes(server.store));
});

afterAll(async () => {
  await server?.close();
});

const cancel = (id: bigint | string) =>
  fetch(`${server.url}/admin/orders/${id}/cancel`, { method: "POST" });

describe("a merchant cancelling an order in the store's admin", () => {
  it("GIVEN an open order WHEN the merchant cancels it THEN it is cancelled and the app is told by orders/cancelled, and a second cancel is refused", async () => {
    const order = server.store.data.orders.find((candidate) => !candidate.cancelledAt);
    if (!order) throw new Error("the generated store has no open order");
    const topics: string[] = [];
    const stop = server.store.onChange((change) => topics.push(change.topic));
    const answer = await cancel(order.id);
    stop();
    expect(answer.status).toBe(200);
    expect(order.cancelledAt).toBeInstanceOf(Date);
    expect(topics).toEqual(["orders/cancelled", "orders/updated"]);
    expect((await cancel(order.id)).status).toBe(422);
  });

  it("GIVEN no such order WHEN the merchant cancels it THEN the store says so", async () => {
    expect((await cancel("123")).status).toBe(404);
  });
});
