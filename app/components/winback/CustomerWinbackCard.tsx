import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { AuditEntry } from "~/services/winback/audit-log.server";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { ACTION_STATUS_TONES, actionName, actionStatusName } from "./rule-text";

/** The customer profile's view of win-back: what each rule did, and which held them back. */
export function CustomerWinbackCard({
  actions,
  heldBack,
}: {
  actions: AuditEntry[];
  heldBack: Array<{ ruleName: string; at: string }>;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("nav.winback")}
        </Text>
        {actions.length === 0 && heldBack.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("customerWinback.none")}
          </Text>
        ) : null}
        {actions.length > 0 && (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[
              t("winbackCards.rule"),
              t("winbackCards.action"),
              t("customer.status"),
              t("winbackCards.code"),
              t("winbackCards.whenUtc"),
            ]}
            rows={actions.map((entry) => [
              <Link to={`/app/winback/${entry.ruleId}`} key="rule">
                {entry.ruleName}
              </Link>,
              actionName(t, entry.kind),
              <Badge tone={ACTION_STATUS_TONES[entry.status]} key="status">
                {actionStatusName(t, entry.status)}
              </Badge>,
              typeof entry.detail.code === "string" ? entry.detail.code : "—",
              formats.utcDateTime(entry.at),
            ])}
          />
        )}
        {heldBack.length > 0 && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("customerWinback.heldBack")}
            </Text>
            {heldBack.map((held) => (
              <Text as="p" key={`${held.ruleName}-${held.at}`}>
                {held.ruleName}, {formats.utcDateTime(held.at)}
              </Text>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
