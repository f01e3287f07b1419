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
import { useTranslation } from "react-i18next";
import {
  STATUS_TONES,
  describeTrigger,
  formatLift,
  liftParts,
  statusName,
  type LiftView,
} from "~/components/winback/rule-text";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useRedirectToast } from "~/components/admin/use-result-toast";
import { message } from "~/i18n/message";
import { useWords } from "~/components/winback/use-words";
import { useFormats } from "~/i18n/format";
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
  const trigger = (rule: (typeof rules)[number]) => {
    const { trigger } = rule.config;
    const segment =
      trigger.kind === "segment_entered"
        ? segments.find((s) => s.id.toString() === trigger.segmentId)?.name
        : undefined;
    return { trigger, segment };
  };
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
        trigger: trigger(rule),
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
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("winbackList.starterTitle")}
        </Text>
        <Text as="p">{t("winbackList.starterText")}</Text>
        <Text as="p" tone="subdued">
          {t("winbackList.starterSuggestion")}
        </Text>
        <InlineStack gap="200">
          <Button variant="primary" url="/app/winback/new?starter=1">
            {t("winbackList.startFromSuggestion")}
          </Button>
          <Button url="/app/winback/new">{t("winbackList.createBlank")}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

/** The difference over its interval; plain grey while the interval still includes zero. */
function LiftCell({ lift }: { lift: LiftView | null }) {
  const words = useWords();
  if (!lift) {
    return (
      <Text as="span" tone="subdued">
        {formatLift(words, lift)}
      </Text>
    );
  }
  const { difference, interval } = liftParts(words, lift);
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

export default function WinbackRulesPage() {
  const { rules } = useLoaderData<typeof loader>();
  const words = useWords();
  const { t } = words;
  const formats = useFormats();
  useRedirectToast("deleted", message("winbackList.deleted"));
  const rate = (value: number | null) => (value === null ? "—" : formats.percent(value, 1));
  return (
    <Page>
      <PageTitleBar
        title={t("nav.winback")}
        primaryAction={{ content: t("winbackList.createRule"), url: "/app/winback/new" }}
      />
      <Layout>
        <Layout.Section>
          {rules.length === 0 ? (
            <StarterCard />
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{
                  singular: t("winbackList.resourceSingular"),
                  plural: t("winbackList.resourcePlural"),
                }}
                itemCount={rules.length}
                selectable={false}
                headings={[
                  { title: t("winbackCards.rule") },
                  { title: t("customer.status") },
                  { title: t("winbackList.trigger") },
                  { title: t("winbackList.lastRunUtc") },
                  {
                    title: t("ruleReport.treated"),
                    alignment: "end",
                    tooltipContent: t("winbackList.treatedHelp"),
                  },
                  { title: t("ruleReport.converted"), alignment: "end" },
                  {
                    title: t("dryRun.holdout"),
                    alignment: "end",
                    tooltipContent: t("winbackList.holdoutHelp"),
                  },
                  { title: t("winbackList.liftCi"), tooltipContent: t("winbackList.liftHelp") },
                ]}
              >
                {rules.map((rule, index) => (
                  <IndexTable.Row id={rule.id} key={rule.id} position={index}>
                    <IndexTable.Cell>
                      <Link to={`/app/winback/${rule.id}`}>{rule.name}</Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="100">
                        <Badge tone={STATUS_TONES[rule.status]}>{statusName(t, rule.status)}</Badge>
                        {rule.failing && (
                          <Badge tone="critical">{t("winbackList.lastRunFailed")}</Badge>
                        )}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {describeTrigger(words, rule.trigger.trigger, () => rule.trigger.segment)}
                    </IndexTable.Cell>
                    <IndexTable.Cell>{formats.utcDateTime(rule.lastRunAt)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formats.number(rule.treated)}
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
                          {t("winbackList.heldBackShare", {
                            share: formats.percent(rule.holdoutPercent / 100),
                          })}
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
      <PageHelp page="winbackList" title={t("nav.winback")} />
    </Page>
  );
}
