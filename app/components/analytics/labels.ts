/** Merchant-facing names for the stored keys. */
export const SEGMENT_LABELS: Record<string, string> = {
  champions: "Champions",
  loyal: "Loyal",
  potential_loyalist: "Potential loyalist",
  new: "New",
  promising: "Promising",
  needs_attention: "Needs attention",
  about_to_sleep: "About to sleep",
  at_risk: "At risk",
  cant_lose: "Can't lose",
  hibernating: "Hibernating",
  lost: "Lost",
  no_orders: "No orders yet",
};

export const STAGE_LABELS: Record<string, string> = {
  prospect: "Prospect",
  new: "New",
  active: "Active",
  loyal: "Loyal",
  at_risk: "At risk",
  lapsing: "Lapsing",
  lost: "Lost",
  reactivated: "Reactivated",
};

export const label = (labels: Record<string, string>, key: string | null) =>
  key === null ? "—" : (labels[key] ?? key);
