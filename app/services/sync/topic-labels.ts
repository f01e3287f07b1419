import type { WebhookTopic } from "~/services/webhooks/webhook-topics";

/** How the admin names each kind of update, and what it is about, in the merchant's words. */
const TOPIC_LABELS: Record<WebhookTopic, { label: string; noun: string }> = {
  "customers/create": { label: "New customer", noun: "customer" },
  "customers/update": { label: "Customer changed", noun: "customer" },
  "customers/delete": { label: "Customer deleted", noun: "customer" },
  "orders/create": { label: "New order", noun: "order" },
  "orders/updated": { label: "Order changed", noun: "order" },
  "orders/paid": { label: "Order paid", noun: "order" },
  "orders/cancelled": { label: "Order cancelled", noun: "order" },
  "refunds/create": { label: "Refund", noun: "refund" },
  "products/create": { label: "New product", noun: "product" },
  "products/update": { label: "Product changed", noun: "product" },
  "products/delete": { label: "Product deleted", noun: "product" },
  "checkouts/create": { label: "Checkout started", noun: "checkout" },
  "checkouts/update": { label: "Checkout changed", noun: "checkout" },
  "bulk_operations/finish": { label: "Full sync step finished", noun: "sync step" },
  "app/uninstalled": { label: "App uninstalled", noun: "store" },
  "app/scopes_update": { label: "App permissions changed", noun: "store" },
  "app_subscriptions/update": { label: "Rekindle plan changed", noun: "plan" },
  "customers/data_request": { label: "Customer data request", noun: "customer" },
  "customers/redact": { label: "Customer data erasure", noun: "customer" },
  "shop/redact": { label: "Store data erasure", noun: "store" },
};

export function topicLabel(topic: string): string {
  return TOPIC_LABELS[topic as WebhookTopic]?.label ?? "Other update";
}

export function topicNoun(topic: string): string {
  return TOPIC_LABELS[topic as WebhookTopic]?.noun ?? "update";
}
