import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { AnalyticsDashboard, Breakdown } from "~/services/analytics/dashboard.server";
import { ChartCard, type ChartTable } from "../ChartCard";
import { SEGMENT_LABELS, STAGE_LABELS, label } from "./labels";

const share = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "—";

function breakdownTable(
  rows: Breakdown[],
  labels: Record<string, string>,
  name: string,
): ChartTable {
  const customers = rows.reduce((sum, row) => sum + row.customers, 0);
  const revenue = rows.reduce((sum, row) => sum + row.revenue, 0);
  return {
    header: [name, "Customers", "Share of customers", "Revenue", "Share of revenue"],
    numeric: [false, true, true, true, true],
    rows: rows.map((row) => [
      label(labels, row.key),
      row.customers,
      share(row.customers, customers),
      Math.round(row.revenue * 100) / 100,
      share(row.revenue, revenue),
    ]),
  };
}

/** Room for each bar and its label, plus the axis and legend. */
const barChartHeight = (rows: readonly Breakdown[]) => Math.max(240, rows.length * 40 + 80);

function breakdownChart(rows: Breakdown[], labels: Record<string, string>) {
  return function BreakdownChart() {
    return (
      <PolarisVizProvider>
        <BarChart
          direction="horizontal"
          data={[
            {
              name: "Customers",
              data: rows.map((row) => ({ key: label(labels, row.key), value: row.customers })),
            },
          ]}
        />
      </PolarisVizProvider>
    );
  };
}

function cohortTables(cohorts: AnalyticsDashboard["cohorts"]) {
  const offsets = Array.from(
    { length: Math.max(0, ...cohorts.map((cohort) => cohort.months.length)) },
    (_, i) => i,
  );
  type Cohort = AnalyticsDashboard["cohorts"][number];
  const lastOffset = (cohort: Cohort) => Math.max(...cohort.months.map((m) => m.offset));
  const cumulative = (cohort: Cohort, upTo: number) =>
    cohort.months.filter((m) => m.offset <= upTo).reduce((sum, m) => sum + m.revenue, 0) /
    Math.max(1, cohort.size);
  /** One row per cohort, one column per month since acquisition; `cell` fills each month. */
  const table = (cell: (cohort: Cohort, offset: number) => string | number): ChartTable => ({
    header: ["Cohort", "Customers", ...offsets.map((offset) => `Month ${offset}`)],
    numeric: [false, true, ...offsets.map(() => true)],
    rows: cohorts.map((cohort) => [
      cohort.month,
      cohort.size,
      ...offsets.map((offset) => cell(cohort, offset)),
    ]),
  });
  const retention = table((cohort, offset) => {
    const month = cohort.months.find((m) => m.offset === offset);
    return month ? share(month.customers, cohort.size) : "";
  });
  const revenue = table((cohort, offset) =>
    offset <= lastOffset(cohort) ? Math.round(cumulative(cohort, offset) * 100) / 100 : "",
  );
  const chart = () => (
    <PolarisVizProvider>
      <LineChart
        // Every series spans the same months; months a cohort has not reached yet are gaps.
        data={cohorts.slice(-6).map((cohort) => ({
          name: cohort.month,
          data: offsets.map((offset) => ({
            key: `Month ${offset}`,
            value:
              offset <= lastOffset(cohort)
                ? Math.round(cumulative(cohort, offset) * 100) / 100
                : null,
          })),
        }))}
      />
    </PolarisVizProvider>
  );
  return { retention, revenue, chart };
}

export function DashboardReports({ dashboard }: { dashboard: AnalyticsDashboard }) {
  const cohorts = cohortTables(dashboard.cohorts);
  const moves: ChartTable = {
    header: ["Month", "From", "To", "Customers"],
    numeric: [false, false, false, true],
    rows: dashboard.stageMoves.map((move) => [
      move.month,
      label(STAGE_LABELS, move.from),
      label(STAGE_LABELS, move.to),
      move.customers,
    ]),
  };
  return (
    <>
      <ChartCard
        id="report-rfm"
        title="Customers by RFM segment"
        description="Recency, frequency and monetary scores (1–5, quintiles of your customers)."
        csvName="rfm-segments"
        table={breakdownTable(dashboard.rfmSegments, SEGMENT_LABELS, "Segment")}
        chart={breakdownChart(dashboard.rfmSegments, SEGMENT_LABELS)}
        chartHeight={barChartHeight(dashboard.rfmSegments)}
      />
      <ChartCard
        id="report-stages"
        title="Customers by lifecycle stage"
        csvName="lifecycle-stages"
        table={breakdownTable(dashboard.lifecycleStages, STAGE_LABELS, "Stage")}
        chart={breakdownChart(dashboard.lifecycleStages, STAGE_LABELS)}
        chartHeight={barChartHeight(dashboard.lifecycleStages)}
      />
      <ChartCard
        id="report-moves"
        title="Movement between stages"
        description="Customers who changed lifecycle stage, by month (last 6 months)."
        csvName="stage-movement"
        table={moves}
        emptyText="No customer has changed stage yet. Moves appear here as customers buy again or go quiet."
      />
      <ChartCard
        id="report-cohort-revenue"
        title="Cumulative revenue per customer by acquisition cohort"
        description="Net revenue per customer since their first purchase month."
        csvName="cohort-revenue"
        table={cohorts.revenue}
        chart={cohorts.chart}
      />
      <ChartCard
        id="report-cohort-retention"
        title="Retention by acquisition cohort"
        description="Share of each month's new customers who bought again N months later."
        csvName="cohort-retention"
        table={cohorts.retention}
      />
    </>
  );
}
