import {
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineStack,
  Text,
} from "@shopify/polaris";
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { toCsv } from "~/lib/csv";
import { ChartFigure, formatCell } from "./ChartFigure";

export interface ChartTable {
  header: string[];
  /** Cells as shown; numbers stay numbers so the CSV keeps full precision. */
  rows: Array<Array<string | number>>;
  numeric: boolean[];
}

interface ChartCardProps {
  title: string;
  description?: string;
  /** File name for the CSV download, without extension. */
  csvName: string;
  table: ChartTable;
  /** Rendered in the browser only, once the card nears the screen (ChartFigure). */
  chart?: () => ReactNode;
  /** Pixels; horizontal bar charts need room for every label. */
  chartHeight?: number;
  /** Shown instead of an empty table. */
  emptyText?: string;
  id?: string;
}

function download(name: string, table: ChartTable) {
  const blob = new Blob([toCsv(table.header, table.rows)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${name}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

/** A chart with a table view of the same numbers and a CSV export, as every report here has. */
export function ChartCard({
  title,
  description,
  csvName,
  table,
  chart,
  chartHeight = 280,
  emptyText,
  id,
}: ChartCardProps) {
  const [view, setView] = useState<"chart" | "table">(chart ? "chart" : "table");
  const showChart = chart !== undefined && view === "chart";
  const { t } = useTranslation();
  const formats = useFormats();
  const titleId = useId();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd" id={titleId}>
              {title}
            </Text>
            {description && (
              <Text as="p" tone="subdued">
                {description}
              </Text>
            )}
          </BlockStack>
          <ButtonGroup>
            {chart && (
              <Button
                pressed={view === "table"}
                onClick={() => setView(view === "chart" ? "table" : "chart")}
                accessibilityLabel={
                  view === "chart"
                    ? t("charts.showAsTable", { title })
                    : t("charts.showAsChart", { title })
                }
              >
                {view === "chart" ? t("charts.table") : t("charts.chart")}
              </Button>
            )}
            <Button onClick={() => download(csvName, table)}>{t("charts.exportCsv")}</Button>
          </ButtonGroup>
        </InlineStack>
        {table.rows.length === 0 && emptyText ? (
          <Text as="p" tone="subdued">
            {emptyText}
          </Text>
        ) : showChart ? (
          <ChartFigure titleId={titleId} height={chartHeight} table={table} chart={chart} />
        ) : (
          <div id={id}>
            <DataTable
              columnContentTypes={table.numeric.map((numeric) => (numeric ? "numeric" : "text"))}
              headings={table.header}
              rows={table.rows.map((row) => row.map((cell) => formatCell(formats, cell)))}
            />
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
