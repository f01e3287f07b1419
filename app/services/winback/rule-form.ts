/**
 * The rule editor's form ⇄ a rule config. The page keeps every field as text (or a switch) so a
 * half-typed number survives re-renders; here the posted fields become the object that
 * ruleConfigSchema judges, and the schema's error paths find their way back to the fields.
 * Plain and browser-safe, without the validation library: the page and its action share it,
 * and the action reads the posted fields with rule-form-schema.server.ts.
 */
import type { RuleConfig, RuleTrigger } from "./rule-config";
import { commaSeparated } from "~/lib/comma-list";
import type { Message } from "~/i18n/message";

export const TRIGGER_KINDS = [
  "days_since_last_order",
  "next_order_overdue",
  "abandoned_checkout",
  "browse_abandoned",
  "segment_entered",
  "stage_entered",
] as const satisfies ReadonlyArray<RuleTrigger["kind"]>;

/** What the form posts, one field each (ruleFormSchema reads them on the server). */
export interface RuleFormValues {
  name: string;
  triggerKind: (typeof TRIGGER_KINDS)[number];
  segmentId: string;
  /** Lifecycle stages. */
  stages: string[];
  /** Days for "days since last order", "next order overdue" and browse abandonment's window. */
  triggerDays: string;
  checkoutHours: string;
  /** Browse abandonment: how many views of one product. */
  browseViews: string;
  audience: string;
  holdoutPercent: string;
  capCount: string;
  capDays: string;
  cooldownDays: string;
  quietStart: string;
  quietEnd: string;
  everyHours: string;
  maxPerRun: string;
  attributionDays: string;
  discountEnabled: boolean;
  discountType: "percentage" | "fixed_amount";
  discountValue: string;
  discountExpiresInDays: string;
  discountMinimumSubtotal: string;
  discountPrefix: string;
  offerEnabled: boolean;
  offerTitle: string;
  offerText: string;
  /** Comma-separated. */
  addTags: string;
  removeTags: string;
  emailEnabled: boolean;
  emailSubject: string;
  emailBody: string;
  flowTrigger: boolean;
}
export type RuleFormField = keyof RuleFormValues;

/** Comma-separated text → trimmed, non-empty, distinct items. */
export function splitList(value: string): string[] {
  return [...new Set(commaSeparated(value))];
}

/**
 * Blank is undefined (the schema's default applies, or it reports the field as missing);
 * anything else that is not a number stays NaN so the schema rejects it rather than guessing.
 */
function numberOf(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}

function triggerOf(values: RuleFormValues): Record<string, unknown> {
  switch (values.triggerKind) {
    case "segment_entered":
      return { kind: values.triggerKind, segmentId: values.segmentId };
    case "stage_entered":
      return { kind: values.triggerKind, stages: values.stages };
    case "abandoned_checkout":
      return { kind: values.triggerKind, hours: numberOf(values.checkoutHours) };
    case "browse_abandoned":
      return {
        kind: values.triggerKind,
        views: numberOf(values.browseViews),
        days: numberOf(values.triggerDays),
      };
    case "days_since_last_order":
    case "next_order_overdue":
      return { kind: values.triggerKind, days: numberOf(values.triggerDays) };
  }
}

