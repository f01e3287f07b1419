import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { ActionKind, DryRunRow, PlanCounts } from "~/services/winback/plan-run.server";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { useValueLabels } from "../analytics/labels";
import { actionName } from "./rule-text";

export interface DryRunResult {
  counts: PlanCounts;
  actionKinds: ActionKind[];
  sample: DryRunRow[];
}

/** Each count the dry run shows; its name is dryRun.counts.<key>. */
const COUNTS: Array<keyof PlanCounts> = [
  "qualified",
  "targeted",
  "heldOut",
  "alreadyActed",
  "coolingDown",
  "capped",
  "overLimit",
];

/** What a run now would do with the form as it stands; nothing was saved or sent. */
export function DryRunCard({ result, saved }: { result: DryRunResult; saved: boolean }) {
  const emails = result.actionKinds.includes("email");
  const { t } = useTranslation();
  const formats = useFormats();
  const label = useValueLabels();
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("dryRun.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("dryRun.description")}
            {saved ? "" : ` ${t("dryRun.unsavedHoldout")}`}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 2, sm: 4 }} gap="300">
          {COUNTS.map((key) => (
            <BlockStack gap="050" key={key}>
              <Text as="span" tone="subdued">
                {t(`dryRun.counts.${key}`)}
              </Text>
              <Text as="span" variant="headingMd" id={`dry-run-${key}`}>
                {formats.number(result.counts[key])}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        <Text as="p">
          {t("dryRun.actions", {
            actions:
              formats.list(result.actionKinds.map((kind) => actionName(t, kind))) ||
              t("dryRun.none"),
          })}
        </Text>
        {result.sample.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("dryRun.nobody")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[
              t("titles.customer"),
              t("reports.stage"),
              t("dryRun.group"),
              t("winbackText.action.discount"),
              t("winbackText.action.email"),
            ]}
            rows={result.sample.map((row) => [
              <Link to={`/app/customers/${row.customerId}`} key="name">
                {row.name ?? t("dryRun.customerNumber", { id: row.customerId })}
              </Link>,
              label("lifecycleStages", row.lifecycleStage),
              row.group === "holdout" ? (
                <Badge key="group">{t("dryRun.holdout")}</Badge>
              ) : (
                <Badge key="group" tone="success">
                  {t("winbackCards.action")}
                </Badge>
              ),
              row.discountCode ?? "—",
              !emails || row.group === "holdout"
                ? "—"
                : row.emailable
                  ? t("dryRun.wouldSend")
                  : t("dryRun.noConsent"),
            ])}
            footerContent={
              result.sample.length < result.counts.targeted + result.counts.heldOut
                ? t("dryRun.firstOf", { count: result.sample.length })
                : undefined
            }
          />
        )}
      </BlockStack>
    </Card>
  );
}
