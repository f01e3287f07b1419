import { NumberField } from "~/components/admin/NumberField";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ATTRIBUTION_DAYS } from "~/services/email/tracking/attribution-days";

/**
 * How many days after a click or an open an order still counts for the email (the email
 * settings page's own small form, saved on its own).
 */
export function AttributionWindowCard({ days }: { days: number }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ intent: "attribution"; ok: boolean }>();
  const [value, setValue] = useState(String(days));
  const number = Number(value);
  const valid =
    Number.isInteger(number) && number >= ATTRIBUTION_DAYS.min && number <= ATTRIBUTION_DAYS.max;
  return (
    <Card>
      <BlockStack gap="300">
        <NumberField
          label={t("emailSettings.attribution.days")}
          min={ATTRIBUTION_DAYS.min}
          max={ATTRIBUTION_DAYS.max}
          value={value}
          onChange={setValue}
          error={valid ? undefined : t("emailSettings.attribution.range")}
          helpText={t("emailSettings.attribution.help")}
          autoComplete="off"
        />
        <InlineStack gap="300" blockAlign="center">
          <Button
            disabled={!valid || number === days}
            loading={fetcher.state !== "idle"}
            onClick={() =>
              fetcher.submit({ intent: "attribution", days: value }, { method: "post" })
            }
          >
            {t("emailSettings.attribution.save")}
          </Button>
          {fetcher.state === "idle" && fetcher.data?.ok && (
            <Text as="span" tone="success">
              {t("emailSettings.attribution.saved")}
            </Text>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