/** The config the form describes, unchecked: saveRule / checkRuleConfig judge it. */
export function configFromValues(values: RuleFormValues): Record<string, unknown> {
  const minimum = numberOf(values.discountMinimumSubtotal);
  return {
    trigger: triggerOf(values),
    audience: values.audience,
    holdoutPercent: numberOf(values.holdoutPercent),
    capCount: numberOf(values.capCount),
    capDays: numberOf(values.capDays),
    cooldownDays: numberOf(values.cooldownDays),
    quietHours: { start: numberOf(values.quietStart), end: numberOf(values.quietEnd) },
    everyHours: numberOf(values.everyHours),
    maxPerRun: numberOf(values.maxPerRun),
    attributionDays: numberOf(values.attributionDays),
    actions: {
      // A switched-off section is no action at all, whatever its fields still hold.
      discount: values.discountEnabled
        ? {
            valueType: values.discountType,
            value: numberOf(values.discountValue),
            expiresInDays: numberOf(values.discountExpiresInDays),
            minimumSubtotal: minimum ?? null,
            // Codes are upper-case; accept the prefix however it was typed.
            prefix: values.discountPrefix.trim().toUpperCase() || undefined,
          }
        : null,
      offer: values.offerEnabled ? { title: values.offerTitle, text: values.offerText } : null,
      addTags: splitList(values.addTags),
      removeTags: splitList(values.removeTags),
      email: values.emailEnabled ? { subject: values.emailSubject, body: values.emailBody } : null,
      flowTrigger: values.flowTrigger,
    },
  };
}

/** The form's fields as posted (the inverse of ruleFormSchema). */
export function formDataFromValues(values: RuleFormValues): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    data[key] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return data;
}

/** What a switched-off section shows when it is switched on. */
const SECTION_DEFAULTS = {
  discountType: "percentage",
  discountValue: "15",
  discountExpiresInDays: "14",
  discountMinimumSubtotal: "",
  discountPrefix: "COMEBACK",
  offerTitle: "We miss you",
  offerText: "",
  emailSubject: "{{first_name}}, we miss you",
  emailBody:
    "Hi {{first_name}},\n\nIt has been a while. Here is {{discount}} off your next order with code {{code}}, valid until {{expires_on}}.\n\n{{shop_name}}\n\nUnsubscribe: {{unsubscribe_url}}",
} as const;

/** The form for a stored (or starter) config. */
export function valuesFromConfig(name: string, config: RuleConfig): RuleFormValues {
  const { trigger, actions } = config;
  const { discount, offer, email } = actions;
  return {
    name,
    triggerKind: trigger.kind,
    segmentId: trigger.kind === "segment_entered" ? trigger.segmentId : "",
    stages: trigger.kind === "stage_entered" ? [...trigger.stages] : [],
    triggerDays:
      trigger.kind === "days_since_last_order" ||
      trigger.kind === "next_order_overdue" ||
      trigger.kind === "browse_abandoned"
        ? String(trigger.days)
        : "90",
    checkoutHours: trigger.kind === "abandoned_checkout" ? String(trigger.hours) : "4",
    browseViews: trigger.kind === "browse_abandoned" ? String(trigger.views) : "3",
    audience: config.audience,
    holdoutPercent: String(config.holdoutPercent),
    capCount: String(config.capCount),
    capDays: String(config.capDays),
    cooldownDays: String(config.cooldownDays),
    quietStart: String(config.quietHours.start),
    quietEnd: String(config.quietHours.end),
    everyHours: String(config.everyHours),
    maxPerRun: String(config.maxPerRun),
    attributionDays: String(config.attributionDays),
    discountEnabled: discount !== null,
    discountType: discount?.valueType ?? SECTION_DEFAULTS.discountType,
    discountValue: discount ? String(discount.value) : SECTION_DEFAULTS.discountValue,
    discountExpiresInDays: discount
      ? String(discount.expiresInDays)
      : SECTION_DEFAULTS.discountExpiresInDays,
    discountMinimumSubtotal:
      discount?.minimumSubtotal != null ? String(discount.minimumSubtotal) : "",
    discountPrefix: discount?.prefix ?? SECTION_DEFAULTS.discountPrefix,
    offerEnabled: offer !== null,
    offerTitle: offer?.title ?? SECTION_DEFAULTS.offerTitle,
    offerText: offer?.text ?? SECTION_DEFAULTS.offerText,
    addTags: actions.addTags.join(", "),
    removeTags: actions.removeTags.join(", "),
    emailEnabled: email !== null,
    emailSubject: email?.subject ?? SECTION_DEFAULTS.emailSubject,
    emailBody: email?.body ?? SECTION_DEFAULTS.emailBody,
    flowTrigger: actions.flowTrigger,
  };
}

