/**
 * The recommendation settings' schemas (the stored JSON, the settings page's form), on the
 * server only: the page's component gets plain settings and one message per field, not the
 * validation library.
 */
import { z } from "zod";
import { PLACEMENTS } from "./model/placements";
import {
  DEFAULT_RECOMMENDATION_SETTINGS,
  MAX_ATTRIBUTION_DAYS,
  MAX_BLOCKED,
  MAX_EXCLUDED_COLLECTIONS,
  MAX_PER_BLOCK,
  MAX_PINNED,
  EXPERIMENT_SHARES,
  type EditableRecommendationSettings,
  type ExcludedCollection,
  type SettingsField,
  type SettingsFormErrors,
} from "./settings";
import { commaSeparated } from "~/lib/comma-list";
import { isDatabaseId } from "~/lib/shopify-id";
import { fieldKey, fieldMessage } from "~/i18n/field-message";

const MAX_LABELS = 100;
const WHOLE_NUMBER = fieldKey("fieldErrors.wholeNumberRange", { min: 1, max: MAX_PER_BLOCK });
const ATTRIBUTION_DAYS_MESSAGE = fieldKey("fieldErrors.daysRange", {
  min: 1,
  max: MAX_ATTRIBUTION_DAYS,
});

/** Case-insensitive duplicates go (Shopify treats tags that way); the first spelling stays. */
const labelList = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(255, fieldKey("fieldErrors.eachTooLong", { max: 255 })),
  )
  .max(MAX_LABELS, fieldKey("fieldErrors.atMostEntries", { count: MAX_LABELS }))
  .transform((labels) => {
    const byKey = new Map<string, string>();
    for (const label of labels)
      if (!byKey.has(label.toLowerCase())) byKey.set(label.toLowerCase(), label);
    return [...byKey.values()];
  });

const idList = (max: number) =>
  z
    .array(z.string().refine(isDatabaseId, "fieldErrors.productId"))
    .max(max, fieldKey("fieldErrors.atMostProducts", { count: max }))
    .transform((ids) => [...new Set(ids)]);

/** Repeated ids go, the first stays; a title may be blank only while Shopify's is unknown. */
const collectionList = z
  .array(
    z.strictObject({
      id: z.string().regex(/^\d{1,20}$/, "fieldErrors.collectionId"),
      title: z
        .string()
        .trim()
        .max(255, fieldKey("fieldErrors.eachTooLong", { max: 255 })),
    }),
    "fieldErrors.collectionList",
  )
  .max(
    MAX_EXCLUDED_COLLECTIONS,
    fieldKey("fieldErrors.atMostCollections", { count: MAX_EXCLUDED_COLLECTIONS }),
  )
  .transform((collections) => {
    const byId = new Map<string, ExcludedCollection>();
    for (const collection of collections)
      if (!byId.has(collection.id)) byId.set(collection.id, collection);
    return [...byId.values()];
  });

const experimentShare = z
  .number()
  .refine((share) => (EXPERIMENT_SHARES as readonly number[]).includes(share), {
    message: "fieldErrors.chooseOption",
  });

export const editableRecommendationSettingsSchema = z.strictObject({
  excludeOutOfStock: z.boolean(),
  excludedProductTags: labelList,
  excludedProductTypes: labelList,
  excludedVendors: labelList,
  pinnedProductIds: idList(MAX_PINNED),
  blockedProductIds: idList(MAX_BLOCKED),
  excludedCollections: collectionList,
  maxPerBlock: z
    .number(WHOLE_NUMBER)
    .int(WHOLE_NUMBER)
    .min(1, WHOLE_NUMBER)
    .max(MAX_PER_BLOCK, WHOLE_NUMBER),
  attributionDays: z
    .number(ATTRIBUTION_DAYS_MESSAGE)
    .int(ATTRIBUTION_DAYS_MESSAGE)
    .min(1, ATTRIBUTION_DAYS_MESSAGE)
    .max(MAX_ATTRIBUTION_DAYS, ATTRIBUTION_DAYS_MESSAGE),
  experimentShares: z.strictObject({
    for_you: experimentShare,
    lifecycle: experimentShare,
    product_page: experimentShare,
    cart: experimentShare,
  }),
});

/** No maximum on the resolved ids: a collection can hold any number of products. */
export const recommendationSettingsSchema = editableRecommendationSettingsSchema.extend({
  excludedCollectionProductIds: z.array(z.string().refine(isDatabaseId)),
});

const splitList = (value: unknown) => commaSeparated(String(value ?? ""));

/** The collection picker's hidden field: JSON `[{ id, title }]`; absent or blank is none. */
function collectionsField(value: unknown): unknown {
  const text = String(value ?? "").trim();
  if (text === "") return [];
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not an array, so the schema reports it on the field.
    return text;
  }
}

/**
 * The settings form (text fields, a checkbox that is absent when unticked, comma-separated
 * product ids from the pickers, the collection picker's JSON) → the merchant's settings, or
 * one message per field for the page to show beside the input.
 */
export function parseRecommendationSettingsForm(
  form: Record<string, unknown>,
):
  | { ok: true; settings: EditableRecommendationSettings }
  | { ok: false; errors: SettingsFormErrors } {
  const maxText = String(form.maxPerBlock ?? "").trim();
  const daysText = String(form.attributionDays ?? "").trim();
  const wholeNumber = (text: string) => (/^-?\d+$/.test(text) ? Number(text) : undefined);
  const parsed = editableRecommendationSettingsSchema.safeParse({
    excludeOutOfStock: form.excludeOutOfStock === "on" || form.excludeOutOfStock === "true",
    excludedProductTags: splitList(form.excludedProductTags),
    excludedProductTypes: splitList(form.excludedProductTypes),
    excludedVendors: splitList(form.excludedVendors),
    pinnedProductIds: splitList(form.pinnedProductIds),
    blockedProductIds: splitList(form.blockedProductIds),
    excludedCollections: collectionsField(form.excludedCollections),
    // Not Number(""): an empty field would read as 0 and get a misleading "at least 1".
    maxPerBlock: wholeNumber(maxText),
    // A form without the field (an older page) keeps the default; a cleared field is an error.
    attributionDays:
      form.attributionDays === undefined
        ? DEFAULT_RECOMMENDATION_SETTINGS.attributionDays
        : wholeNumber(daysText),
    // A placement left out of the form runs no test.
    experimentShares: Object.fromEntries(
      PLACEMENTS.map((placement) => [
        placement,
        Number(String(form[`experiment_${placement}`] ?? "0").trim() || "0"),
      ]),
    ),
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: SettingsFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as SettingsField | undefined;
    if (field && !errors[field]) errors[field] = fieldMessage(issue);
  }
  return { ok: false, errors };
}
