import { BarChart, LineChart, PolarisVizProvider } from "~/components/lazy-charts";
import type {
  AnalyticsDashboard,
  Breakdown,
  DashboardDetails,
} from "~/services/analytics/dashboard.server";
import { ChartCard, type ChartTable } from "../ChartCard";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormats, type Formats } from "~/i18n/format";
import { useValueLabels, type LabelGroup } from "./labels";

type Label = ReturnType<typeof useValueLabels>;

const share = (formats: Formats, part: number, whole: number) =>
  whole > 0 ? formats.percent(part / whole, 1) : "—";

/** A chart axis's numbers in the page's digits (the charts draw Latin digits by default). */
const axisNumbers = (formats: Formats) => ({
  labelFormatter: (value: string | number | null) => formats.number(Number(value ?? 0)),
});

function breakdownTable(
  rows: Breakdown[],
  group: LabelGroup,
  name: string,
  { t, label, formats }: { t: TFunction; label: Label; formats: Formats },
): ChartTable {
  const customers = rows.reduce((sum, row) => sum + row.customers, 0);
  const revenue = rows.reduce((sum, row) => sum + row.revenue, 0);
  return {
    header: [
      name,
      t("reports.customers"),
      t("reports.shareOfCustomers"),
      t("reports.revenue"),
      t("reports.shareOfRevenue"),
    ],
    numeric: [false, true, true, true, true],
    rows: rows.map((row) => [
      label(group, row.key),
      row.customers,
      share(formats, row.customers, customers),
      Math.round(row.revenue * 100) / 100,
      share(formats, row.revenue, revenue),
    ]),
  };
}

/** Room for each bar and its label, plus the axis and legend. */
const barChartHeight = (rows: readonly Breakdown[]) => Math.max(240, rows.length * 40 + 80);

function breakdownChart(
  rows: Breakdown[],
  group: LabelGroup,
  { t, label, formats }: { t: TFunction; label: Label; formats: Formats },
) {
  return function BreakdownChart() {
    return (
      <PolarisVizProvider>
        <BarChart
          direction="horizontal"
          // Horizontal bars: the x axis holds the values.
          xAxisOptions={axisNumbers(formats)}
          data={[
            {
              name: t("reports.customers"),
              data: rows.map((row) => ({ key: label(group, row.key), value: row.customers })),
            },
          ]}
        />
      </PolarisVizProvider>
    );
  };
}

function cohortTables(
  cohorts: DashboardDetails["cohorts"],
  { t, formats }: { t: TFunction; formats: Formats },
) {
  const monthName = (offset: number) =>
    t("reports.monthNumber", { number: formats.number(offset) });
  const offsets = Array.from(
    { length: Math.max(0, ...cohorts.map((cohort) => cohort.months.length)) },
    (_, i) => i,
  );
  type Cohort = DashboardDetails["cohorts"][number];
  const lastOffset = (cohort: Cohort) => Math.max(...cohort.months.map((m) => m.offset));
  const cumulative = (cohort: Cohort, upTo: number) =>
    cohort.months.filter((m) => m.offset <= upTo).reduce((sum, m) => sum + m.revenue, 0) /
    Math.max(1, cohort.size);
  /** One row per cohort, one column per month since acquisition; `cell` fills each month. */
  const table = (cell: (cohort: Cohort, offset: number) => string | number): ChartTable => ({
    header: [t("reports.cohort"), t("reports.customers"), ...offsets.map(monthName)],
    numeric: [false, true, ...offsets.map(() => true)],
    rows: cohorts.map((cohort) => [
      formats.month(cohort.month),
      cohort.size,
      ...offsets.map((offset) => cell(cohort, offset)),
    ]),
  });
  const retention = table((cohort, offset) => {
    const month = cohort.months.find((m) => m.offset === offset);
    return month ? share(formats, month.customers, cohort.size) : "";
  });
  const revenue = table((cohort, offset) =>
    offset <= lastOffset(cohort) ? Math.round(cumulative(cohort, offset) * 100) / 100 : "",
  );
  const chart = () => (
    <PolarisVizProvider>
      <LineChart
        yAxisOptions={axisNumbers(formats)}
        // Every series spans the same months; months a cohort has not reached yet are gaps.
        data={cohorts.slice(-6).map((cohort) => ({
          name: formats.month(cohort.month),
          data: offsets.map((offset) => ({
            key: monthName(offset),
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

/** The stored metrics' reports: customers by RFM segment and by stage, moves between stages. */
export function DashboardReports({ dashboard }: { dashboard: AnalyticsDashboard }) {
  const { t } = useTranslation();
  const label = useValueLabels();
  const formats = useFormats();
  const moves: ChartTable = {
    header: [t("reports.month"), t("reports.from"), t("reports.to"), t("reports.customers")],
    numeric: [false, false, false, true],
    rows: dashboard.stageMoves.map((move) => [
      formats.month(move.month),
      label("lifecycleStages", move.from),
      label("lifecycleStages", move.to),
      move.customers,
    ]),
  };
  return (
    <>
      <ChartCard
        id="report-rfm"
        title={t("reports.rfmTitle")}
        description={t("reports.rfmDescription")}
        csvName="rfm-segments"
        table={breakdownTable(dashboard.rfmSegments, "rfmSegments", t("reports.segment"), {
          t,
          label,
          formats,
        })}
        chart={breakdownChart(dashboard.rfmSegments, "rfmSegments", { t, label, formats })}
        chartHeight={barChartHeight(dashboard.rfmSegments)}
      />
      <ChartCard
        id="report-stages"
        title={t("reports.stagesTitle")}
        csvName="lifecycle-stages"
        table={breakdownTable(dashboard.lifecycleStages, "lifecycleStages", t("reports.stage"), {
          t,
          label,
          formats,
        })}
        chart={breakdownChart(dashboard.lifecycleStages, "lifecycleStages", {
          t,
          label,
          formats,
        })}
        chartHeight={barChartHeight(dashboard.lifecycleStages)}
      />
      <ChartCard
        id="report-moves"
        title={t("reports.movesTitle")}
        description={t("reports.movesDescription")}
        csvName="stage-movement"
        table={moves}
        emptyText={t("reports.movesEmpty")}
      />
    </>
  );
}

/** The acquisition cohorts' reports: cumulative revenue per customer, and retention. */
export function CohortReports({ cohorts: stored }: { cohorts: DashboardDetails["cohorts"] }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const cohorts = cohortTables(stored, { t, formats });
  return (
    <>
      <ChartCard
        id="report-cohort-revenue"
        title={t("reports.cohortRevenueTitle")}
        description={t("reports.cohortRevenueDescription")}
        csvName="cohort-revenue"
        table={cohorts.revenue}
        chart={cohorts.chart}
      />
      <ChartCard
        id="report-cohort-retention"
        title={t("reports.retentionTitle")}
        description={t("reports.retentionDescription")}
        csvName="cohort-retention"
        table={cohorts.retention}
      />
    </>
  );
}