const BASE_CONFIG: RuleConfig = {
  trigger: { kind: "days_since_last_order", days: 90 },
  audience: "",
  holdoutPercent: 10,
  capCount: 2,
  capDays: 30,
  cooldownDays: 30,
  quietHours: { start: 21, end: 8 },
  everyHours: 24,
  maxPerRun: 10_000,
  attributionDays: 14,
  actions: {
    discount: {
      valueType: "percentage",
      value: 15,
      expiresInDays: 14,
      minimumSubtotal: null,
      prefix: "COMEBACK",
    },
    offer: null,
    addTags: [],
    removeTags: [],
    email: null,
    flowTrigger: false,
  },
};

/** A new rule: the schema's defaults and a 15% code, so it is valid as soon as it has a name. */
export const NEW_RULE_VALUES: RuleFormValues = valuesFromConfig("", BASE_CONFIG);

/** The starter the empty rules list suggests: repeat buyers quiet for 90 days. */
export const STARTER_RULE_VALUES: RuleFormValues = valuesFromConfig("Win back lapsing customers", {
  ...BASE_CONFIG,
  audience: "orders_count >= 2",
  actions: {
    ...BASE_CONFIG.actions,
    offer: { title: "We miss you", text: "15% off your next order" },
    email: { subject: SECTION_DEFAULTS.emailSubject, body: SECTION_DEFAULTS.emailBody },
  },
});

/** Where an error path ("actions.discount.value") shows; "actions" is the Actions card itself. */
const FIELD_PATHS: Record<RuleFormField | "actions", string> = {
  name: "name",
  triggerKind: "trigger",
  segmentId: "trigger.segmentId",
  stages: "trigger.stages",
  triggerDays: "trigger.days",
  checkoutHours: "trigger.hours",
  browseViews: "trigger.views",
  audience: "audience",
  holdoutPercent: "holdoutPercent",
  capCount: "capCount",
  capDays: "capDays",
  cooldownDays: "cooldownDays",
  quietStart: "quietHours.start",
  quietEnd: "quietHours.end",
  everyHours: "everyHours",
  maxPerRun: "maxPerRun",
  attributionDays: "attributionDays",
  discountEnabled: "actions.discount",
  discountType: "actions.discount.valueType",
  discountValue: "actions.discount.value",
  discountExpiresInDays: "actions.discount.expiresInDays",
  discountMinimumSubtotal: "actions.discount.minimumSubtotal",
  discountPrefix: "actions.discount.prefix",
  offerEnabled: "actions.offer",
  offerTitle: "actions.offer.title",
  offerText: "actions.offer.text",
  addTags: "actions.addTags",
  removeTags: "actions.removeTags",
  emailEnabled: "actions.email",
  emailSubject: "actions.email.subject",
  emailBody: "actions.email.body",
  flowTrigger: "actions.flowTrigger",
  actions: "actions",
};

export type PlacedField = keyof typeof FIELD_PATHS;

/**
 * saveRule's errors by form field (the field whose path is the longest prefix of the error's),
 * and any that belong to no field, for a banner.
 */
export function placeErrors(fieldErrors: Record<string, Message>): {
  fields: Partial<Record<PlacedField, Message>>;
  other: Message[];
} {
  const fields: Partial<Record<PlacedField, Message>> = {};
  const other: Message[] = [];
  const byLength = (Object.entries(FIELD_PATHS) as Array<[PlacedField, string]>).sort(
    (a, b) => b[1].length - a[1].length,
  );
  for (const [path, message] of Object.entries(fieldErrors)) {
    const field = byLength.find(([, prefix]) => path === prefix || path.startsWith(`${prefix}.`));
    if (field) fields[field[0]] ??= message;
    else other.push(message);
  }
  return { fields, other };
}
