import { NumberField } from "~/components/admin/NumberField";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { Link } from "@remix-run/react";
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
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import type { RuleFormValues } from "~/services/winback/rule-form";
import { useValueLabels } from "../analytics/labels";
import { textField, type RuleFormSectionProps } from "./field-props";
import { useSegmentPreview } from "~/components/segments/SegmentPreview";

const triggerOptions = (
  t: TFunction,
): Array<{ label: string; value: RuleFormValues["triggerKind"] }> => [
  { label: t("ruleForm.daysSinceLastOrder"), value: "days_since_last_order" },
  { label: t("ruleForm.nextOrderIsOverdue"), value: "next_order_overdue" },
  { label: t("ruleForm.abandonedCheckout"), value: "abandoned_checkout" },
  { label: t("ruleForm.browseAbandoned"), value: "browse_abandoned" },
  { label: t("ruleForm.entersASegment"), value: "segment_entered" },
  { label: t("ruleForm.movesIntoALifecycle"), value: "stage_entered" },
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
  const { t } = useTranslation();
  const stageName = useValueLabels();
  const { values, onChange, errors, segments } = props;
  const field = textField(props);
  const kind = values.triggerKind;
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>{t("ruleForm.trigger")}</Heading>
        <Select
          label={t("ruleForm.when")}
          options={triggerOptions(t)}
          value={kind}
          onChange={(value) => onChange({ triggerKind: value as RuleFormValues["triggerKind"] })}
          error={errors.triggerKind}
        />
        {kind === "days_since_last_order" && (
          <NumberField
            label={t("ruleForm.daysSinceLastOrder")}
            min={1}
            max={3650}
            helpText={t("ruleForm.actsOncePerLapse")}
            {...field("triggerDays")}
          />
        )}
        {kind === "next_order_overdue" && (
          <NumberField
            label={t("ruleForm.daysPastThePredicted")}
            min={0}
            max={365}
            helpText={t("ruleForm.thePurchaseModelPredicts")}
            {...field("triggerDays")}
          />
        )}
        {kind === "abandoned_checkout" && (
          <NumberField
            label={t("ruleForm.hoursSinceTheCheckout")}
            min={1}
            max={168}
            helpText={t("ruleForm.onlyCheckoutsNotCompleted")}
            {...field("checkoutHours")}
          />
        )}
        {kind === "browse_abandoned" && (
          <FormLayout>
            <FormLayout.Group>
              <NumberField
                label={t("ruleForm.timesViewed")}
                min={1}
                max={20}
                {...field("browseViews")}
              />
              <NumberField
                label={t("ruleForm.viewedWithinDays")}
                min={1}
                max={90}
                {...field("triggerDays")}
              />
            </FormLayout.Group>
            <Text as="p" tone="subdued">
              {t("ruleForm.browseAbandonedHelp")}
            </Text>
          </FormLayout>
        )}
        {kind === "segment_entered" &&
          (segments.length === 0 ? (
            <BlockStack gap="100">
              <Text as="p" tone="subdued">
                {t("ruleForm.noSegments")}{" "}
                <Link to="/app/segments">{t("ruleForm.createSegment")}</Link>
              </Text>
              {errors.segmentId && (
                <InlineError message={errors.segmentId} fieldID="rule-segment" />
              )}
            </BlockStack>
          ) : (
            <Select
              id="rule-segment"
              label={t("ruleForm.segment")}
              placeholder={t("ruleForm.chooseASegment")}
              options={segments.map((segment) => ({ label: segment.name, value: segment.id }))}
              value={values.segmentId}
              onChange={(segmentId) => onChange({ segmentId })}
              error={errors.segmentId}
              helpText={t("ruleForm.countsCustomersWhoEnter")}
            />
          ))}
        {kind === "stage_entered" && (
          <ChoiceList
            title={t("ruleForm.lifecycleStages")}
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
  const { t } = useTranslation();
  const formats = useFormats();
  const { preview, error } = useSegmentPreview(text);
  if (!text.trim()) {
    return (
      <Text as="p" tone="subdued">
        {t("ruleForm.everyone")}
      </Text>
    );
  }
  if (error) return <InlineError message={t(error.key, error.values)} fieldID="rule-audience" />;
  const data = preview.data?.ok ? preview.data : undefined;
  // Until the first count arrives an empty line holds its place, so the cards below stay put.
  return (
    <Text as="p" tone="subdued" id={data ? "rule-audience-count" : undefined}>
      {data
        ? t("ruleForm.audienceCount", {
            count: data.count,
            formattedCount: formats.number(data.count),
          })
        : "\u00a0"}
    </Text>
  );
}

export function AudienceCard(props: RuleFormSectionProps) {
  const { t } = useTranslation();
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>{t("ruleForm.audience")}</Heading>
        <TextField
          id="rule-audience"
          label={t("ruleForm.onlyCustomersWhoMatch")}
          multiline={2}
          monospaced
          placeholder="orders_count >= 2"
          helpText={t("ruleForm.segmentLanguageAsOn")}
          {...field("audience")}
        />
        <AudienceCount text={props.values.audience} />
      </BlockStack>
    </Card>
  );
}

export function LimitsCard(props: RuleFormSectionProps) {
  const { t } = useTranslation();
  const formats = useFormats();
  const { values, onChange, errors } = props;
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>{t("ruleForm.limitsTiming")}</Heading>
        <FormLayout>
          <NumberField
            label={t("ruleForm.holdout")}
            min={0}
            max={50}
            placeholder="10"
            helpText={t("ruleForm.thisShareOfQualifying")}
            {...field("holdoutPercent")}
          />
          <FormLayout.Group>
            <NumberField
              label={t("ruleForm.atMostThisMany")}
              min={1}
              max={20}
              placeholder="2"
              {...field("capCount")}
            />
            <NumberField
              label={t("ruleForm.inThisManyDays")}
              min={1}
              max={365}
              placeholder="30"
              helpText={t("ruleForm.countsContactsFromEvery")}
              {...field("capDays")}
            />
          </FormLayout.Group>
          <NumberField
            label={t("ruleForm.coolDownDays")}
            min={0}
            max={365}
            placeholder="30"
            helpText={t("ruleForm.afterActingOnA")}
            {...field("cooldownDays")}
          />
          <FormLayout.Group>
            <Select
              label={t("ruleForm.quietHoursFrom")}
              options={formats.hourOptions}
              value={values.quietStart}
              onChange={(quietStart) => onChange({ quietStart })}
              error={errors.quietStart}
            />
            <Select
              label={t("ruleForm.until")}
              options={formats.hourOptions}
              value={values.quietEnd}
              onChange={(quietEnd) => onChange({ quietEnd })}
              error={errors.quietEnd}
              helpText={t("ruleForm.noRunStartsIn")}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <NumberField
              label={t("ruleForm.runEveryHours")}
              min={1}
              max={168}
              placeholder="24"
              {...field("everyHours")}
            />
            <NumberField
              label={t("ruleForm.mostCustomersPerRun")}
              min={1}
              max={50000}
              placeholder="10000"
              helpText={t("ruleForm.theMostValuableGo")}
              {...field("maxPerRun")}
            />
          </FormLayout.Group>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

export function AttributionCard(props: RuleFormSectionProps) {
  const { t } = useTranslation();
  const field = textField(props);
  return (
    <Card>
      <BlockStack gap="300">
        <Heading>{t("ruleForm.attribution")}</Heading>
        <NumberField
          label={t("ruleForm.attributionWindowDays")}
          min={1}
          max={90}
          placeholder="14"
          helpText={t("ruleForm.anOrderWithinThis")}
          {...field("attributionDays")}
        />
      </BlockStack>
    </Card>
  );
}
