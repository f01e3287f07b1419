import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { RuleReport } from "~/services/winback/rule-report.server";
import { ChartCard, type ChartTable } from "../ChartCard";
import { formatLift, liftSentence, percent } from "./rule-text";

const asPercent = (rate: number) => Math.round(rate * 1000) / 10;

function monthlyTable(byMonth: RuleReport["byMonth"]): ChartTable {
  return {
    header: ["Month chosen", "Treated converted (%)", "Holdout converted (%)"],
    numeric: [false, true, true],
    rows: byMonth.map((month) => [
      month.month,
      asPercent(month.treatedRate),
      asPercent(month.holdoutRate),
    ]),
  };
}

function monthlyChart(byMonth: RuleReport["byMonth"]) {
  return function ConversionChart() {
    return (
      <PolarisVizProvider>
        <BarChart
          data={[
            {
              name: "Treated",
              data: byMonth.map((m) => ({ key: m.month, value: asPercent(m.treatedRate) })),
            },
            {
              name: "Holdout",
              data: byMonth.map((m) => ({ key: m.month, value: asPercent(m.holdoutRate) })),
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
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const { treated, holdout, lift } = report;
  const rate = (group: typeof treated) =>
    group.customers > 0
      ? `${group.converted.toLocaleString("en")} (${percent(group.converted / group.customers)})`
      : "—";
  return (
    <>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Results
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["", "Treated", "Holdout"]}
            rows={[
              ["Customers chosen", treated.customers, holdout.customers],
              ["Reached by an action", treated.reached, "—"],
              ["Converted", rate(treated), rate(holdout)],
              ["Orders", treated.orders, holdout.orders],
              ["Revenue", money.format(treated.revenue), money.format(holdout.revenue)],
              ["Orders with their code", treated.codeOrders, "—"],
            ].map((row) =>
              row.map((cell) => (typeof cell === "number" ? cell.toLocaleString("en") : cell)),
            )}
          />
          <BlockStack gap="100">
            <Text as="p" variant="headingSm" id="rule-lift">
              Lift in conversion: {formatLift(lift)}
              {lift?.relative != null &&
                ` · ${lift.relative >= 0 ? "+" : ""}${percent(lift.relative, 0)} relative`}
            </Text>
            <Text as="p" tone="subdued">
              Percentage points, treated minus holdout, with its 95% interval. Orders count when
              placed within {attributionDays} days of being chosen, or with the customer’s code.
            </Text>
            <Text as="p">{liftSentence(lift, holdoutPercent)}</Text>
            {report.incrementalRevenue !== null && (
              <Text as="p">
                Revenue above what the holdout suggests would have come anyway:{" "}
                {money.format(report.incrementalRevenue)}.
              </Text>
            )}
          </BlockStack>
        </BlockStack>
      </Card>
      <ChartCard
        id="rule-conversion-by-month"
        title="Conversion by month"
        description="Share of each month's chosen customers who ordered, treated against holdout."
        csvName="winback-conversion-by-month"
        table={monthlyTable(report.byMonth)}
        chart={monthlyChart(report.byMonth)}
        emptyText="Nobody has been chosen yet: results appear after the rule's first run."
      />
    </>
  );
}
