import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { PagedIndexTable } from "~/components/admin/PagedIndexTable";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useValueLabels } from "~/components/analytics/labels";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { customerListQuerySchema, listCustomers } from "~/services/analytics/customer-list.server";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import { RFM_SEGMENTS } from "~/services/analytics/models/rfm";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("nav.customers");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const query = customerListQuerySchema.parse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  return {
    page: await listCustomers(getDatabase().sql, shop.id, query),
    currency: shop.currency,
  };
};

/** Each sort the page offers, by its `sort:direction` value and the key of its name. */
const SORT_OPTIONS = [
  ["predicted_clv:desc", "customers.sortPredictedValue"],
  ["net_revenue:desc", "customers.sortNetRevenue"],
  ["orders_count:desc", "customers.sortOrders"],
  ["last_order_at:desc", "customers.sortLastOrderRecent"],
  ["last_order_at:asc", "customers.sortLastOrderOldest"],
  ["prob_alive:asc", "customers.sortStillActive"],
] as const;

export default function CustomersPage() {
  const { page, currency } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const [search, setSearch] = useState(page.query.q ?? "");
  const { t } = useTranslation();
  const formats = useFormats();
  const label = useValueLabels();
  const money = (amount: number) => formats.money(amount, currency);
  const { q, segment, stage } = page.query;
  const filtered = Boolean(q || segment || stage);
  const withParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    return `?${next.toString()}`;
  };
  const navigate = (changes: Record<string, string | undefined>) =>
    submit(new URLSearchParams(withParam(changes).slice(1)), { method: "get" });

  return (
    <Page>
      <PageTitleBar title={t("nav.customers")} />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          {t("customers.total", {
            count: page.total,
            formattedCount: formats.number(page.total),
          })}
        </Text>
        <Card>
          {/* Enter in the search box submits it with the current filters. */}
          <Form method="get">
            {(["segment", "stage", "sort", "direction"] as const).map((key) => (
              <input key={key} type="hidden" name={key} value={page.query[key] ?? ""} />
            ))}
            <InlineStack gap="300" wrap blockAlign="end">
              <div style={{ minWidth: 260 }}>
                <TextField
                  label={t("customers.search")}
                  name="q"
                  value={search}
                  onChange={setSearch}
                  autoComplete="off"
                  placeholder={t("customers.searchPlaceholder")}
                />
              </div>
              <Select
                label={t("segmentFields.rfm_segment")}
                helpText={t("customers.rfmHelp")}
                options={[
                  { label: t("customers.all"), value: "" },
                  ...RFM_SEGMENTS.map((key) => ({ label: label("rfmSegments", key), value: key })),
                ]}
                value={page.query.segment ?? ""}
                onChange={(value) => navigate({ segment: value || undefined })}
              />
              <Select
                label={t("segmentFields.lifecycle_stage")}
                options={[
                  { label: t("customers.all"), value: "" },
                  ...LIFECYCLE_STAGES.map((key) => ({
                    label: label("lifecycleStages", key),
                    value: key,
                  })),
                ]}
                value={page.query.stage ?? ""}
                onChange={(value) => navigate({ stage: value || undefined })}
              />
              <Select
                label={t("customers.sort")}
                options={SORT_OPTIONS.map(([value, key]) => ({ label: t(key), value }))}
                value={`${page.query.sort}:${page.query.direction}`}
                onChange={(value) => {
                  const [sort, direction] = value.split(":");
                  navigate({ sort, direction });
                }}
              />
            </InlineStack>
          </Form>
        </Card>
        <PagedIndexTable
          resourceName={{
            singular: t("customers.resourceSingular"),
            plural: t("customers.resourcePlural"),
          }}
          itemCount={page.rows.length}
          pagination={{
            hasPrevious: page.query.page > 1,
            hasNext: page.hasNext,
            onPrevious: () => navigate({ page: String(page.query.page - 1) }),
            onNext: () => navigate({ page: String(page.query.page + 1) }),
          }}
          emptyState={
            filtered ? (
              <EmptyState
                heading={t("customers.noMatchTitle")}
                action={{ content: t("customers.clearFilters"), url: "/app/customers" }}
                image=""
              >
                <p>{t("customers.noMatchText")}</p>
              </EmptyState>
            ) : (
              <EmptyState
                heading={t("customers.emptyTitle")}
                action={{ content: t("customers.emptyAction"), url: "/app/sync" }}
                image=""
              >
                <p>{t("customers.emptyText")}</p>
              </EmptyState>
            )
          }
          headings={[
            { title: t("titles.customer") },
            { title: t("dashboard.orders"), alignment: "end" },
            { title: t("segmentFields.net_revenue"), alignment: "end" },
            { title: t("segmentFields.last_order_at") },
            { title: t("reports.stage"), tooltipContent: t("customers.stageHelp") },
            {
              title: t("dashboard.stillActive"),
              alignment: "end",
              tooltipContent: t("customer.chanceStillActiveHelp"),
            },
            {
              title: t("customer.predictedValue"),
              alignment: "end",
              tooltipContent: t("customer.predictedValueHelp"),
            },
          ]}
        >
          {page.rows.map((row, index) => (
            <IndexTable.Row id={row.customerId} key={row.customerId} position={index}>
              <IndexTable.Cell>
                <BlockStack>
                  <Link to={`/app/customers/${row.customerId}`}>{row.name}</Link>
                  <Text as="span" tone="subdued">
                    {row.email ?? ""}
                  </Text>
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formats.number(row.ordersCount)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(row.netRevenue)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {row.lastOrderAt ? formats.date(row.lastOrderAt.slice(0, 10)) : "—"}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge>{label("lifecycleStages", row.lifecycleStage)}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {row.probAlive === null ? "—" : formats.percent(row.probAlive)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {row.predictedClv === null ? "—" : money(row.predictedClv)}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </PagedIndexTable>
      </BlockStack>
      <PageHelp page="customers" title={t("nav.customers")} />
    </Page>
  );
}
