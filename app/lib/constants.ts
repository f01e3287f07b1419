import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version the app speaks. shopify.app.toml's `[webhooks] api_version` and
 * the schema the GraphQL documents are validated against must match it (tests check both).
 */
export const ADMIN_API_VERSION = ApiVersion.October26;

/** Storefront path under which Shopify forwards app proxy requests: /apps/rekindle/*. */
export const APP_PROXY_PREFIX = "apps";
export const APP_PROXY_SUBPATH = "rekindle";

/** Namespace of the app-owned metafields ($app:rekindle). */
export const APP_METAFIELD_NAMESPACE = "$app:rekindle";
