import { Link, useFetcher } from "@remix-run/react";
import {
  BlockStack,
  Card,
  ChoiceList,
  FormLayout,
  InlineError,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect } from "react";
import { LIFECYCLE_STAGES } from "~/services/winback/rule-config";
import type { RuleFormValues } from "~/services/winback/rule-form";
import { useValueLabels } from "../analytics/labels";
import { HOUR_OPTIONS, textField, type RuleFormSectionProps } from "./field-props";
import { useDebounced } from "~/components/use-debounced";

const TRIGGER_OPTIONS: Array<{ label: string; value: RuleFormValues["triggerKind"] }> = [
  { label: "Days since last order", value: "days_since_last_order" },
  { label: "Predicted next order is overdue", value: "next_order_overdue" },
  { label: "Abandoned checkout", value: "abandoned_checkout" },
  { label: "Enters a segment", value: "segment_entered" },
  { label: "Moves into a lifecycle stage", value: "stage_entered" },
];

function Heading({ children }: { children: string }) {
  return (
    <Text as="h2" variant="headingMd">
      {children}
    </Text>
  );
}

export function TriggerCard(
  props: RuleFormSectionProps & { segments: Array<{ id: string; name: string }> },
) {
  const stageName = useValueLabels();
  const { values, onChange, errors, segments } = props;
  const field = textField(props);
  const kind = values.triggerKind;
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>Trigger</Heading>
        <Select
          label="When"
          options={TRIGGER_OPTIONS}
          value={kind}
          onChange={(value) => onChange({ triggerKind: value as RuleFormValues["triggerKind"] })}
          error={errors.triggerKind}
        />
        {kind === "days_since_last_order" && (
          <TextField
            label="Days since last order"
            type="number"
            min={1}
            max={3650}
            helpText="Acts once per lapse: a customer who orders again and lapses again qualifies again."
            {...field("triggerDays")}
          />
        )}
        {kind === "next_order_overdue" && (
          <TextField
            label="Days past the predicted next order"
            type="number"
            min={0}
            max={365}
            helpText="The purchase model predicts when each repeat customer should order next; 0 acts on the day it passes."
            {...field("triggerDays")}
          />
        )}
        {kind === "abandoned_checkout" && (
          <TextField
            label="Hours since the checkout was left"
            type="number"
            min={1}
            max={168}
            helpText="Only checkouts not completed and not followed by an order."
            {...field("checkoutHours")}
          />
        )}
        {kind === "segment_entered" &&
          (segments.length === 0 ? (
            <BlockStack gap="100">
              <Text as="p" tone="subdued">
                You have no segments yet. <Link to="/app/segments">Create one</Link> first.
              </Text>
              {errors.segmentId && (
                <InlineError message={errors.segmentId} fieldID="rule-segment" />
              )}
            </BlockStack>
          ) : (
            <Select
              id="rule-segment"
              label="Segment"
              placeholder="Choose a segment"
              options={segments.map((segment) => ({ label: segment.name, value: segment.id }))}
              value={values.segmentId}
              onChange={(segmentId) => onChange({ segmentId })}
              error={errors.segmentId}
              helpText="Counts customers who enter it after the rule is started."
            />
          ))}
        {kind === "stage_entered" && (
          <ChoiceList
            title="Lifecycle stages"
            allowMultiple
            choices={LIFECYCLE_STAGES.map((stage) => ({
              label: stageName("lifecycleStages", stage),
              value: stage,
            }))}
            selected={values.stages}
            onChange={(stages) => onChange({ stages })}
            error={errors.stages}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/** The segment builder's live count, reused: how many customers the audience text matches. */
function AudienceCount({ text }: { text: string }) {
  const preview = useFetcher<{ ok: boolean; count?: number; error?: string }>();
  const debounced = useDebounced(text.trim(), 300);
  useEffect(() => {
    if (debounced) preview.load(`/app/segments/preview?q=${encodeURIComponent(debounced)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the text settles
  }, [debounced]);
  if (!debounced) {
    return (
      <Text as="p" tone="subdued">
        Everyone the trigger finds.
      </Text>
    );
  }
  const result = preview.data;
  if (!result) return null;
  return result.ok ? (
    <Text as="p" tone="subdued" id="rule-audience-count">
      {(result.count ?? 0).toLocaleString("en")} customers match the audience today (before the
      trigger).
    </Text>
  ) : (
    <InlineError message={result.error ?? "Not valid"} fieldID="rule-audience" />
  );
}

export function AudienceCard(props: RuleFormSectionProps) {
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>Audience</Heading>
        <TextField
          id="rule-audience"
          label="Only customers who match"
          multiline={2}
          monospaced
          placeholder="orders_count >= 2"
          helpText="Segment language, as on the Segments page, e.g. orders_count >= 2 AND total_spent > 100. Leave empty for everyone the trigger finds."
          {...field("audience")}
        />
        <AudienceCount text={props.values.audience} />
      </BlockStack>
    </Card>
  );
}

export function LimitsCard(props: RuleFormSectionProps) {
  const { values, onChange, errors } = props;
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>Limits & timing</Heading>
        <FormLayout>
          <TextField
            label="Holdout (%)"
            type="number"
            min={0}
            max={50}
            placeholder="10"
            helpText="This share of qualifying customers is held back, always the same ones, to measure what the rule changes. 0 turns measurement off."
            {...field("holdoutPercent")}
          />
          <FormLayout.Group>
            <TextField
              label="At most this many win-back contacts"
              type="number"
              min={1}
              max={20}
              placeholder="2"
              {...field("capCount")}
            />
            <TextField
              label="In this many days"
              type="number"
              min={1}
              max={365}
              placeholder="30"
              helpText="Counts contacts from every rule."
              {...field("capDays")}
            />
          </FormLayout.Group>
          <TextField
            label="Cool-down (days)"
            type="number"
            min={0}
            max={365}
            placeholder="30"
            helpText="After acting on a customer, this rule leaves them alone this long."
            {...field("cooldownDays")}
          />
          <FormLayout.Group>
            <Select
              label="Quiet hours from"
              options={HOUR_OPTIONS}
              value={values.quietStart}
              onChange={(quietStart) => onChange({ quietStart })}
              error={errors.quietStart}
            />
            <Select
              label="Until"
              options={HOUR_OPTIONS}
              value={values.quietEnd}
              onChange={(quietEnd) => onChange({ quietEnd })}
              error={errors.quietEnd}
              helpText="No run starts in these hours (your shop's time zone). The same hour twice means none."
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label="Run every (hours)"
              type="number"
              min={1}
              max={168}
              placeholder="24"
              {...field("everyHours")}
            />
            <TextField
              label="Most customers per run"
              type="number"
              min={1}
              max={50000}
              placeholder="10000"
              helpText="The most valuable go first; the rest wait for the next run."
              {...field("maxPerRun")}
            />
          </FormLayout.Group>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

export function AttributionCard(props: RuleFormSectionProps) {
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>Attribution</Heading>
        <TextField
          label="Attribution window (days)"
          type="number"
          min={1}
          max={90}
          placeholder="14"
          helpText="An order within this many days after a customer is chosen counts for the rule (an order with their code always does). The holdout is measured the same way."
          {...field("attributionDays")}
        />
      </BlockStack>
    </Card>
  );
}
