import { Link, useFetcher } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Pagination,
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useValueLabels } from "~/components/analytics/labels";
import { useFormats } from "~/i18n/format";
import type { SegmentMemberPage } from "~/services/segments/segment-members.server";

/** The segment's members, a page at a time, with the columns a merchant sorts customers by. */
export function SegmentMembersCard(props: {
  segmentId: string;
  total: number;
  firstPage: SegmentMemberPage;
  currency: string;
  onExport: () => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const label = useValueLabels();
  const pager = useFetcher<SegmentMemberPage>();
  const page = pager.data ?? props.firstPage;
  const money = (amount: number) => formats.money(amount, props.currency);
  const load = (cursor: "after" | "before", customerId: string | undefined) => {
    if (customerId) pager.load(`/app/segments/${props.segmentId}/members?${cursor}=${customerId}`);
  };

  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("segments.membersTitle", {
                count: props.total,
                formattedCount: formats.number(props.total),
              })}
            </Text>
            <Button onClick={props.onExport} disabled={props.total === 0}>
              {t("segments.exportCsv")}
            </Button>
          </InlineStack>
        </div>
        <IndexTable
          resourceName={{
            singular: t("customers.resourceSingular"),
            plural: t("customers.resourcePlural"),
          }}
          itemCount={page.members.length}
          selectable={false}
          loading={pager.state === "loading"}
          emptyState={
            <EmptyState heading={t("segments.noMembers")} image="">
              <p>{t("segments.noMembersNext")}</p>
            </EmptyState>
          }
          headings={[
            { title: t("titles.customer") },
            { title: t("segmentFields.lifecycle_stage") },
            { title: t("segmentFields.orders_count"), alignment: "end" },
            { title: t("segments.totalSpent"), alignment: "end" },
            { title: t("segmentFields.last_order_at") },
            { title: t("customer.predictedValue"), alignment: "end" },
          ]}
        >
          {page.members.map((member, index) => (
            <IndexTable.Row id={member.customerId} key={member.customerId} position={index}>
              <IndexTable.Cell>
                <BlockStack>
                  <Link to={`/app/customers/${member.customerId}`}>
                    {member.name ?? t("segments.noName")}
                  </Link>
                  <Text as="span" tone="subdued">
                    {member.email ?? ""}
                  </Text>
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {member.lifecycleStage ? (
                  <Badge>{label("lifecycleStages", member.lifecycleStage)}</Badge>
                ) : (
                  "—"
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formats.number(member.ordersCount)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(member.totalSpent)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {member.lastOrderDate ? formats.date(member.lastOrderDate) : "—"}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {member.predictedValue === null ? "—" : money(member.predictedValue)}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        {(page.hasNext || page.hasPrevious) && (
          <div style={{ padding: "var(--p-space-300)" }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={page.hasPrevious}
                hasNext={page.hasNext}
                onPrevious={() => load("before", page.members[0]?.customerId)}
                onNext={() => load("after", page.members.at(-1)?.customerId)}
              />
            </InlineStack>
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
