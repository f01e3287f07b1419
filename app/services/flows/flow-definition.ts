/**
 * What a messaging flow is made of, validated wherever it is read or written: the trigger that
 * lets a customer in, and the ordered steps each customer goes through. Pure and browser-safe:
 * the admin editor validates with the same schemas.
 */
import { z } from "zod";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import { discountTermsSchema } from "~/services/winback/rule-config";

export const flowTriggerSchema = z.discriminatedUnion("type", [
  /** A new customer account (welcome). */
  z.object({ type: z.literal("customer_created") }),
  /**
   * A checkout with no order `afterHours` and `afterMinutes` after its last update (at least one
   * minute in all, see flowTriggerDelayProblem).
   */
  z.object({
    type: z.literal("checkout_abandoned"),
    afterHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 14),
    afterMinutes: z.number().int().min(0).max(59).optional(),
  }),
  /** `afterDays` after a paid order (post-purchase cross-sell). */
  z.object({ type: z.literal("order_paid"), afterDays: z.number().int().min(0).max(365) }),
  /** A move into a lifecycle stage (win-back: into at_risk or lapsed). */
  z.object({ type: z.literal("lifecycle_entered"), stage: z.enum(LIFECYCLE_STAGES) }),
  /** An entry into one of the shop's segments. */
  z.object({ type: z.literal("segment_entered"), segmentId: z.string().regex(/^\d+$/) }),
  /**
   * The BG/NBD model's expected next order has passed and the customer's chance of still being
   * a customer (P(alive)) has fallen below `maxProbAlive`.
   */
  z.object({
    type: z.literal("predicted_overdue"),
    maxProbAlive: z.number().gt(0).max(1),
  }),
  /**
   * Browse abandonment (web pixel): a product viewed `views` times within `days` days, neither
   * added to the cart nor bought since, by a customer who allowed marketing.
   */
  z.object({
    type: z.literal("browse_abandoned"),
    views: z.number().int().min(1).max(20),
    days: z.number().int().min(1).max(90),
  }),
]);

export type FlowTrigger = z.infer<typeof flowTriggerSchema>;
export type FlowTriggerType = FlowTrigger["type"];

const tagList = z.array(z.string().trim().min(1).max(40)).max(10);

/** A branch's test, made when the customer reaches the step. */
export const flowConditionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ordered_since_entry") }),
  z.object({ type: z.literal("in_segment"), segmentId: z.string().regex(/^\d+$/) }),
  /** Opened (unreliable) or clicked an email this flow sent them since they entered. */
  z.object({ type: z.literal("engaged_with_flow"), action: z.enum(["opened", "clicked"]) }),
]);

export type FlowCondition = z.infer<typeof flowConditionSchema>;

/** Where a branch goes: a later step's position, or "exit" (the customer leaves the flow). */
const branchTarget = z.union([z.literal("exit"), z.number().int().min(1)]);

const emailSubject = z.string().trim().min(1).max(150);
const emailBody = z.string().trim().min(1).max(10_000);

export const flowStepSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("email"),
    subject: emailSubject,
    body: emailBody,
    /** An A/B test: half the customers (sticky per customer) get this subject and text. */
    variantB: z.object({ subject: emailSubject, body: emailBody }).optional(),
    /**
     * A single-use code for each customer, made when their email goes out and shown in its
     * discount block (flow-discount.server.ts).
     */
    discount: discountTermsSchema.optional(),
  }),
  /** `hours` and `minutes` (sub-hour waits), at least one minute in all. */
  z.object({
    kind: z.literal("wait"),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 90),
    minutes: z.number().int().min(0).max(59).optional(),
  }),
  /** Until the next time the shop's clock shows this hour (0-23) and minute (0-59). */
  z.object({
    kind: z.literal("wait_until"),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).optional(),
  }),
  z.object({
    kind: z.literal("condition"),
    condition: flowConditionSchema,
    ifTrue: branchTarget,
    ifFalse: branchTarget,
  }),
  z.object({ kind: z.literal("tag"), add: tagList, remove: tagList }),
  z.object({ kind: z.literal("shopify_flow") }),
]);

