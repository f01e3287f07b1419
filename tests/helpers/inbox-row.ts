import type { InboxRow } from "~/services/webhooks/inbox-writer.server";

/** An orders/create delivery as the webhook front hands it to the inbox writer. */
export const inboxRow = (webhookId: string, payload = `{"id":"${webhookId}"}`): InboxRow => ({
  shopDomain: "shop.myshopify.com",
  topic: "orders/create",
  webhookId,
  eventId: null,
  apiVersion: "2026-10",
  triggeredAt: new Date("2026-12-01T10:00:00Z"),
  payload,
  status: "pending",
  lastError: null,
});
