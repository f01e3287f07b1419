/**
 * An email step's discount in the flow editor: off by default; when on, its type, value,
 * minimum order and days, each checked as the merchant types, in plain words (the server
 * checks the same with the flow's schema).
 */
import { BlockStack, Checkbox, FormLayout, Select, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { NumberField } from "~/components/admin/NumberField";
import type { FlowStep } from "~/services/flows/flow-definition";
import { FIRST_OFFER } from "~/services/flows/flow-templates";
import { WholeNumberField } from "./FlowEditFields";

type EmailStep = Extract<FlowStep, { kind: "email" }>;
type StepDiscount = NonNullable<EmailStep["discount"]>;

/**
 * An amount box that keeps what the merchant typed ("5." on the way to "5.50") and reports the
 * number it reads: NaN for text that is no number, null for an empty box.
 */
function AmountField({
  id,
  label,
  value,
  suffix,
  helpText,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: number | null;
  suffix: string;
  helpText?: string;
  error?: string;
  onChange: (value: number | null) => void;
}) {
  const shown = value === null || Number.isNaN(value) ? "" : String(value);
  const [text, setText] = useState(shown);
  // A value changed from outside (discarded changes) replaces what was typed.
  useEffect(() => {
    setText((typed) => (readAmount(typed) === value ? typed : shown));
  }, [value, shown]);
  return (
    <NumberField
      id={id}
      label={label}
      value={text}
      suffix={suffix}
      helpText={helpText}
      error={error}
      autoComplete="off"
      onChange={(typed) => {
        setText(typed);
        onChange(readAmount(typed));
      }}
    />
  );
}

function readAmount(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : Number(trimmed);
}

export function DiscountFields({
  step,
  index,
  currency,
  onChange,
}: {
  step: EmailStep;
  index: number;
  currency: string;
  onChange: (step: EmailStep) => void;
}) {
  const { t } = useTranslation();
  const { discount } = step;
  const change = (changed: Partial<StepDiscount>) =>
    discount && onChange({ ...step, discount: { ...discount, ...changed } });
  const valueError = !discount
    ? undefined
    : !(discount.value > 0)
      ? t("flows.editor.discount.valuePositive")
      : discount.valueType === "percentage" && discount.value > 100
        ? t("flows.editor.discount.percentMax")
        : undefined;
  const minimumError =
    discount && discount.minimumSubtotal !== null && !(discount.minimumSubtotal > 0)
      ? t("flows.editor.discount.minimumPositive")
      : undefined;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("flows.editor.discount.title")}
      </Text>
      <Checkbox
        id={`step-${index}-discount`}
        label={t("flows.editor.discount.give")}
        helpText={t("flows.editor.discount.help")}
        checked={discount !== undefined}
        onChange={(on) => onChange({ ...step, discount: on ? FIRST_OFFER : undefined })}
      />
      {discount && (
        <FormLayout>
          <FormLayout.Group>
            <Select
              id={`step-${index}-discount-type`}
              label={t("flows.editor.discount.type")}
              options={[
                { label: t("flows.editor.discount.percentage"), value: "percentage" },
                {
                  label: t("flows.editor.discount.fixedAmount", { currency }),
                  value: "fixed_amount",
                },
              ]}
              value={discount.valueType}
              onChange={(valueType) =>
                change({ valueType: valueType as StepDiscount["valueType"] })
              }
            />
            <AmountField
              id={`step-${index}-discount-value`}
              label={t("flows.editor.discount.value")}
              value={discount.value}
              suffix={discount.valueType === "percentage" ? "%" : currency}
              error={valueError}
              onChange={(value) => change({ value: value ?? Number.NaN })}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <AmountField
              id={`step-${index}-discount-minimum`}
              label={t("flows.editor.discount.minimum")}
              value={discount.minimumSubtotal}
              suffix={currency}
              helpText={t("flows.editor.discount.minimumHelp")}
              error={minimumError}
              onChange={(minimumSubtotal) => change({ minimumSubtotal })}
            />
            <WholeNumberField
              id={`step-${index}-discount-days`}
              label={t("flows.editor.discount.days")}
              value={discount.expiresInDays}
              min={1}
              max={365}
              onChange={(expiresInDays) => change({ expiresInDays })}
            />
          </FormLayout.Group>
        </FormLayout>
      )}
    </BlockStack>
  );
}
