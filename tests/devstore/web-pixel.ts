import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { GraphQLError } from "graphql";
import { parse } from "smol-toml";
import { REPO_ROOT } from "../helpers/shared-data";
import { requireScopes, type ResolveContext } from "./graphql/connections";
import { gid, parseGid } from "./shopify-json";

/** The app's web pixel extension as Shopify knows it once deployed. */
export interface PixelExtension {
  handle: string;
  /** Its `[settings.fields.*]` keys: what webPixelCreate's settings must hold. */
  settingKeys: string[];
}

interface UserError {
  code: string;
  field: string[];
  message: string;
}

interface WebPixelInput {
  settings?: unknown;
}

/**
 * The app's web pixel record on the shop (webPixelCreate / webPixelUpdate / webPixel), which
 * the storefront's pixel sandbox reads its settings from. As on Shopify, an app has at most
 * one, its settings must match the extension's declared fields, and both mutations need the
 * write_pixels and read_customer_events scopes.
 */
export class StoreWebPixel {
  private record: { id: bigint; settings: Record<string, string> } | null = null;

  /**
   * `stateFile`: where the record is kept, so a store started again (the demo's data folder)
   * still runs the pixel of an install the app will not redo.
   */
  constructor(
    readonly extension: PixelExtension | null,
    private readonly allocateId: () => bigint,
    private readonly stateFile?: string,
  ) {
    if (stateFile && existsSync(stateFile)) {
      const saved = JSON.parse(readFileSync(stateFile, "utf8")) as {
        id: string;
        settings: Record<string, string>;
      };
      this.record = { id: BigInt(saved.id), settings: saved.settings };
    }
  }

  /** The settings the storefront gives the pixel; null while the app has not activated it. */
  get settings(): Record<string, string> | null {
    return this.record ? { ...this.record.settings } : null;
  }

  resolvers() {
    return {
      webPixel: (args: { id?: string | null }, context: ResolveContext) => {
        requireScopes(context, "webPixel", [["read_pixels", "write_pixels"]]);
        const record = this.record;
        if (!record || (args.id && parseGid(args.id, "WebPixel") !== record.id)) {
          throw new GraphQLError("No web pixel was found for this app.", {
            extensions: { code: "NOT_FOUND" },
          });
        }
        return this.view();
      },
      webPixelCreate: ({ webPixel }: { webPixel: WebPixelInput }, context: ResolveContext) => {
        requireScopes(context, "webPixelCreate", [["write_pixels"], ["read_customer_events"]]);
        if (this.record) {
          return refuse("TAKEN", ["webPixel"], "Web pixel is taken.");
        }
        const settings = this.checkSettings(webPixel.settings);
        if ("code" in settings) return { webPixel: null, userErrors: [settings] };
        this.record = { id: this.allocateId(), settings };
        this.save();
        return { webPixel: this.view(), userErrors: [] };
      },
      webPixelUpdate: (
        { id, webPixel }: { id: string; webPixel: WebPixelInput },
        context: ResolveContext,
      ) => {
        requireScopes(context, "webPixelUpdate", [["write_pixels"], ["read_customer_events"]]);
        if (!this.record || parseGid(id, "WebPixel") !== this.record.id) {
          return refuse("NOT_FOUND", ["id"], "Web pixel not found.");
        }
        const settings = this.checkSettings(webPixel.settings);
        if ("code" in settings) return { webPixel: null, userErrors: [settings] };
        this.record.settings = settings;
        this.save();
        return { webPixel: this.view(), userErrors: [] };
      },
    };
  }

  private save() {
    if (!this.stateFile || !this.record) return;
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(
      temporary,
      JSON.stringify({ id: this.record.id.toString(), settings: this.record.settings }),
    );
    renameSync(temporary, this.stateFile);
  }

  private view() {
    const record = this.record;
    if (!record) return null;
    // Answered as the JSON text it was set with, like Shopify.
    return { id: gid("WebPixel", record.id), settings: JSON.stringify(record.settings) };
  }

  /** The settings as the extension declares them (text fields, none blank), or why not. */
  private checkSettings(input: unknown): Record<string, string> | UserError {
    if (!this.extension) {
      return { code: "NO_EXTENSION", field: ["webPixel"], message: "No extension found." };
    }
    let value = input;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        return invalid("INVALID_CONFIGURATION_JSON", "Settings are not valid JSON.");
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return invalid("INVALID_SETTINGS", "Settings must be an object.");
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const declared = new Set(this.extension.settingKeys);
    const unknown = entries.filter(([key]) => !declared.has(key)).map(([key]) => key);
    const given = new Map(entries);
    const missing = this.extension.settingKeys.filter(
      (key) => typeof given.get(key) !== "string" || given.get(key) === "",
    );
    if (unknown.length > 0 || missing.length > 0) {
      return invalid(
        "INVALID_SETTINGS",
        `Settings do not match the extension's definition (unknown: ${unknown.join(", ") || "none"}; missing or blank: ${missing.join(", ") || "none"}).`,
      );
    }
    return Object.fromEntries(entries) as Record<string, string>;
  }
}

const invalid = (code: string, message: string): UserError => ({
  code,
  field: ["webPixel", "settings"],
  message,
});

const refuse = (code: string, field: string[], message: string) => ({
  webPixel: null,
  userErrors: [{ code, field, message }],
});

/** The app's web pixel extension (type "web_pixel_extension" under extensions/), if it has one. */
export function pixelExtensionFromApp(
  root = path.join(REPO_ROOT, "extensions"),
): PixelExtension | null {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const file = path.join(root, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const config = parse(readFileSync(file, "utf8")) as {
      type?: string;
      handle?: string;
      settings?: { fields?: Record<string, unknown> };
    };
    if (config.type === "web_pixel_extension" && config.handle) {
      return { handle: config.handle, settingKeys: Object.keys(config.settings?.fields ?? {}) };
    }
  }
  return null;
}
