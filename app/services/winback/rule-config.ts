/**
 * What a merchant configures on a win-back rule: when a customer qualifies (trigger), who among
 * them (audience), how often anyone may be contacted (holdout, caps, cool-down, quiet hours,
 * schedule) and what is done (actions). Stored as JSON on winback_rule.config and validated on
 * every read and write, so a stored rule the code no longer understands fails loudly.
 */
import { z } from "zod";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";

export { LIFECYCLE_STAGES };

const days = (max: number) => z.number().int().min(1).max(max);

export const ruleTriggerSchema = z.discriminatedUnion("kind", [
  /** A customer entered a saved segment (membership events after the rule started). */
  z.strictObject({ kind: z.literal("segment_entered"), segmentId: z.string().regex(/^\d+$/) }),
  /** A customer moved into one of these lifecycle stages (after the rule started). */
  z.strictObject({
    kind: z.literal("stage_entered"),
    stages: z.array(z.enum(LIFECYCLE_STAGES)).min(1),
  }),
  /** At least `days` since the customer's last order: once per lapse. */
  z.strictObject({ kind: z.literal("days_since_last_order"), days: days(3650) }),
  /** The predicted next order date passed `days` ago without an order: once per lapse. */
  z.strictObject({ kind: z.literal("next_order_overdue"), days: z.number().int().min(0).max(365) }),
  /** A checkout left `hours` ago, not completed and not followed by an order. */
  z.strictObject({
    kind: z.literal("abandoned_checkout"),
    hours: z.number().int().min(1).max(168),
  }),
  /**
   * Viewed one product at least `views` times in the last `days` days (web pixel), did not add
   * it to the cart or buy it since, and allows marketing: once per product per window.
   */
  z.strictObject({
    kind: z.literal("browse_abandoned"),
    views: z.number().int().min(1).max(20),
    /** The pixel's events are kept 90 days. */
    days: days(90),
  }),
]);

export type RuleTrigger = z.infer<typeof ruleTriggerSchema>;

const tagList = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[^,]+$/, "fieldErrors.tagComma"),
  )
  .max(10)
  .default([]);

/** What a customer's single-use code gives: a win-back rule's discount, a flow email step's. */
const discountTerms = {
  valueType: z.enum(["percentage", "fixed_amount"]),
  /** Percent (1–100) or an amount in the shop's currency. */
  value: z.number().positive().finite(),
  expiresInDays: days(365),
  minimumSubtotal: z.number().positive().finite().nullable().default(null),
};

const percentAtMost100 = (discount: { valueType: string; value: number }) =>
  discount.valueType !== "percentage" || discount.value <= 100;
const PERCENT_OVER_100 = { message: "fieldErrors.percentAtMost100", path: ["value"] };

/** A flow email step's discount (the code's prefix is the flows' own). */
export const discountTermsSchema = z
  .object(discountTerms)
  .refine(percentAtMost100, PERCENT_OVER_100);

export type DiscountTerms = z.infer<typeof discountTermsSchema>;

export const discountActionSchema = z
  .strictObject({
    ...discountTerms,
    /** Code prefix, upper-case letters and digits. */
    prefix: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{2,12}$/, "fieldErrors.codePrefix")
      .default("COMEBACK"),
  })
  .refine(percentAtMost100, PERCENT_OVER_100);

export type DiscountAction = z.infer<typeof discountActionSchema>;

export const ruleActionsSchema = z
  .strictObject({
    discount: discountActionSchema.nullable().default(null),
    /** The storefront banner's offer (and the customer metafield); shows the code if any. */
    offer: z
      .strictObject({
        title: z.string().trim().min(1).max(80),
        text: z.string().trim().max(160).default(""),
      })
      .nullable()
      .default(null),
    addTags: tagList,
    removeTags: tagList,
    email: z
      .strictObject({
        subject: z.string().trim().min(1).max(150),
        body: z.string().trim().min(1).max(10_000),
      })
      .nullable()
      .default(null),
    flowTrigger: z.boolean().default(false),
  })
  .refine(
    (actions) =>
      actions.discount !== null ||
      actions.offer !== null ||
      actions.addTags.length > 0 ||
      actions.removeTags.length > 0 ||
      actions.email !== null ||
      actions.flowTrigger,
    { message: "fieldErrors.chooseAction" },
  );

export type RuleActions = z.infer<typeof ruleActionsSchema>;

export const ruleConfigSchema = z.strictObject({
  trigger: ruleTriggerSchema,
  /** Segment-language text narrowing who qualifies; empty means everyone the trigger finds. */
  audience: z.string().trim().max(2_000).default(""),
  /** Share of qualifying customers held back, stably, to measure what the rule changes. */
  holdoutPercent: z.number().min(0).max(50).default(10),
  /** At most `capCount` win-back contacts (any rule) per customer in `capDays` days. */
  capCount: z.number().int().min(1).max(20).default(2),
  capDays: days(365).default(30),
  /** This rule leaves a customer alone for this many days after acting on them. */
  cooldownDays: z.number().int().min(0).max(365).default(30),
  /** No run starts in these local hours (shop time zone), e.g. 21 → 8. Equal means none. */
  quietHours: z
    .strictObject({ start: z.number().int().min(0).max(23), end: z.number().int().min(0).max(23) })
    .default({ start: 21, end: 8 }),
  /** Hours between runs while the rule is active. */
  everyHours: z.number().int().min(1).max(168).default(24),
  /** Most customers acted on per run (the rest wait for the next run). */
  maxPerRun: z.number().int().min(1).max(50_000).default(10_000),
  /** Days after the action in which a customer's order counts toward the rule. */
  attributionDays: days(90).default(14),
  actions: ruleActionsSchema,
});

export type RuleConfig = z.infer<typeof ruleConfigSchema>;

export const RULE_STATUSES = ["draft", "active", "paused"] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];
