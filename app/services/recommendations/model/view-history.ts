/**
 * Customers' product views for training: what each one looked at before an order, so
 * validation cases carry the views a shopper would have had when the order was placed and the
 * view signals' weights are tuned like every other signal's. Serving reads the same window.
 */
import { MS_PER_DAY, type HistoryEntry } from "./types";

/** How far back views count: beyond a month, browsing says little about the next order. */
export const VIEW_WINDOW_DAYS = 30;
/** Views kept per request, newest first: enough to describe a browsing session or two. */
export const MAX_VIEWS = 50;

export interface CustomerView {
  customerId: string;
  productId: string;
  at: Date;
}

/** Views by customer id, oldest first. */
export type ViewIndex = ReadonlyMap<string, readonly HistoryEntry[]>;

export function indexViews(views: Iterable<CustomerView>): ViewIndex {
  const byCustomer = new Map<string, HistoryEntry[]>();
  for (const view of views) {
    if (!Number.isFinite(view.at.getTime())) continue;
    const list = byCustomer.get(view.customerId) ?? [];
    list.push({ productId: view.productId, at: view.at });
    byCustomer.set(view.customerId, list);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  return byCustomer;
}

/** The customer's views in the window before `asOfMs` (strictly before), newest first. */
export function viewsBefore(
  views: ViewIndex,
  customerId: string | null,
  asOfMs: number,
): HistoryEntry[] {
  const list = customerId === null ? undefined : views.get(customerId);
  if (!list) return [];
  const fromMs = asOfMs - VIEW_WINDOW_DAYS * MS_PER_DAY;
  const result: HistoryEntry[] = [];
  // Oldest first: walk back from the last view before asOf.
  for (let i = upperBound(list, asOfMs) - 1; i >= 0 && result.length < MAX_VIEWS; i--) {
    const view = list[i];
    if (!view || view.at.getTime() < fromMs) break;
    result.push(view);
  }
  return result;
}

/** The number of views strictly before `atMs`. */
function upperBound(list: readonly HistoryEntry[], atMs: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((list[mid]?.at.getTime() ?? 0) < atMs) low = mid + 1;
    else high = mid;
  }
  return low;
}
