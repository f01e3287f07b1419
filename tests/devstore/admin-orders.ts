import type { ServerResponse } from "node:http";
import type { ExtraRoute } from "./server";
import type { DevStore } from "./store";

const CANCEL_PATH = /^\/admin\/orders\/(\d+)\/cancel$/;

function reply(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * What a merchant does to an order by hand in the store's admin: `POST /admin/orders/:id/cancel`
 * is Shopify's "Cancel order", which the app hears of as orders/cancelled and orders/updated,
 * as from Shopify. An order cancelled already is refused, as Shopify refuses it.
 */
export function adminOrderRoutes(store: DevStore): ExtraRoute {
  return (request, response, url) => {
    const match = CANCEL_PATH.exec(url.pathname);
    if (!match || request.method !== "POST") return false;
    const order = store.ordersById.get(BigInt(match[1] ?? "0"));
    if (!order) {
      reply(response, 404, { error: "No such order" });
    } else if (order.cancelledAt) {
      reply(response, 422, { error: "The order is cancelled already" });
    } else {
      store.cancelOrder(order.id);
      reply(response, 200, { order: { id: order.id.toString(), cancelledAt: order.cancelledAt } });
    }
    return true;
  };
}
