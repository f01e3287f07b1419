import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { SEGMENT_LABELS, STAGE_LABELS, label } from "~/components/analytics/labels";
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

const SORT_OPTIONS = [
  { label: "Predicted value (high first)", value: "predicted_clv:desc" },
  { label: "Net revenue (high first)", value: "net_revenue:desc" },
  { label: "Orders (most first)", value: "orders_count:desc" },
  { label: "Last order (recent first)", value: "last_order_at:desc" },
  { label: "Last order (oldest first)", value: "last_order_at:asc" },
  { label: "Chance still active (lowest first)", value: "prob_alive:asc" },
];

export default function CustomersPage() {
  const { page, currency } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const [search, setSearch] = useState(page.query.q ?? "");
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
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
    <Page title="Customers" subtitle={`${page.total.toLocaleString("en")} customers`}>
      <BlockStack gap="400">
        <Card>
          {/* Enter in the search box submits it with the current filters. */}
          <Form method="get">
            {(["segment", "stage", "sort", "direction"] as const).map((key) => (
              <input key={key} type="hidden" name={key} value={page.query[key] ?? ""} />
            ))}
            <InlineStack gap="300" wrap blockAlign="end">
              <div style={{ minWidth: 260 }}>
                <TextField
                  label="Search"
                  name="q"
                  value={search}
                  onChange={setSearch}
                  autoComplete="off"
                  placeholder="Name or email, then Enter"
                />
              </div>
              <Select
                label="RFM segment"
                options={[
                  { label: "All", value: "" },
                  ...RFM_SEGMENTS.map((key) => ({ label: label(SEGMENT_LABELS, key), value: key })),
                ]}
                value={page.query.segment ?? ""}
                onChange={(value) => navigate({ segment: value || undefined })}
              />
              <Select
                label="Lifecycle stage"
                options={[
                  { label: "All", value: "" },
                  ...LIFECYCLE_STAGES.map((key) => ({
                    label: label(STAGE_LABELS, key),
                    value: key,
                  })),
                ]}
                value={page.query.stage ?? ""}
                onChange={(value) => navigate({ stage: value || undefined })}
              />
              <Select
                label="Sort"
                options={SORT_OPTIONS}
                value={`${page.query.sort}:${page.query.direction}`}
                onChange={(value) => {
                  const [sort, direction] = value.split(":");
                  navigate({ sort, direction });
                }}
              />
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={page.rows.length}
            selectable={false}
            headings={[
              { title: "Customer" },
              { title: "Orders", alignment: "end" },
              { title: "Net revenue", alignment: "end" },
              { title: "Last order" },
              { title: "RFM segment" },
              { title: "Stage" },
              { title: "Still active", alignment: "end" },
              { title: "Predicted value", alignment: "end" },
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
                    {row.ordersCount}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {money.format(row.netRevenue)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.lastOrderAt?.slice(0, 10) ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{label(SEGMENT_LABELS, row.rfmSegment)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge>{label(STAGE_LABELS, row.lifecycleStage)}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.probAlive === null ? "—" : `${Math.round(row.probAlive * 100)}%`}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.predictedClv === null ? "—" : money.format(row.predictedClv)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <InlineStack align="center">
          <Pagination
            hasPrevious={page.query.page > 1}
            hasNext={page.hasNext}
            onPrevious={() => navigate({ page: String(page.query.page - 1) })}
            onNext={() => navigate({ page: String(page.query.page + 1) })}
          />
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