export type FlowStep = z.infer<typeof flowStepSchema>;
export type FlowStepKind = FlowStep["kind"];

/** A flow's steps: a branch may only jump forward, so every customer's path ends. */
export const flowStepsSchema = z
  .array(flowStepSchema)
  .min(1)
  .max(20)
  .superRefine((steps, context) => {
    steps.forEach((step, index) => {
      if (step.kind === "wait" && waitMinutes(step) < 1) {
        context.addIssue({
          code: "custom",
          path: [index],
          message: "a wait must be a minute or more",
        });
      }
      if (step.kind !== "condition") return;
      for (const target of [step.ifTrue, step.ifFalse]) {
        if (target !== "exit" && (target <= index || target >= steps.length)) {
          context.addIssue({
            code: "custom",
            path: [index],
            message: "a branch must go to a later step or exit",
          });
        }
      }
    });
  });

/** A wait step's length in minutes. */
export function waitMinutes(step: { hours: number; minutes?: number }): number {
  return step.hours * 60 + (step.minutes ?? 0);
}

/** How long after a checkout's last update it counts as abandoned, in minutes. */
export function checkoutDelayMinutes(trigger: { afterHours: number; afterMinutes?: number }) {
  return trigger.afterHours * 60 + (trigger.afterMinutes ?? 0);
}

/** A trigger whose settings parse but cannot be used: a checkout abandoned after no time. */
export const flowTriggerCheckedSchema = flowTriggerSchema.refine(
  (trigger) => trigger.type !== "checkout_abandoned" || checkoutDelayMinutes(trigger) >= 1,
  { message: "a checkout counts as abandoned a minute or more after its last update" },
);

/** The position after a step: a branch picks its target, every other step goes to the next. */
export function nextStepIndex(steps: readonly FlowStep[], index: number, branch?: boolean) {
  const step = steps[index];
  if (step?.kind === "condition" && branch !== undefined) {
    const target = branch ? step.ifTrue : step.ifFalse;
    return target === "exit" ? null : target;
  }
  return index + 1 < steps.length ? index + 1 : null;
}

/**
 * Inserts a branch before the step at `index`: customers who pass its test go on to that step,
 * the others leave. Earlier branches that pointed at or past `index` keep pointing at the same
 * steps.
 */
export function insertBranch(
  steps: readonly FlowStep[],
  index: number,
  condition: FlowCondition,
): FlowStep[] {
  const shifted = steps.map((step) =>
    step.kind === "condition"
      ? {
          ...step,
          ifTrue: shiftTarget(step.ifTrue, index, 1),
          ifFalse: shiftTarget(step.ifFalse, index, 1),
        }
      : step,
  );
  const branch: FlowStep = { kind: "condition", condition, ifTrue: index + 1, ifFalse: "exit" };
  return [...shifted.slice(0, index), branch, ...shifted.slice(index)];
}

/** Removes the branch at `index`; branches that went to it go to the step that followed it. */
export function removeBranch(steps: readonly FlowStep[], index: number): FlowStep[] {
  const rest = steps.filter((_, at) => at !== index);
  return rest.map((step) => {
    if (step.kind !== "condition") return step;
    const retarget = (target: BranchTarget): BranchTarget => {
      const moved = shiftTarget(target, index + 1, -1);
      return moved !== "exit" && moved >= rest.length ? "exit" : moved;
    };
    return { ...step, ifTrue: retarget(step.ifTrue), ifFalse: retarget(step.ifFalse) };
  });
}

type BranchTarget = z.infer<typeof branchTarget>;

function shiftTarget(target: BranchTarget, from: number, by: number): BranchTarget {
  return target !== "exit" && target >= from ? target + by : target;
}
