import { MAIN_THEME_SETTINGS_QUERY } from "~/graphql/theme";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { APP_EMBED_HANDLE } from "./theme-editor-links";

/** Whether the published theme has the win-back banner embed switched on; unknown when unreadable. */
export type AppEmbedState = "on" | "off" | "unknown";

interface MainThemeSettings {
  themes: {
    nodes: Array<{
      files: { nodes: Array<{ body: { content?: string } | null }> } | null;
    }>;
  } | null;
}

/**
 * Reads the main theme's config/settings_data.json, where the theme editor lists each app
 * embed under `current.blocks` as `shopify://apps/<app>/blocks/<handle>/<extension id>` with
 * `disabled`. There is no other API for it. The check only guides the merchant, so a theme
 * Shopify would not show (no read_themes scope, an unreachable API, an unexpected file) makes
 * it unknown rather than failing the page; a Response thrown to re-authorize passes through.
 */
export async function readAppEmbedState(transport: AdminGraphqlTransport): Promise<AppEmbedState> {
  try {
    const data = await adminGraphqlRequest<MainThemeSettings>(
      transport,
      MAIN_THEME_SETTINGS_QUERY,
      {},
      { maxThrottleRetries: 0 },
    );
    const content = data?.themes?.nodes[0]?.files?.nodes[0]?.body?.content;
    if (typeof content !== "string") return "unknown";
    return appEmbedStateIn(content);
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ err: error }, "could not read the main theme's app embeds");
    return "unknown";
  }
}

const EMBED_TYPE = new RegExp(`^shopify://apps/[^/]+/blocks/${APP_EMBED_HANDLE}/[^/]+$`);

/** The embed's state in a settings_data.json text (which Shopify starts with a comment). */
export function appEmbedStateIn(settingsData: string): AppEmbedState {
  let settings: unknown;
  try {
    settings = JSON.parse(settingsData.replace(/^\s*\/\*[\s\S]*?\*\//, ""));
  } catch {
    return "unknown";
  }
  const root = settings as { current?: unknown; presets?: Record<string, unknown> } | null;
  // Older themes name a preset in `current` instead of holding the settings there.
  const current =
    typeof root?.current === "string" ? root.presets?.[root.current] : (root?.current ?? null);
  const blocks = (current as { blocks?: Record<string, unknown> } | null)?.blocks ?? {};
  const embeds = Object.values(blocks).filter(
    (block): block is { type: string; disabled?: unknown } =>
      typeof (block as { type?: unknown })?.type === "string" &&
      EMBED_TYPE.test((block as { type: string }).type),
  );
  return embeds.some((block) => block.disabled !== true) ? "on" : "off";
}
