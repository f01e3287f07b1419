import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormats, type Formats } from "~/i18n/format";
import { placeholdersInWords } from "~/components/email/placeholder-text";
import {
  checkoutDelayMinutes,
  waitMinutes,
  type FlowCondition,
  type FlowStep,
  type FlowTrigger,
} from "~/services/flows/flow-definition";
import { flowTextIn } from "~/services/email/templates/flow-template-texts";

/** A flow's trigger in the merchant's words. */
export function FlowTriggerText({ trigger }: { trigger: FlowTrigger }) {
  const { t } = useTranslation();
  switch (trigger.type) {
    case "customer_created":
      return <>{t("flows.trigger.customerCreated")}</>;
    case "checkout_abandoned":
      return trigger.afterMinutes ? (
        <>{t("flows.trigger.checkoutAbandonedMinutes", { count: checkoutDelayMinutes(trigger) })}</>
      ) : (
        <>{t("flows.trigger.checkoutAbandoned", { hours: trigger.afterHours })}</>
      );
    case "order_paid":
      return <>{t("flows.trigger.orderPaid", { days: trigger.afterDays })}</>;
    case "lifecycle_entered":
      return (
        <>{t("flows.trigger.lifecycleEntered", { stage: t(`lifecycleStages.${trigger.stage}`) })}</>
      );
    case "segment_entered":
      return <>{t("flows.trigger.segmentEntered")}</>;
    case "predicted_overdue":
      return (
        <>
          {t("flows.trigger.predictedOverdue", {
            percent: Math.round(trigger.maxProbAlive * 100),
          })}
        </>
      );
    case "browse_abandoned":
      return (
        <>{t("flows.trigger.browseAbandoned", { views: trigger.views, days: trigger.days })}</>
      );
  }
}

const branchText = (t: TFunction, target: "exit" | number) =>
  target === "exit" ? t("flows.step.toExit") : t("flows.step.toStep", { step: target + 1 });

/** One step in a line: what it does. */
function conditionKey(condition: FlowCondition): string {
  switch (condition.type) {
    case "ordered_since_entry":
      return "flows.step.ifOrdered";
    case "in_segment":
      return "flows.step.ifInSegment";
    case "engaged_with_flow":
      return condition.action === "opened" ? "flows.step.ifOpened" : "flows.step.ifClicked";
  }
}

/** A tag step names only the side it has: "Tags: add vip", not "…, remove —". */
function tagText(
  t: TFunction,
  formats: Formats,
  add: readonly string[],
  remove: readonly string[],
): string {
  const added = formats.list(add);
  const removed = formats.list(remove);
  if (!removed && added) return t("flows.step.tagAdd", { add: added });
  if (!added && removed) return t("flows.step.tagRemove", { remove: removed });
  return t("flows.step.tag", { add: added || "—", remove: removed || "—" });
}

export function FlowStepLine({ step }: { step: FlowStep }) {
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  switch (step.kind) {
    case "email":
      return (
        <>
          {t("flows.step.email", {
            subject: placeholdersInWords(t, flowTextIn(step.subject, i18n.language)),
          })}
        </>
      );
    case "wait":
      // A wait of whole days reads in days ("Wait 7 days", not "Wait 168 hours"), one with
      // minutes in minutes ("Wait 90 minutes").
      if (step.minutes) return <>{t("flows.step.waitMinutes", { count: waitMinutes(step) })}</>;
      return step.hours % 24 === 0 ? (
        <>{t("flows.step.waitDays", { count: step.hours / 24 })}</>
      ) : (
        <>{t("flows.step.waitHours", { count: step.hours })}</>
      );
    case "wait_until":
      return <>{t("flows.step.waitUntil", { time: formats.hourOfDay(step.hour, step.minute) })}</>;
    case "condition":
      return (
        <>
          {t(conditionKey(step.condition), {
            then: branchText(t, step.ifTrue),
            otherwise: branchText(t, step.ifFalse),
          })}
        </>
      );
    case "tag":
      return <>{tagText(t, formats, step.add, step.remove)}</>;
    case "shopify_flow":
      return <>{t("flows.step.shopifyFlow")}</>;
  }
}
