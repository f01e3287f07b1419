/**
 * What customer emails achieved, as the admin pages show it: the figures of a flow, a step and
 * variant or a win-back rule, and their sums. Plain: safe in the browser (the queries are in
 * email-performance.server.ts).
 */
import type { Variant } from "./ab-test";

export interface EmailPerformance {
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  orders: number;
  /** Attributed order totals in the shop currency. */
  revenue: number;
}

export interface StepVariantPerformance extends EmailPerformance {
  flowId: string;
  stepIndex: number;
  variant: Variant;
}

export const NO_PERFORMANCE: EmailPerformance = {
  sent: 0,
  opened: 0,
  clicked: 0,
  converted: 0,
  orders: 0,
  revenue: 0,
};

const add = (total: EmailPerformance, row: EmailPerformance): EmailPerformance => ({
  sent: total.sent + row.sent,
  opened: total.opened + row.opened,
  clicked: total.clicked + row.clicked,
  converted: total.converted + row.converted,
  orders: total.orders + row.orders,
  revenue: total.revenue + row.revenue,
});

/** The sum of some rows (a flow, a step). */
export const totalPerformance = (rows: readonly EmailPerformance[]): EmailPerformance =>
  rows.reduce(add, NO_PERFORMANCE);
