import { lazy } from "react";

/**
 * The chart library's components, loaded when a chart first renders: the library is a 320 KB
 * chunk that only pages with charts download, after their first paint, and a chart renders only
 * when its card nears the screen (ChartCard). Its box keeps its height until then, so nothing
 * moves when it arrives.
 */
const polarisViz = () => import("@shopify/polaris-viz");

export const PolarisVizProvider = lazy(() =>
  polarisViz().then((viz) => ({ default: viz.PolarisVizProvider })),
);
export const BarChart = lazy(() => polarisViz().then((viz) => ({ default: viz.BarChart })));
export const LineChart = lazy(() => polarisViz().then((viz) => ({ default: viz.LineChart })));
