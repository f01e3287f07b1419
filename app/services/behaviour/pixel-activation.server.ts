/**
 * Turns the app's web pixel (extensions/rekindle-pixel) on for a shop: Shopify runs an app's
 * pixel on a storefront only once the app has created its web pixel record there
 * (webPixelCreate), with the settings the pixel reads. Run after every install; a reinstall or
 * a new app URL updates the record, and settings already right change nothing.
 */
import {
  WEB_PIXEL_CREATE_MUTATION,
  WEB_PIXEL_QUERY,
  WEB_PIXEL_UPDATE_MUTATION,
} from "~/graphql/web-pixel";
import {
  AdminGraphqlError,
  adminGraphqlRequest,
  requireNoUserErrors,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { PIXEL_EVENTS_PATH } from "./pixel-batch";
import { pixelShopKey } from "./pixel-shop-key.server";

/** The scopes Shopify requires of an app that creates or updates its web pixel. */
export const PIXEL_SCOPES = ["write_pixels", "read_customer_events"] as const;

/** The pixel's settings, as its shopify.extension.toml declares them. */
export interface PixelSettings {
  ingestUrl: string;
  shop: string;
  shopKey: string;
}

export interface PixelActivation {
  id: string;
  outcome: "created" | "updated" | "unchanged";
}

interface WebPixelNode {
  id: string;
  /** JSON: Shopify answers the settings as the JSON text they were set with. */
  settings: unknown;
}

interface WebPixelPayload {
  webPixel: WebPixelNode | null;
  userErrors: Array<{ code: string | null; field: string[] | null; message: string }>;
}

export function pixelSettingsFor(
  shopDomain: string,
  appUrl: string,
  secret: string,
): PixelSettings {
  return {
    ingestUrl: new URL(PIXEL_EVENTS_PATH, appUrl).toString(),
    shop: shopDomain,
    shopKey: pixelShopKey(secret, shopDomain),
  };
}

/** Whether a session granted with `scope` (comma-separated) may activate the pixel. */
export function mayActivatePixel(scope: string): boolean {
  const granted = new Set(scope.split(",").map((name) => name.trim()));
  return PIXEL_SCOPES.every((name) => granted.has(name));
}

/**
 * Creates the shop's web pixel with `settings`, or updates the one there. Shopify's refusals
 * (userErrors, e.g. settings the extension does not declare) throw ShopifyUserError.
 *
 * Create comes first: a shop has at most one pixel of the app, and a second create is answered
 * TAKEN, which is how a reinstall (or a parallel request of the same install) finds the record
 * to update. Whether the webPixel query answers "none" with null or with an error does not
 * matter then: it is only asked once a pixel is known to exist.
 */
export async function activateWebPixel(
  transport: AdminGraphqlTransport,
  settings: PixelSettings,
): Promise<PixelActivation> {
  const { webPixelCreate } = await adminGraphqlRequest<{ webPixelCreate: WebPixelPayload | null }>(
    transport,
    WEB_PIXEL_CREATE_MUTATION,
    { webPixel: { settings: JSON.stringify(settings) } },
  );
  if (webPixelCreate?.userErrors.some((error) => error.code === "TAKEN")) {
    const { webPixel } = await adminGraphqlRequest<{ webPixel: WebPixelNode | null }>(
      transport,
      WEB_PIXEL_QUERY,
    );
    return updateWebPixel(transport, requirePixel("webPixel", webPixel), settings);
  }
  const { webPixel } = requireNoUserErrors("webPixelCreate", webPixelCreate);
  return { id: requirePixel("webPixelCreate", webPixel).id, outcome: "created" };
}

async function updateWebPixel(
  transport: AdminGraphqlTransport,
  existing: WebPixelNode,
  settings: PixelSettings,
): Promise<PixelActivation> {
  if (sameSettings(existing.settings, settings)) return { id: existing.id, outcome: "unchanged" };
  const { webPixelUpdate } = await adminGraphqlRequest<{ webPixelUpdate: WebPixelPayload | null }>(
    transport,
    WEB_PIXEL_UPDATE_MUTATION,
    { id: existing.id, webPixel: { settings: JSON.stringify(settings) } },
  );
  const { webPixel } = requireNoUserErrors("webPixelUpdate", webPixelUpdate);
  return { id: requirePixel("webPixelUpdate", webPixel).id, outcome: "updated" };
}

function requirePixel(operation: string, webPixel: WebPixelNode | null): WebPixelNode {
  if (!webPixel) throw new AdminGraphqlError(`${operation} returned no web pixel`, []);
  return webPixel;
}

function sameSettings(stored: unknown, wanted: PixelSettings): boolean {
  let value = stored;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return false;
    }
  }
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(wanted) as Array<keyof PixelSettings>;
  return (
    Object.keys(record).length === keys.length && keys.every((key) => record[key] === wanted[key])
  );
}
