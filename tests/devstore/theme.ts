import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { connection, type ConnectionArgs, type ResolveContext } from "./graphql/connections";
import { gid, isoTime } from "./shopify-json";

/** The header Shopify writes at the top of every settings_data.json (not valid JSON). */
const SETTINGS_DATA_HEADER = `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 *
 * This file may be updated by the Shopify admin theme editor
 * or related systems. Please exercise caution as any changes
 * made to this file may be overwritten.
 * ------------------------------------------------------------
 */
`;

interface AppEmbedBlock {
  type: string;
  disabled: boolean;
  settings: Record<string, unknown>;
}

/**
 * The shop's published theme, as far as apps see it: its config/settings_data.json, where the
 * theme editor records each app embed (`shopify://apps/<app>/blocks/<handle>/<extension id>`)
 * and whether it is switched on. Another app's embed sits beside ours, as in a real store.
 */
export class StoreTheme {
  readonly id = 130_000_000_001n;
  readonly name = "Dawn";
  readonly updatedAt = new Date("2026-11-01T09:00:00Z");
  private readonly extensionId = randomUUID();
  private readonly blocks: Record<string, AppEmbedBlock> = {
    "11803416146583463985": {
      type: `shopify://apps/another-app/blocks/chat-widget/${randomUUID()}`,
      disabled: false,
      settings: {},
    },
  };

  /** `appHandle`: the app's handle in the Shopify admin, part of its blocks' type. */
  constructor(private readonly appHandle: string) {}

  /**
   * What the theme editor does when the merchant switches the app's embed on or off and saves:
   * the first time adds the block (under a numeric key Shopify makes up), later flips `disabled`.
   */
  setAppEmbed(handle: string, enabled: boolean): void {
    const existing = this.appBlock(handle);
    if (existing) existing.disabled = !enabled;
    else
      this.blocks[String(BigInt(Object.keys(this.blocks).length + 1) * 7_919_000_000_017n)] = {
        type: `shopify://apps/${this.appHandle}/blocks/${handle}/${this.extensionId}`,
        disabled: !enabled,
        settings: {},
      };
  }

  appEmbedEnabled(handle: string): boolean {
    return this.appBlock(handle)?.disabled === false;
  }

  private appBlock(handle: string): AppEmbedBlock | undefined {
    const type = `shopify://apps/${this.appHandle}/blocks/${handle}/${this.extensionId}`;
    return Object.values(this.blocks).find((block) => block.type === type);
  }

  settingsData(): string {
    const current = { color_scheme: "scheme-1", blocks: this.blocks };
    return SETTINGS_DATA_HEADER + JSON.stringify({ current }, null, 2);
  }

  /** `themes(roles:, first:)` as the Admin API answers it; needs read_themes. */
  themesConnection(args: ConnectionArgs & { roles?: string[] | null }, context: ResolveContext) {
    requireReadThemes(context);
    const main = !args.roles || args.roles.includes("MAIN") ? [this] : [];
    return connection(main, args, context, (theme) => theme.view());
  }

  private view() {
    const files = [{ filename: "config/settings_data.json", content: () => this.settingsData() }];
    return {
      __typename: "OnlineStoreTheme",
      id: gid("OnlineStoreTheme", this.id),
      name: this.name,
      role: "MAIN",
      files: (args: ConnectionArgs & { filenames?: string[] | null }, context: ResolveContext) =>
        connection(
          files.filter((file) => !args.filenames || args.filenames.includes(file.filename)),
          args,
          context,
          (file) => {
            const content = file.content();
            return {
              __typename: "OnlineStoreThemeFile",
              filename: file.filename,
              contentType: "application/json",
              size: String(Buffer.byteLength(content)),
              createdAt: isoTime(this.updatedAt),
              updatedAt: isoTime(this.updatedAt),
              body: { __typename: "OnlineStoreThemeFileBodyText", content },
            };
          },
        ),
    };
  }
}

function requireReadThemes(context: ResolveContext) {
  if (!context.scopes.includes("read_themes") && !context.scopes.includes("write_themes")) {
    throw new GraphQLError(
      "Access denied for themes field. Required access: `read_themes` access scope.",
      { extensions: { code: "ACCESS_DENIED" } },
    );
  }
}
