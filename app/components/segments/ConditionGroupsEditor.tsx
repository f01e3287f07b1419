import { NumberField } from "~/components/admin/NumberField";
import { BlockStack, Box, Button, InlineStack, Select, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import {
  BUILDER_FIELDS,
  builderField,
  conditionFromRow,
  FIELD_CATEGORIES,
  rowForField,
  type BuilderField,
  type BuilderGroups,
  type ConditionGroup,
  type ConditionRow,
  type Match,
  type RowOperator,
} from "~/services/segments/builder-rows";
import { SegmentError, validateSegment } from "~/services/segments/language";
import { segmentErrorMessage, segmentErrorText } from "./error-message";
import { ValueInput, type ValueChoices } from "./ValueInput";

const DATE_OPERATOR_KEYS: Partial<Record<RowOperator, string>> = {
  eq: "segmentOperators.on",
  ne: "segmentOperators.notOn",
  gt: "segmentOperators.after",
  gte: "segmentOperators.onOrAfter",
  lt: "segmentOperators.before",
  lte: "segmentOperators.onOrBefore",
};

const PRODUCT_OPERATOR_KEYS: Partial<Record<RowOperator, string>> = {
  eq: "segmentOperators.bought",
  ne: "segmentOperators.notBought",
};

/** Purchase rows pick a product or a collection and may take a window in days. */
const isPurchase = (type: BuilderField["type"]) => type === "product" || type === "collection";

/** The operator in words: dates read "before/after", purchases "has bought". */
function operatorKey(type: BuilderField["type"], operator: RowOperator): string {
  const special =
    type === "date"
      ? DATE_OPERATOR_KEYS[operator]
      : isPurchase(type)
        ? PRODUCT_OPERATOR_KEYS[operator]
        : undefined;
  return special ?? `segmentOperators.${operator}`;
}

export const FIRST_ROW: ConditionRow = {
  field: "days_since_last_order",
  operator: "gt",
  value: "90",
};

/** The longest purchase window the rule language takes (a hundred years). */
const LONGEST_WINDOW_DAYS = 36_500;

/** A purchase window's problem in words: a whole number of days, or empty for any time. */
function windowError(t: TFunction, withinDays: string | undefined): string | undefined {
  const days = withinDays?.trim() ?? "";
  if (days === "") return undefined;
  return /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= LONGEST_WINDOW_DAYS
    ? undefined
    : t("segments.withinDaysInvalid");
}

/**
 * The row's value problem in words, checked as the rule would be when saved; undefined when
 * fine. A purchase window is checked on its own box (windowError).
 */
function useRowError() {
  const { t } = useTranslation();
  return (row: ConditionRow): string | undefined => {
    if (row.value.trim() === "") return t("segments.valueNeeded");
    try {
      validateSegment(conditionFromRow({ ...row, withinDays: undefined }));
      return undefined;
    } catch (error) {
      if (error instanceof SegmentError) return segmentErrorText(t, segmentErrorMessage(error));
      throw error;
    }
  };
}

function RowEditor(props: {
  row: ConditionRow;
  choices: ValueChoices;
  onChange: (row: ConditionRow) => void;
  onRemove: () => void;
}) {
  const { row, onChange } = props;
  const { t } = useTranslation();
  const field = builderField(row.field);
  const rowError = useRowError();
  return (
    <InlineStack gap="200" blockAlign="start" wrap>
      <Select
        label={t("segments.field")}
        labelHidden
        options={FIELD_CATEGORIES.map((category) => ({
          title: t(`segments.category.${category}`),
          options: BUILDER_FIELDS.filter((f) => f.category === category).map((f) => ({
            label: t(`segmentFields.${f.name}`),
            value: f.name,
          })),
        }))}
        value={row.field}
        onChange={(name) => onChange(rowForField(name, row))}
      />
      <Select
        label={t("segments.operator")}
        labelHidden
        options={field.operators.map((operator) => ({
          label: t(operatorKey(field.type, operator)),
          value: operator,
        }))}
        value={row.operator}
        onChange={(operator) => {
          const next = { ...row, operator: operator as RowOperator };
          // One fixed value is all `is` takes: keep the first of a list.
          if (field.values && (operator === "eq" || operator === "ne")) {
            next.value = row.value.split(",")[0]?.trim() || (field.values[0] ?? "");
          }
          onChange(next);
        }}
      />
      <div style={{ minWidth: 220, flex: 1 }}>
        <ValueInput
          field={field}
          row={row}
          choices={props.choices}
          error={rowError(row)}
          onChange={(value) => onChange({ ...row, value })}
        />
      </div>
      {isPurchase(field.type) && (
        <div style={{ width: 220 }}>
          <NumberField
            label={t("segments.withinDays")}
            labelHidden
            min={1}
            max={LONGEST_WINDOW_DAYS}
            step={1}
            autoComplete="off"
            prefix={t("segments.within")}
            suffix={t("segments.unitDays")}
            placeholder={t("segments.anyTime")}
            value={row.withinDays ?? ""}
            onChange={(withinDays) => onChange({ ...row, withinDays })}
            error={windowError(t, row.withinDays)}
          />
        </div>
      )}
      <Button onClick={props.onRemove} accessibilityLabel={t("segments.removeCondition")}>
        {t("common.remove")}
      </Button>
    </InlineStack>
  );
}

function MatchSelect(props: { label: string; value: Match; onChange: (match: Match) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={props.label}
      options={[
        { label: t("segments.matchAll"), value: "and" },
        { label: t("segments.matchAny"), value: "or" },
      ]}
      value={props.value}
      onChange={(value) => props.onChange(value as Match)}
    />
  );
}

/** Condition groups: rows joined by each group's all/any, groups joined by the rule's. */
/**
 * The rule's condition groups as rows. Memoised: a key press in the rule's text or the name
 * re-renders the page, and the rows (selects, pickers) would be most of that work.
 */
export const ConditionGroupsEditor = memo(function ConditionGroupsEditor(props: {
  value: BuilderGroups;
  choices: ValueChoices;
  onChange: (value: BuilderGroups) => void;
}) {
  const { value, onChange } = props;
  const { t } = useTranslation();
  const formats = useFormats();
  const setGroup = (index: number, group: ConditionGroup) =>
    onChange({ ...value, groups: value.groups.map((g, i) => (i === index ? group : g)) });
  const several = value.groups.length > 1;
  return (
    <BlockStack gap="300">
      {several && (
        <MatchSelect
          label={t("segments.groupsMatch")}
          value={value.match}
          onChange={(match) => onChange({ ...value, match })}
        />
      )}
      {value.groups.map((group, groupIndex) => (
        <Box
          key={groupIndex}
          padding="300"
          borderWidth="025"
          borderColor="border"
          borderRadius="200"
        >
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="end" gap="200">
              <Text as="h3" variant="headingSm">
                {t("segments.groupTitle", { number: formats.number(groupIndex + 1) })}
              </Text>
              {several && (
                <Button
                  variant="plain"
                  tone="critical"
                  onClick={() =>
                    onChange({ ...value, groups: value.groups.filter((_, i) => i !== groupIndex) })
                  }
                >
                  {t("segments.removeGroup")}
                </Button>
              )}
            </InlineStack>
            {group.rows.length > 1 && (
              <MatchSelect
                label={t("segments.rowsMatch")}
                value={group.match}
                onChange={(match) => setGroup(groupIndex, { ...group, match })}
              />
            )}
            {group.rows.map((row, rowIndex) => (
              <RowEditor
                key={rowIndex}
                row={row}
                choices={props.choices}
                onChange={(next) =>
                  setGroup(groupIndex, {
                    ...group,
                    rows: group.rows.map((r, i) => (i === rowIndex ? next : r)),
                  })
                }
                onRemove={() =>
                  setGroup(groupIndex, {
                    ...group,
                    rows: group.rows.filter((_, i) => i !== rowIndex),
                  })
                }
              />
            ))}
            <InlineStack>
              <Button
                onClick={() => setGroup(groupIndex, { ...group, rows: [...group.rows, FIRST_ROW] })}
              >
                {t("segments.addCondition")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Box>
      ))}
      <InlineStack>
        <Button
          onClick={() =>
            onChange({
              ...value,
              groups: [...value.groups, { match: "and", rows: [FIRST_ROW] }],
            })
          }
        >
          {t("segments.addGroup")}
        </Button>
      </InlineStack>
    </BlockStack>
  );
});
