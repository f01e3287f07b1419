/**
 * The flow editor's fields for a trigger's settings, a wait and a branch, each checked as the
 * merchant types, in plain words (the server checks the same with the flow's schemas).
 */
import { BlockStack, Button, InlineStack, Select } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { NumberField } from "~/components/admin/NumberField";
import {
  checkoutDelayMinutes,
  waitMinutes,
  type FlowCondition,
  type FlowStep,
  type FlowTrigger,
} from "~/services/flows/flow-definition";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";

/** A whole-number field with its range; a value out of range says so under the field. */
export function WholeNumberField({
  label,
  value,
  min,
  max,
  onChange,
  error,
  id,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  error?: string;
  id: string;
}) {
  const { t } = useTranslation();
  const inRange = Number.isInteger(value) && value >= min && value <= max;
  return (
    <NumberField
      label={label}
      min={min}
      max={max}
      value={Number.isNaN(value) ? "" : String(value)}
      onChange={(text) => onChange(text.trim() === "" ? Number.NaN : Number(text))}
      error={inRange ? error : t("flows.editor.wholeNumber", { min, max })}
      autoComplete="off"
      id={id}
    />
  );
}

/** The settings of a flow's trigger the merchant can change (its kind stays). */
export function TriggerFields({
  trigger,
  onChange,
}: {
  trigger: FlowTrigger;
  onChange: (trigger: FlowTrigger) => void;
}) {
  const { t } = useTranslation();
  switch (trigger.type) {
    case "checkout_abandoned": {
      const tooSoon =
        checkoutDelayMinutes(trigger) < 1 ? t("flows.editor.checkoutTooSoon") : undefined;
      return (
        <InlineStack gap="300">
          <WholeNumberField
            id="trigger-after-hours"
            label={t("flows.editor.afterHours")}
            value={trigger.afterHours}
            min={0}
            max={24 * 14}
            onChange={(afterHours) => onChange({ ...trigger, afterHours })}
            error={tooSoon}
          />
          <WholeNumberField
            id="trigger-after-minutes"
            label={t("flows.editor.afterMinutes")}
            value={trigger.afterMinutes ?? 0}
            min={0}
            max={59}
            onChange={(afterMinutes) => onChange({ ...trigger, afterMinutes })}
          />
        </InlineStack>
      );
    }
    case "order_paid":
      return (
        <WholeNumberField
          id="trigger-after-days"
          label={t("flows.editor.afterDays")}
          value={trigger.afterDays}
          min={0}
          max={365}
          onChange={(afterDays) => onChange({ ...trigger, afterDays })}
        />
      );
    case "browse_abandoned":
      return (
        <InlineStack gap="300">
          <WholeNumberField
            id="trigger-views"
            label={t("flows.editor.views")}
            value={trigger.views}
            min={1}
            max={20}
            onChange={(views) => onChange({ ...trigger, views })}
          />
          <WholeNumberField
            id="trigger-days"
            label={t("flows.editor.viewDays")}
            value={trigger.days}
            min={1}
            max={90}
            onChange={(days) => onChange({ ...trigger, days })}
          />
        </InlineStack>
      );
    case "predicted_overdue":
      return (
        <WholeNumberField
          id="trigger-prob-alive"
          label={t("flows.editor.maxProbAlive")}
          value={Math.round(trigger.maxProbAlive * 100)}
          min={1}
          max={100}
          onChange={(percent) => onChange({ ...trigger, maxProbAlive: percent / 100 })}
        />
      );
    case "lifecycle_entered":
      return (
        <Select
          id="trigger-stage"
          label={t("flows.editor.stage")}
          options={LIFECYCLE_STAGES.map((stage) => ({
            value: stage,
            label: t(`lifecycleStages.${stage}`),
          }))}
          value={trigger.stage}
          onChange={(stage) =>
            onChange({ ...trigger, stage: stage as (typeof LIFECYCLE_STAGES)[number] })
          }
        />
      );
    case "customer_created":
    case "segment_entered":
      return null;
  }
}

