import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { AuditEntry } from "~/services/winback/audit-log.server";
import { ACTION_LABELS, ACTION_STATUS_LABELS, ACTION_STATUS_TONES, formatWhen } from "./rule-text";

/** The customer profile's view of win-back: what each rule did, and which held them back. */
export function CustomerWinbackCard({
  actions,
  heldBack,
}: {
  actions: AuditEntry[];
  heldBack: Array<{ ruleName: string; at: string }>;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Win-back
        </Text>
        {actions.length === 0 && heldBack.length === 0 ? (
          <Text as="p" tone="subdued">
            No win-back rule has chosen this customer.
          </Text>
        ) : null}
        {actions.length > 0 && (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Rule", "Action", "Status", "Code", "When (UTC)"]}
            rows={actions.map((entry) => [
              <Link to={`/app/winback/${entry.ruleId}`} key="rule">
                {entry.ruleName}
              </Link>,
              ACTION_LABELS[entry.kind] ?? entry.kind,
              <Badge tone={ACTION_STATUS_TONES[entry.status]} key="status">
                {ACTION_STATUS_LABELS[entry.status] ?? entry.status}
              </Badge>,
              typeof entry.detail.code === "string" ? entry.detail.code : "—",
              formatWhen(entry.at),
            ])}
          />
        )}
        {heldBack.length > 0 && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Held back (control group)
            </Text>
            {heldBack.map((held) => (
              <Text as="p" key={`${held.ruleName}-${held.at}`}>
                {held.ruleName}, {formatWhen(held.at)}
              </Text>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
