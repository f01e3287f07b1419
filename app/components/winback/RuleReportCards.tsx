import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "~/components/lazy-charts";
import type { RuleReport } from "~/services/winback/rule-report.server";
import { ChartCard, type ChartTable } from "../ChartCard";
import type { TFunction } from "i18next";
import { useFormats, type Formats } from "~/i18n/format";
import { formatLift, liftSentence } from "./rule-text";
import { useWords } from "./use-words";

const asPercent = (rate: number) => Math.round(rate * 1000) / 10;

function monthlyTable(t: TFunction, formats: Formats, byMonth: RuleReport["byMonth"]): ChartTable {
  return {
    header: [
      t("ruleReport.monthChosen"),
      t("ruleReport.treatedConverted"),
      t("ruleReport.holdoutConverted"),
    ],
    numeric: [false, true, true],
    rows: byMonth.map((month) => [
      formats.month(month.month),
      asPercent(month.treatedRate),
      asPercent(month.holdoutRate),
    ]),
  };
}

function monthlyChart(t: TFunction, formats: Formats, byMonth: RuleReport["byMonth"]) {
  return function ConversionChart() {
    return (
      <PolarisVizProvider>
        <BarChart
          data={[
            {
              name: t("ruleReport.treated"),
              data: byMonth.map((m) => ({
                key: formats.month(m.month),
                value: asPercent(m.treatedRate),
              })),
            },
            {
              name: t("dryRun.holdout"),
              data: byMonth.map((m) => ({
                key: formats.month(m.month),
                value: asPercent(m.holdoutRate),
              })),
            },
          ]}
          yAxisOptions={{ labelFormatter: (value) => `${value ?? 0}%` }}
        />
      </PolarisVizProvider>
    );
  };
}

/** What a saved rule achieved: conversion by month, the two groups' figures and the lift. */
export function RuleReportCards({
  report,
  holdoutPercent,
  attributionDays,
  currency,
}: {
  report: RuleReport;
  holdoutPercent: number;
  attributionDays: number;
  currency: string;
}) {
  const words = useWords();
  const { t } = words;
  const formats = useFormats();
  const money = (amount: number) => formats.money(amount, currency);
  const { treated, holdout, lift } = report;
  const rate = (group: typeof treated) =>
    group.customers > 0
      ? `${formats.number(group.converted)} (${formats.percent(group.converted / group.customers, 1)})`
      : "—";
  return (
    <>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("ruleReport.results")}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["", t("ruleReport.treated"), t("dryRun.holdout")]}
            rows={[
              [t("ruleReport.customersChosen"), treated.customers, holdout.customers],
              [t("ruleReport.reached"), treated.reached, "—"],
              [t("ruleReport.converted"), rate(treated), rate(holdout)],
              [t("dashboard.orders"), treated.orders, holdout.orders],
              [t("reports.revenue"), money(treated.revenue), money(holdout.revenue)],
              [t("ruleReport.codeOrders"), treated.codeOrders, "—"],
            ].map((row) =>
              row.map((cell) => (typeof cell === "number" ? formats.number(cell) : cell)),
            )}
          />
          <BlockStack gap="100">
            <Text as="p" variant="headingSm" id="rule-lift">
              {t("ruleReport.lift", { lift: formatLift(words, lift) })}
              {lift?.relative != null &&
                ` · ${t("ruleReport.relative", {
                  value: `${lift.relative >= 0 ? "+" : ""}${formats.percent(lift.relative)}`,
                })}`}
            </Text>
            <Text as="p" tone="subdued">
              {t("ruleReport.liftExplanation", { count: attributionDays })}
            </Text>
            <Text as="p">{liftSentence(words, lift, holdoutPercent)}</Text>
            {report.incrementalRevenue !== null && (
              <Text as="p">
                {t("ruleReport.incrementalRevenue", { amount: money(report.incrementalRevenue) })}
              </Text>
            )}
          </BlockStack>
        </BlockStack>
      </Card>
      <ChartCard
        id="rule-conversion-by-month"
        title={t("ruleReport.byMonthTitle")}
        description={t("ruleReport.byMonthDescription")}
        csvName="winback-conversion-by-month"
        table={monthlyTable(t, formats, report.byMonth)}
        chart={monthlyChart(t, formats, report.byMonth)}
        emptyText={t("ruleReport.byMonthEmpty")}
      />
    </>
  );
}
