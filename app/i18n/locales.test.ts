import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import polarisEnglish from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import { HELP_PAGES } from "~/components/admin/PageHelp";
import { ACTION_STATUSES } from "~/components/winback/rule-text";
import { PLANS } from "~/services/billing/plans";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import { RFM_SEGMENTS } from "~/services/analytics/models/rfm";
import { PLACEMENTS, STAGE_GROUPS } from "~/services/recommendations/model/placements";
import { SETUP_STEPS } from "~/services/onboarding/setup-steps";
import { APP_BLOCKS } from "~/services/onboarding/theme-editor-links";
import { BUILDER_FIELDS, FIELD_CATEGORIES, ROW_OPERATORS } from "~/services/segments/builder-rows";
import { SEGMENT_ERROR_CODES } from "~/services/segments/language";
import { SEGMENT_TEMPLATES } from "~/services/segments/templates";
import { BACKFILL_RESOURCES } from "~/services/sync/backfill.server";
import { WEBHOOK_ROUTES } from "~/services/webhooks/webhook-topics";
import { SUPPORTED_LOCALES } from "./config";
import { ADMIN_MESSAGES } from "./locale.server";
import polarisFa from "./polaris/fa.json";
import polarisMs from "./polaris/ms.json";
import polarisTe from "./polaris/te.json";

/** Every leaf of a nested messages object, by dotted key. */
function leaves(tree: object, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (value && typeof value === "object") {
      for (const [inner, text] of leaves(value as object, key)) found.set(inner, text);
    } else found.set(key, String(value));
  }
  return found;
}

const english = leaves(ADMIN_MESSAGES.en);
const variables = (text: string) =>
  [...text.matchAll(/\{\{(\w+)(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

/** The admin's sources: the embedded pages and the components they share. */
function adminSources(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\./.test(entry.name)) files.push(path);
    }
  };
  walk("app/components");
  for (const name of readdirSync("app/routes")) {
    if (/^app[._].*\.tsx$|^app\.tsx$/.test(name)) files.push(join("app/routes", name));
  }
  return files;
}

/** Keys written literally in a call of t, message or pageTitle (`t("segments.save")`). */
const KEY_CALL = /\b(?:t|message|pageTitle)\(\s*["']([\w-]+(?:\.[\w-]+)+)["']/g;

describe("the admin's translations", () => {
  it.each(SUPPORTED_LOCALES.filter((locale) => locale !== "en"))(
    "%s has every English key, nothing more, each with the same {{values}}",
    (locale) => {
      const translated = leaves(ADMIN_MESSAGES[locale]);
      expect([...translated.keys()].filter((key) => !english.has(key))).toEqual([]);
      expect([...english.keys()].filter((key) => !translated.has(key))).toEqual([]);
      for (const [key, text] of english) {
        expect({ key, values: variables(translated.get(key) ?? "") }).toEqual({
          key,
          values: variables(text),
        });
      }
    },
  );

  it.each(SUPPORTED_LOCALES)("%s has no empty text", (locale) => {
    const empty = [...leaves(ADMIN_MESSAGES[locale])].filter(([, text]) => !text.trim());
    expect(empty).toEqual([]);
  });

  it("has every key the admin's code names (plural keys by their _one/_other forms)", () => {
    const missing: string[] = [];
    const sources = adminSources();
    let named = 0;
    for (const file of sources) {
      for (const [, key = ""] of readFileSync(file, "utf8").matchAll(KEY_CALL)) {
        named += 1;
        if (!english.has(key) && !english.has(`${key}_other`)) missing.push(`${file}: ${key}`);
      }
    }
    expect(named).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });

  it("names every value the pages label through a key built from it", () => {
    const unnamed = (prefix: string, values: readonly string[]) =>
      values.map((value) => `${prefix}.${value}`).filter((key) => !english.has(key));
    expect([
      ...unnamed(
        "segmentFields",
        BUILDER_FIELDS.map((field) => field.name),
      ),
      ...unnamed("segmentOperators", ROW_OPERATORS),
      ...unnamed("segments.category", FIELD_CATEGORIES),
      ...unnamed("segmentErrors", SEGMENT_ERROR_CODES),
      ...unnamed(
        "segmentTemplates",
        SEGMENT_TEMPLATES.flatMap(({ key }) => [`${key}.name`, `${key}.description`]),
      ),
      ...unnamed("rfmSegments", RFM_SEGMENTS),
      ...unnamed("lifecycleStages", LIFECYCLE_STAGES),
      ...unnamed("winbackText.actionStatus", ACTION_STATUSES),
      ...unnamed("winbackText.status", ["draft", "active", "paused"]),
      ...unnamed("recommendationRules.placements", PLACEMENTS),
      ...unnamed("sync.resource", BACKFILL_RESOURCES),
      ...unnamed("sync.jobStatus", ["pending", "running", "loading", "done", "failed"]),
      ...unnamed("sync.overall", ["running", "done", "failed", "notStarted"]),
      ...unnamed(
        "setupGuide.steps",
        SETUP_STEPS.map((step) => `${step}.title`),
      ),
      ...unnamed("setupGuide.storefront", ["on", "off", "unknown"]),
      ...unnamed(
        "setupGuide.storefront.blocks",
        APP_BLOCKS.map((block) => block.handle),
      ),
      ...unnamed("setupGuide.emailSender", ["missing", "unverified", "verified"]),
      ...unnamed("topics", Object.values(WEBHOOK_ROUTES).flat()),
      ...unnamed(
        "help",
        HELP_PAGES.flatMap((page) => [`${page}.what`, `${page}.next`]),
      ),
      ...unnamed(
        "planLimit",
        Object.keys(PLANS[0]?.features ?? {}).flatMap((feature) => [
          `overVolume.${feature}`,
          `notIncluded.${feature}`,
        ]),
      ),
      ...unnamed(
        "plans.catalog",
        PLANS.map((plan) => `${plan.key}.summary`),
      ),
      ...unnamed("recommendationsReport.methods", ["personalized", "bestsellers", "buy_again"]),
      ...unnamed("recommendationsReport.groups", STAGE_GROUPS),
      ...unnamed("customer.explain", ["chance", "chanceLow", "fitted", "pooled"]),
    ]).toEqual([]);
  });

  it("has every field error the services name (fieldErrors.* keys anywhere in app/)", () => {
    const named = new Set<string>();
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\./.test(entry.name)) {
          for (const [, key = ""] of readFileSync(path, "utf8").matchAll(
            /["'](fieldErrors\.\w+)["']/g,
          ))
            named.add(key);
        }
      }
    };
    walk("app");
    expect(named.size).toBeGreaterThan(40);
    expect([...named].filter((key) => !english.has(key))).toEqual([]);
  });

  it.each([
    ["fa", polarisFa],
    ["ms", polarisMs],
    ["te", polarisTe],
  ])("Polaris' strings in %s translate keys Polaris has, with its {placeholders}", (_, ours) => {
    const polaris = leaves(polarisEnglish);
    for (const [key, text] of leaves(ours)) {
      expect(polaris.has(key), key).toBe(true);
      const placeholders = (value: string) =>
        [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(text), key).toEqual(placeholders(polaris.get(key) ?? ""));
    }
  });
});