/** A wait in hours and minutes. */
export function WaitFields({
  step,
  index,
  onChange,
}: {
  step: Extract<FlowStep, { kind: "wait" }>;
  index: number;
  onChange: (step: FlowStep) => void;
}) {
  const { t } = useTranslation();
  const tooShort = waitMinutes(step) < 1 ? t("flows.editor.waitTooShort") : undefined;
  return (
    <InlineStack gap="300">
      <WholeNumberField
        id={`wait-${index}`}
        label={t("flows.editor.hours")}
        value={step.hours}
        min={0}
        max={24 * 90}
        onChange={(hours) => onChange({ ...step, hours })}
        error={tooShort}
      />
      <WholeNumberField
        id={`wait-minutes-${index}`}
        label={t("flows.editor.minutes")}
        value={step.minutes ?? 0}
        min={0}
        max={59}
        onChange={(minutes) => onChange({ ...step, minutes })}
      />
    </InlineStack>
  );
}

/** The shop-clock time a wait-until step waits for: its hour and minute. */
export function WaitUntilFields({
  step,
  index,
  onChange,
}: {
  step: Extract<FlowStep, { kind: "wait_until" }>;
  index: number;
  onChange: (step: FlowStep) => void;
}) {
  const { t } = useTranslation();
  return (
    <InlineStack gap="300">
      <WholeNumberField
        id={`wait-until-hour-${index}`}
        label={t("flows.editor.untilHour")}
        value={step.hour}
        min={0}
        max={23}
        onChange={(hour) => onChange({ ...step, hour })}
      />
      <WholeNumberField
        id={`wait-until-minute-${index}`}
        label={t("flows.editor.untilMinute")}
        value={step.minute ?? 0}
        min={0}
        max={59}
        onChange={(minute) => onChange({ ...step, minute })}
      />
    </InlineStack>
  );
}

/** The tests a merchant can pick for a branch here (a segment test is kept as it was set). */
const BRANCH_TESTS = {
  ordered: { type: "ordered_since_entry" },
  opened: { type: "engaged_with_flow", action: "opened" },
  clicked: { type: "engaged_with_flow", action: "clicked" },
} as const satisfies Record<string, FlowCondition>;

type BranchTest = keyof typeof BRANCH_TESTS;

function branchTestOf(condition: FlowCondition): BranchTest | null {
  if (condition.type === "ordered_since_entry") return "ordered";
  if (condition.type === "engaged_with_flow") return condition.action;
  return null;
}

/** A branch: its test, where yes and no go, and a way to remove it. */
export function ConditionFields({
  step,
  index,
  stepCount,
  onChange,
  onRemove,
}: {
  step: Extract<FlowStep, { kind: "condition" }>;
  index: number;
  stepCount: number;
  onChange: (step: FlowStep) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const test = branchTestOf(step.condition);
  const targets = [
    { value: "exit", label: t("flows.step.toExit") },
    ...Array.from({ length: stepCount - index - 1 }, (_, offset) => ({
      value: String(index + 1 + offset),
      label: t("flows.step.toStep", { step: index + 2 + offset }),
    })),
  ];
  const target = (value: string) => (value === "exit" ? ("exit" as const) : Number(value));
  return (
    <BlockStack gap="200">
      {test && (
        <Select
          id={`condition-${index}`}
          label={t("flows.editor.condition")}
          options={[
            { value: "ordered", label: t("flows.editor.conditionOrdered") },
            { value: "opened", label: t("flows.editor.conditionOpened") },
            { value: "clicked", label: t("flows.editor.conditionClicked") },
          ]}
          value={test}
          onChange={(chosen) =>
            onChange({ ...step, condition: BRANCH_TESTS[chosen as BranchTest] })
          }
        />
      )}
      <InlineStack gap="300">
        <Select
          id={`condition-yes-${index}`}
          label={t("flows.editor.ifTrue")}
          options={targets}
          value={String(step.ifTrue)}
          onChange={(value) => onChange({ ...step, ifTrue: target(value) })}
        />
        <Select
          id={`condition-no-${index}`}
          label={t("flows.editor.ifFalse")}
          options={targets}
          value={String(step.ifFalse)}
          onChange={(value) => onChange({ ...step, ifFalse: target(value) })}
        />
      </InlineStack>
      <div>
        <Button onClick={onRemove}>{t("flows.editor.removeBranch")}</Button>
      </div>
    </BlockStack>
  );
}

/** The new branch's test until the merchant picks another: the one the editor could not add. */
export const NEW_BRANCH_CONDITION: FlowCondition = BRANCH_TESTS.clicked;
