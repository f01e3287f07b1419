import type { WebhookTopic } from "~/services/webhooks/webhook-topics";

/**
 * What each kind of update is about, for the reasons the sync writes when it sets one aside
 * (the admin names the updates themselves from its locales: topics.*).
 */
const TOPIC_NOUNS: Record<WebhookTopic, string> = {
  "customers/create": "customer",
  "customers/update": "customer",
  "customers/delete": "customer",
  "orders/create": "order",
  "orders/updated": "order",
  "orders/paid": "order",
  "orders/cancelled": "order",
  "refunds/create": "refund",
  "products/create": "product",
  "products/update": "product",
  "products/delete": "product",
  "checkouts/create": "checkout",
  "checkouts/update": "checkout",
  "bulk_operations/finish": "sync step",
  "app/uninstalled": "store",
  "app/scopes_update": "store",
  "app_subscriptions/update": "plan",
  "customers/data_request": "customer",
  "customers/redact": "customer",
  "shop/redact": "store",
};

export function topicNoun(topic: string): string {
  return TOPIC_NOUNS[topic as WebhookTopic] ?? "update";
}
