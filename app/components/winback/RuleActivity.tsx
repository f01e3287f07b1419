import { Await, Link, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineStack,
  Pagination,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { Suspense } from "react";
import type { AuditEntry, RunSummary } from "~/services/winback/audit-log.server";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import {
  ACTION_STATUSES,
  ACTION_STATUS_TONES,
  actionName,
  actionStatusName,
  describeDetail,
} from "./rule-text";

export function RunsCard({ runs }: { runs: RunSummary[] }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const count = (counts: Record<string, number>, key: string) => formats.number(counts[key] ?? 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("ruleActivity.latestRuns")}
        </Text>
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("ruleActivity.noRuns")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={[
              "text",
              "text",
              "numeric",
              "numeric",
              "numeric",
              "numeric",
              "numeric",
              "numeric",
              "numeric",
            ]}
            headings={[
              t("ruleActivity.startedUtc"),
              t("customer.status"),
              t("ruleActivity.qualified"),
              t("ruleActivity.actedOn"),
              t("ruleActivity.heldBack"),
              t("dryRun.counts.alreadyActed"),
              t("dryRun.counts.coolingDown"),
              t("ruleActivity.atCap"),
              t("ruleActivity.overLimit"),
            ]}
            rows={runs.map((run) => [
              formats.utcDateTime(run.startedAt),
              run.status === "done"
                ? t("ruleActivity.doneAt", { when: formats.utcDateTime(run.finishedAt) })
                : run.status,
              count(run.counts, "qualified"),
              count(run.counts, "targeted"),
              count(run.counts, "heldOut"),
              count(run.counts, "alreadyActed"),
              count(run.counts, "coolingDown"),
              count(run.counts, "capped"),
              count(run.counts, "overLimit"),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/**
 * Every action the rule took, newest first, a page at a time; the URL holds page and filter.
 * The entries arrive streamed: the card sits at the bottom of the page, and the page paints
 * without waiting for its rows.
 */
export function AuditLogCard({
  actions,
  page,
  status,
}: {
  actions: Promise<{ entries: AuditEntry[]; hasNext: boolean }>;
  page: number;
  status: string | null;
}) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { t } = useTranslation();
  const formats = useFormats();
  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setSearchParams(next, { preventScrollReset: true });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("ruleActivity.auditLog")}
          </Text>
          <Select
            label={t("customer.status")}
            labelInline
            options={[
              { label: t("customers.all"), value: "" },
              ...ACTION_STATUSES.map((value) => ({
                label: actionStatusName(t, value),
                value,
              })),
            ]}
            value={status ?? ""}
            onChange={(value) => go({ status: value || null, page: null })}
          />
        </InlineStack>
        <Suspense fallback={<SkeletonBodyText lines={6} />}>
          <Await resolve={actions}>
            {({ entries, hasNext }) => (
              <>
                {entries.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {status
                      ? t("ruleActivity.noneWithStatus", { status: actionStatusName(t, status) })
                      : t("ruleActivity.noneYet")}
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text", "text"]}
                    headings={[
                      t("winbackCards.whenUtc"),
                      t("titles.customer"),
                      t("winbackCards.action"),
                      t("customer.status"),
                      t("ruleActivity.detail"),
                    ]}
                    rows={entries.map((entry) => [
                      formats.utcDateTime(entry.at),
                      <Link to={`/app/customers/${entry.customerId}`} key="customer">
                        {entry.customerName ?? t("dryRun.customerNumber", { id: entry.customerId })}
                      </Link>,
                      actionName(t, entry.kind),
                      <Badge tone={ACTION_STATUS_TONES[entry.status]} key="status">
                        {actionStatusName(t, entry.status)}
                      </Badge>,
                      describeDetail(t, formats, entry),
                    ])}
                  />
                )}
                <InlineStack align="center">
                  <Pagination
                    hasPrevious={page > 1}
                    hasNext={hasNext}
                    onPrevious={() => go({ page: page > 2 ? String(page - 1) : null })}
                    onNext={() => go({ page: String(page + 1) })}
                  />
                </InlineStack>
              </>
            )}
          </Await>
        </Suspense>
      </BlockStack>
    </Card>
  );
}
