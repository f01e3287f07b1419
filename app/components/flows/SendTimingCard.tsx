import { NumberField } from "~/components/admin/NumberField";
import { Form, useNavigation } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  List,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type {
  SendTiming,
  SendTimingErrors,
} from "~/services/send-timing/send-timing-settings.server";

/** The saved settings in plain words: what a merchant's customers can expect. */
function SendTimingSummary({ saved }: { saved: SendTiming }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const lines = [
    saved.quietStart === saved.quietEnd
      ? t("sendTiming.summary.noQuietHours")
      : t("sendTiming.summary.quietHours", {
          start: formats.hourOfDay(saved.quietStart),
          end: formats.hourOfDay(saved.quietEnd),
        }),
    saved.capDays === 1
      ? t("sendTiming.summary.capPerDay", { max: saved.capCount })
      : t("sendTiming.summary.capPerDays", { max: saved.capCount, days: saved.capDays }),
    saved.optimizeSendTime
      ? t("sendTiming.summary.bestHour", { count: saved.maxDelayHours })
      : t("sendTiming.summary.asDue"),
  ];
  return (
    <List>
      {lines.map((line) => (
        <List.Item key={line}>{line}</List.Item>
      ))}
    </List>
  );
}

/** Quiet hours, the frequency cap and send-time optimisation, for all flows and win-back. */
export function SendTimingCard({
  saved,
  timeZone,
  errors,
}: {
  saved: SendTiming;
  timeZone: string;
  /** Message keys per field, from the last save. */
  errors: SendTimingErrors;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const busy = useNavigation().formData?.get("intent") === "sendTiming";
  const [values, setValues] = useState({
    quietStart: String(saved.quietStart),
    quietEnd: String(saved.quietEnd),
    capCount: String(saved.capCount),
    capDays: String(saved.capDays),
    maxDelayHours: String(saved.maxDelayHours),
    optimizeSendTime: saved.optimizeSendTime,
  });
  const set = (field: keyof typeof values) => (value: string | boolean) =>
    setValues((current) => ({ ...current, [field]: value }));
  const error = (field: keyof SendTimingErrors) => (errors[field] ? t(errors[field]) : undefined);
  const numberField = (field: "capCount" | "capDays" | "maxDelayHours", disabled = false) => (
    <NumberField
      label={t(`sendTiming.${field}`)}
      name={field}
      autoComplete="off"
      value={values[field]}
      onChange={set(field)}
      error={error(field)}
      disabled={disabled}
    />
  );
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="sendTiming" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("sendTiming.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sendTiming.intro")}
          </Text>
          <SendTimingSummary saved={saved} />
          <FormLayout>
            <FormLayout.Group condensed>
              <Select
                label={t("sendTiming.quietStart")}
                name="quietStart"
                options={formats.hourOptions}
                value={values.quietStart}
                onChange={set("quietStart")}
                error={error("quietStart")}
              />
              <Select
                label={t("sendTiming.quietEnd")}
                name="quietEnd"
                options={formats.hourOptions}
                value={values.quietEnd}
                onChange={set("quietEnd")}
                error={error("quietEnd")}
              />
            </FormLayout.Group>
            <Text as="p" tone="subdued" variant="bodySm">
              {t("sendTiming.quietHelp", { timeZone })}
            </Text>
            <FormLayout.Group condensed>
              {numberField("capCount")}
              {numberField("capDays")}
            </FormLayout.Group>
            <Text as="p" tone="subdued" variant="bodySm">
              {t("sendTiming.capHelp")}
            </Text>
            <Checkbox
              label={t("sendTiming.optimize")}
              name="optimizeSendTime"
              checked={values.optimizeSendTime}
              onChange={set("optimizeSendTime")}
              helpText={t("sendTiming.optimizeHelp")}
            />
            {numberField("maxDelayHours", !values.optimizeSendTime)}
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={busy}>
              {t("sendTiming.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
