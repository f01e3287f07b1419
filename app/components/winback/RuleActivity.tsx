import { Link, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineStack,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import type { AuditEntry, RunSummary } from "~/services/winback/audit-log.server";
import {
  ACTION_LABELS,
  ACTION_STATUSES,
  ACTION_STATUS_LABELS,
  ACTION_STATUS_TONES,
  describeDetail,
  formatWhen,
} from "./rule-text";

const count = (counts: Record<string, number>, key: string) =>
  (counts[key] ?? 0).toLocaleString("en");

export function RunsCard({ runs }: { runs: RunSummary[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Latest runs
        </Text>
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            No runs yet. An active rule runs on its schedule, or straight away with Run now.
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
              "Started (UTC)",
              "Status",
              "Qualified",
              "Acted on",
              "Held back",
              "Already acted on",
              "Cooling down",
              "At cap",
              "Over limit",
            ]}
            rows={runs.map((run) => [
              formatWhen(run.startedAt),
              run.status === "done" ? `Done ${formatWhen(run.finishedAt)}` : run.status,
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

/** Every action the rule took, newest first, a page at a time; the URL holds page and filter. */
export function AuditLogCard({
  entries,
  hasNext,
  page,
  status,
}: {
  entries: AuditEntry[];
  hasNext: boolean;
  page: number;
  status: string | null;
}) {
  const [searchParams, setSearchParams] = useSearchParams();
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
            Audit log
          </Text>
          <Select
            label="Status"
            labelInline
            options={[
              { label: "All", value: "" },
              ...ACTION_STATUSES.map((value) => ({
                label: ACTION_STATUS_LABELS[value] ?? value,
                value,
              })),
            ]}
            value={status ?? ""}
            onChange={(value) => go({ status: value || null, page: null })}
          />
        </InlineStack>
        {entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {status
              ? `No actions with status “${ACTION_STATUS_LABELS[status] ?? status}”.`
              : "The rule has not acted on anyone yet."}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["When (UTC)", "Customer", "Action", "Status", "Detail"]}
            rows={entries.map((entry) => [
              formatWhen(entry.at),
              <Link to={`/app/customers/${entry.customerId}`} key="customer">
                {entry.customerName ?? `Customer ${entry.customerId}`}
              </Link>,
              ACTION_LABELS[entry.kind] ?? entry.kind,
              <Badge tone={ACTION_STATUS_TONES[entry.status]} key="status">
                {ACTION_STATUS_LABELS[entry.status] ?? entry.status}
              </Badge>,
              describeDetail(entry),
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
      </BlockStack>
    </Card>
  );
}
