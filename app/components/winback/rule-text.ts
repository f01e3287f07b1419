/** How the win-back pages put rules, results and actions into words. Plain: safe in the browser. */
import type { RuleStatus, RuleTrigger } from "~/services/winback/rule-config";
import { STAGE_LABELS, label } from "../analytics/labels";

/** The lift figures the pages show (conversion-lift's Lift, as it arrives through loader data). */
export interface LiftView {
  difference: number;
  interval: { low: number; high: number };
  significant: boolean;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

/** "60 days since last order", "Enters segment VIP". */
export function describeTrigger(
  trigger: RuleTrigger,
  segmentName: (id: string) => string | undefined = () => undefined,
): string {
  switch (trigger.kind) {
    case "days_since_last_order":
      return `${plural(trigger.days, "day")} since last order`;
    case "next_order_overdue":
      return trigger.days === 0
        ? "Next order overdue"
        : `Next order ${plural(trigger.days, "day")} overdue`;
    case "abandoned_checkout":
      return `Checkout abandoned for ${plural(trigger.hours, "hour")}`;
    case "segment_entered":
      return `Enters segment ${segmentName(trigger.segmentId) ?? `#${trigger.segmentId}`}`;
    case "stage_entered":
      return `Becomes ${trigger.stages.map((stage) => label(STAGE_LABELS, stage)).join(" or ")}`;
  }
}

export const percent = (rate: number, digits = 1) => `${(rate * 100).toFixed(digits)}%`;

const points = (rate: number) => (rate * 100).toFixed(1);

/** "+4.2 pts" and "(1.1 to 7.3)", for a table cell that puts them on two lines. */
export function liftParts(lift: LiftView): { difference: string; interval: string } {
  const sign = lift.difference > 0 ? "+" : "";
  return {
    difference: `${sign}${points(lift.difference)} pts`,
    interval: `(${points(lift.interval.low)} to ${points(lift.interval.high)})`,
  };
}

/** "+4.2 pts (1.1 to 7.3)", or "not enough data" before both groups have customers. */
export function formatLift(lift: LiftView | null): string {
  if (!lift) return "not enough data";
  const { difference, interval } = liftParts(lift);
  return `${difference} ${interval}`;
}

/** One sentence on whether the difference is more than chance, for a merchant. */
export function liftSentence(lift: LiftView | null, holdoutPercent: number): string {
  if (!lift) {
    return holdoutPercent === 0
      ? "This rule holds nobody back, so there is nothing to compare with: set a holdout share to measure what it changes."
      : "Not enough data yet: the rule needs customers in both the treated group and the holdout.";
  }
  if (!lift.significant) {
    return "The difference could be chance: the 95% interval includes zero. Give the rule more customers before judging it.";
  }
  return lift.difference > 0
    ? "Customers the rule acted on bought more often than the holdout, and the 95% interval is above zero: the rule is very likely bringing customers back."
    : "Customers the rule acted on bought less often than the holdout, and the 95% interval is below zero: the rule is very likely putting customers off.";
}

export const STATUS_LABELS: Record<RuleStatus, string> = {
  draft: "Draft",
  active: "Active",
  paused: "Paused",
};

export const STATUS_TONES = {
  draft: undefined,
  active: "success",
  paused: "attention",
} as const satisfies Record<RuleStatus, string | undefined>;

export const ACTION_LABELS: Record<string, string> = {
  discount: "Discount code",
  offer: "Storefront offer",
  tags: "Tags",
  email: "Email",
  flow: "Flow trigger",
};

export const ACTION_STATUSES = [
  "pending",
  "sending",
  "retrying",
  "done",
  "skipped",
  "failed",
  "uncertain",
] as const;

/** What each action status means to a merchant. */
export const ACTION_STATUS_LABELS: Record<string, string> = {
  pending: "Waiting",
  sending: "In progress",
  retrying: "Retrying",
  done: "Done",
  skipped: "Skipped",
  failed: "Failed",
  uncertain: "May have gone out",
};

export const ACTION_STATUS_TONES: Record<string, "success" | "critical" | "attention" | "info"> = {
  done: "success",
  failed: "critical",
  uncertain: "attention",
  retrying: "attention",
  pending: "info",
  sending: "info",
};

/** The useful part of an action's detail: its code, why it was skipped, or its error. */
export function describeDetail(entry: {
  detail: Record<string, unknown>;
  error: string | null;
}): string {
  const { detail } = entry;
  const parts: string[] = [];
  if (typeof detail.code === "string") parts.push(`Code ${detail.code}`);
  if (typeof detail.reason === "string") parts.push(detail.reason);
  if (Array.isArray(detail.added) && detail.added.length > 0) {
    parts.push(`Added ${detail.added.join(", ")}`);
  }
  if (Array.isArray(detail.removed) && detail.removed.length > 0) {
    parts.push(`Removed ${detail.removed.join(", ")}`);
  }
  if (typeof detail.messageId === "string") parts.push(`Message ${detail.messageId}`);
  if (entry.error) parts.push(entry.error);
  return parts.join(" · ");
}

/** "2026-11-20 15:04" in UTC, as the audit log is stored. */
export const formatWhen = (iso: string | null) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "—";
