import { Box } from "@shopify/polaris";
import { Suspense, useRef, type ReactNode } from "react";
import { useFormats, type Formats } from "~/i18n/format";
import type { ChartTable } from "./ChartCard";
import { useNearScreen } from "./use-near-screen";
import { useOutOfTabOrder } from "./use-out-of-tab-order";

export const formatCell = (formats: Formats, cell: string | number) =>
  typeof cell === "number" ? formats.number(cell) : cell;

/**
 * The chart as a figure named by the card's title. The chart library's own markup is not valid
 * ARIA (lists of buttons, points labelled by ids that do not exist) and its points take Tab
 * stops, so assistive technology is given the same numbers as a table instead, hidden from view;
 * the mouse still gets the chart's tooltips. The chart is drawn in the browser (the library
 * measures the page) once its box nears the screen; the box keeps its height until then.
 */
export function ChartFigure({
  titleId,
  height,
  table,
  chart,
}: {
  titleId: string;
  height: number;
  table: ChartTable;
  chart: () => ReactNode;
}) {
  const chartArea = useRef<HTMLDivElement>(null);
  useOutOfTabOrder(chartArea);
  const nearScreen = useNearScreen(chartArea);
  const formats = useFormats();
  return (
    <figure aria-labelledby={titleId} style={{ margin: 0 }}>
      {/* Left to right in every language: the library does not mirror its axes, so in Persian
          right-aligned labels would sit away from where their bars start. */}
      <div ref={chartArea} aria-hidden="true" dir="ltr" style={{ height }}>
        {nearScreen && <Suspense fallback={null}>{chart()}</Suspense>}
      </div>
      <Box visuallyHidden>
        <table>
          <thead>
            <tr>
              {table.header.map((heading, column) => (
                <th key={column} scope="col">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map(([first, ...rest], row) => (
              <tr key={row}>
                <th scope="row">{first === undefined ? "" : formatCell(formats, first)}</th>
                {rest.map((cell, column) => (
                  <td key={column}>{formatCell(formats, cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
    </figure>
  );
}
