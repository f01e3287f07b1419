import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import {
  STATUS_LABELS,
  STATUS_TONES,
  describeTrigger,
  formatLift,
  liftParts,
  formatWhen,
  percent,
  type LiftView,
} from "~/components/winback/rule-text";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { listSegments } from "~/services/segments/segment-store.server";
import { listRuleRuns } from "~/services/winback/audit-log.server";
import { ruleReport } from "~/services/winback/rule-report.server";
import { listRules } from "~/services/winback/rule-store.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("nav.winback");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const [rules, segments] = await Promise.all([
    listRules(sql, shop.id),
    listSegments(sql, shop.id),
  ]);
  const segmentName = (id: string) => segments.find((s) => s.id.toString() === id)?.name;
  // A shop has a handful of rules, so one report per rule is cheap enough for the list.
  const rows = await Promise.all(
    rules.map(async (rule) => {
      const [report, runs] = await Promise.all([
        ruleReport(sql, shop.id, rule.id, rule.config.attributionDays),
        listRuleRuns(sql, shop.id, rule.id, 1),
      ]);
      const { treated, holdout } = report;
      return {
        id: rule.id.toString(),
        name: rule.name,
        status: rule.status,
        trigger: describeTrigger(rule.config.trigger, segmentName),
        lastRunAt: runs[0]?.startedAt ?? null,
        failing: rule.lastError !== null,
        treated: treated.customers,
        treatedRate: treated.customers > 0 ? treated.converted / treated.customers : null,
        holdoutRate: holdout.customers > 0 ? holdout.converted / holdout.customers : null,
        holdoutPercent: rule.config.holdoutPercent,
        lift: report.lift,
      };
    }),
  );
  return { rules: rows };
};

function StarterCard() {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Bring quiet customers back, and measure it
        </Text>
        <Text as="p">
          A win-back rule watches for customers who have gone quiet — so many days since their last
          order, an overdue next order, an abandoned checkout, a move into a segment or lifecycle
          stage — and acts on them: a personal discount code, a storefront offer, tags, an email or
          a Shopify Flow trigger. A share of them is held back at random, so you can see how many
          more came back because of the rule.
        </Text>
        <Text as="p" tone="subdued">
          Suggested starter, “Win back lapsing customers”: customers with 2 or more orders and none
          for 90 days get a 15% code valid for 14 days, shown in a storefront banner and sent by
          email; 10% are held back.
        </Text>
        <InlineStack gap="200">
          <Button variant="primary" url="/app/winback/new?starter=1">
            Start from the suggestion
          </Button>
          <Button url="/app/winback/new">Create a blank rule</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

/** The difference over its interval; plain grey while the interval still includes zero. */
function LiftCell({ lift }: { lift: LiftView | null }) {
  if (!lift) {
    return (
      <Text as="span" tone="subdued">
        {formatLift(lift)}
      </Text>
    );
  }
  const { difference, interval } = liftParts(lift);
  return (
    <BlockStack>
      <Text as="span" fontWeight={lift.significant ? "semibold" : undefined}>
        {difference}
      </Text>
      <Text as="span" tone="subdued" variant="bodySm">
        {interval}
      </Text>
    </BlockStack>
  );
}

const rate = (value: number | null) => (value === null ? "—" : percent(value));

export default function WinbackRulesPage() {
  const { rules } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Win-back"
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={{ content: "Create rule", url: "/app/winback/new" }}
    >
      <Layout>
        <Layout.Section>
          {rules.length === 0 ? (
            <StarterCard />
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "rule", plural: "rules" }}
                itemCount={rules.length}
                selectable={false}
                headings={[
                  { title: "Rule" },
                  { title: "Status" },
                  { title: "Trigger" },
                  { title: "Last run (UTC)" },
                  { title: "Treated", alignment: "end" },
                  { title: "Converted", alignment: "end" },
                  { title: "Holdout", alignment: "end" },
                  { title: "Lift (95% CI)" },
                ]}
              >
                {rules.map((rule, index) => (
                  <IndexTable.Row id={rule.id} key={rule.id} position={index}>
                    <IndexTable.Cell>
                      <Link to={`/app/winback/${rule.id}`}>{rule.name}</Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="100">
                        <Badge tone={STATUS_TONES[rule.status]}>{STATUS_LABELS[rule.status]}</Badge>
                        {rule.failing && <Badge tone="critical">Last run failed</Badge>}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{rule.trigger}</IndexTable.Cell>
                    <IndexTable.Cell>{formatWhen(rule.lastRunAt)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {rule.treated.toLocaleString("en")}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {rate(rule.treatedRate)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack inlineAlign="end">
                        <Text as="span" numeric>
                          {rate(rule.holdoutRate)}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {rule.holdoutPercent}% held back
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <LiftCell lift={rule.lift} />
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
