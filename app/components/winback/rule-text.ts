/** How the win-back pages put rules, results and actions into words. Plain: safe in the browser. */
import type { TFunction } from "i18next";
import type { Formats } from "~/i18n/format";
import type { Message } from "~/i18n/message";
import { reasonText } from "~/i18n/reason-text";
import type { RuleStatus, RuleTrigger } from "~/services/winback/rule-config";

/** The lift figures the pages show (conversion-lift's Lift, as it arrives through loader data). */
export interface LiftView {
  difference: number;
  interval: { low: number; high: number };
  significant: boolean;
}

/** The page's translation and its names for stored keys (useTranslation, useValueLabels). */
export interface Words {
  t: TFunction;
  locale: string;
  stageName: (key: string) => string;
}

/** "60 days since last order", "Enters segment VIP". */
export function describeTrigger(
  { t, stageName }: Words,
  trigger: RuleTrigger,
  segmentName: (id: string) => string | undefined = () => undefined,
): string {
  switch (trigger.kind) {
    case "days_since_last_order":
      return t("winbackText.daysSinceLastOrder", { count: trigger.days });
    case "next_order_overdue":
      return trigger.days === 0
        ? t("winbackText.nextOrderOverdue")
        : t("winbackText.nextOrderDaysOverdue", { count: trigger.days });
    case "abandoned_checkout":
      return t("winbackText.checkoutAbandoned", { count: trigger.hours });
    case "browse_abandoned":
      return t("winbackText.browseAbandoned", { count: trigger.views, days: trigger.days });
    case "segment_entered":
      return t("winbackText.entersSegment", {
        segment: segmentName(trigger.segmentId) ?? `#${trigger.segmentId}`,
      });
    case "stage_entered":
      return t("winbackText.becomes", {
        stages: trigger.stages.map(stageName).join(t("winbackText.or")),
      });
  }
}

export const percent = (locale: string, rate: number, digits = 1) =>
  new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rate);

const points = (locale: string, rate: number) =>
  (rate * 100).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "+4.2 pts" and "(1.1 to 7.3)", for a table cell that puts them on two lines. */
export function liftParts(
  { t, locale }: Words,
  lift: LiftView,
): { difference: string; interval: string } {
  const sign = lift.difference > 0 ? "+" : "";
  return {
    difference: t("winbackText.points", { value: `${sign}${points(locale, lift.difference)}` }),
    interval: t("winbackText.interval", {
      low: points(locale, lift.interval.low),
      high: points(locale, lift.interval.high),
    }),
  };
}

/** "+4.2 pts (1.1 to 7.3)", or "not enough data" before both groups have customers. */
export function formatLift(words: Words, lift: LiftView | null): string {
  if (!lift) return words.t("winbackText.notEnoughData");
  const { difference, interval } = liftParts(words, lift);
  return `${difference} ${interval}`;
}

/** One sentence on whether the difference is more than chance, for a merchant. */
export function liftSentence({ t }: Words, lift: LiftView | null, holdoutPercent: number): string {
  if (!lift) {
    return holdoutPercent === 0 ? t("winbackText.liftNoHoldout") : t("winbackText.liftNoData");
  }
  if (!lift.significant) return t("winbackText.liftChance");
  return lift.difference > 0 ? t("winbackText.liftUp") : t("winbackText.liftDown");
}

export const STATUS_TONES = {
  draft: undefined,
  active: "success",
  paused: "attention",
} as const satisfies Record<RuleStatus, string | undefined>;

export const statusName = (t: TFunction, status: RuleStatus) => t(`winbackText.status.${status}`);

const ACTION_KINDS = ["discount", "offer", "tags", "email", "flow"];

/** "Discount code", "Storefront offer", … (an unknown kind as it is). */
export const actionName = (t: TFunction, kind: string) =>
  ACTION_KINDS.includes(kind) ? t(`winbackText.action.${kind}`) : kind;

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
export const actionStatusName = (t: TFunction, status: string) =>
  (ACTION_STATUSES as readonly string[]).includes(status)
    ? t(`winbackText.actionStatus.${status}`)
    : status;

export const ACTION_STATUS_TONES: Record<string, "success" | "critical" | "attention" | "info"> = {
  done: "success",
  failed: "critical",
  uncertain: "attention",
  retrying: "attention",
  pending: "info",
  sending: "info",
};

/** The useful part of an action's detail: its code, why it was skipped, or its error. */
export function describeDetail(
  t: TFunction,
  formats: Formats,
  entry: { detail: Record<string, unknown>; error: Message | null },
): string {
  const { detail } = entry;
  const parts: string[] = [];
  if (typeof detail.code === "string") parts.push(t("winbackText.code", { code: detail.code }));
  if (detail.reason) parts.push(reasonText(t, detail.reason));
  if (typeof detail.deferredUntil === "string") {
    parts.push(t("sendTiming.deferredUntil", { when: formats.utcDateTime(detail.deferredUntil) }));
  }
  if (Array.isArray(detail.added) && detail.added.length > 0) {
    parts.push(t("winbackText.added", { list: formats.list(detail.added) }));
  }
  if (Array.isArray(detail.removed) && detail.removed.length > 0) {
    parts.push(t("winbackText.removed", { list: formats.list(detail.removed) }));
  }
  if (entry.error) parts.push(reasonText(t, entry.error));
  return parts.join(" · ");
}
