/**
 * Every webhook topic the app subscribes to, grouped by the route (URI) that receives it.
 * shopify.app.toml declares the same grouping; a test keeps the two in step.
 */
export const WEBHOOK_ROUTES = {
  "/webhooks/customers": ["customers/create", "customers/update", "customers/delete"],
  "/webhooks/orders": ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"],
  "/webhooks/refunds": ["refunds/create"],
  "/webhooks/products": ["products/create", "products/update", "products/delete"],
  "/webhooks/collections": ["collections/create", "collections/update", "collections/delete"],
  "/webhooks/checkouts": ["checkouts/create", "checkouts/update"],
  "/webhooks/bulk_operations/finish": ["bulk_operations/finish"],
  "/webhooks/app/uninstalled": ["app/uninstalled"],
  "/webhooks/app/scopes_update": ["app/scopes_update"],
  "/webhooks/app_subscriptions/update": ["app_subscriptions/update"],
  "/webhooks/compliance": ["customers/data_request", "customers/redact", "shop/redact"],
} as const;

export type WebhookRoute = keyof typeof WEBHOOK_ROUTES;
export type WebhookTopic = (typeof WEBHOOK_ROUTES)[WebhookRoute][number];

export const COMPLIANCE_TOPICS: readonly WebhookTopic[] = WEBHOOK_ROUTES["/webhooks/compliance"];

/** Shopify caps webhook bodies well below this; anything larger is not from Shopify. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;
