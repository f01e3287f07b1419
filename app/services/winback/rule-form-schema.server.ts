/**
 * The rule editor's posted fields → RuleFormValues, on the server only: the page's component
 * gets field errors as messages, not the validation library.
 */
import { z } from "zod";
import { splitList, TRIGGER_KINDS, type RuleFormValues } from "./rule-form";

const text = z.string().default("");
// A checkbox posts "on"; the page posts "true"/"false" from its state.
const flag = z
  .enum(["on", "true", "false", ""])
  .optional()
  .transform((value) => value === "on" || value === "true");

/** What the form posts, one flat string per field. */
export const ruleFormSchema = z.object({
  name: text,
  triggerKind: z.enum(TRIGGER_KINDS),
  segmentId: text,
  /** Lifecycle stages, comma-separated. */
  stages: text.transform((value) => splitList(value)),
  /** Days for "days since last order", "next order overdue" and browse abandonment's window. */
  triggerDays: text,
  checkoutHours: text,
  /** Browse abandonment: how many views of one product. */
  browseViews: text,
  audience: text,
  holdoutPercent: text,
  capCount: text,
  capDays: text,
  cooldownDays: text,
  quietStart: text,
  quietEnd: text,
  everyHours: text,
  maxPerRun: text,
  attributionDays: text,
  discountEnabled: flag,
  discountType: z.enum(["percentage", "fixed_amount"]).default("percentage"),
  discountValue: text,
  discountExpiresInDays: text,
  discountMinimumSubtotal: text,
  discountPrefix: text,
  offerEnabled: flag,
  offerTitle: text,
  offerText: text,
  /** Comma-separated. */
  addTags: text,
  removeTags: text,
  emailEnabled: flag,
  emailSubject: text,
  emailBody: text,
  flowTrigger: flag,
}) satisfies z.ZodType<RuleFormValues>;
