/**
 * Ready-made segments a merchant starts from (the page names and describes each by its key).
 * Each rule has a group form, so it opens in the builder rather than the text view.
 */
export const SEGMENT_TEMPLATES = [
  {
    key: "lapsed_vips",
    rule: "(m_score >= 4 OR tags CONTAINS 'vip') AND days_since_last_order > 120",
  },
  { key: "one_time_buyers", rule: "orders_count = 1" },
  { key: "likely_to_churn", rule: "orders_count >= 2 AND prob_alive < 0.5" },
  { key: "high_predicted_value", rule: "predicted_clv >= 200" },
  { key: "first_order_recent", rule: "orders_count = 1 AND days_since_last_order <= 30" },
  { key: "repeat_customers", rule: "orders_count >= 2" },
  { key: "champions", rule: "rfm_segment = 'champions'" },
  { key: "cant_lose", rule: "rfm_segment IN ('cant_lose', 'at_risk')" },
  { key: "subscribers_no_order", rule: "email_marketing = 'subscribed' AND orders_count = 0" },
  { key: "likely_to_order_soon", rule: "expected_orders_90d >= 1" },
  { key: "lost_customers", rule: "lifecycle_stage = 'lost'" },
  { key: "big_baskets", rule: "aov >= 100 AND orders_count >= 1" },
] as const;

export type SegmentTemplateKey = (typeof SEGMENT_TEMPLATES)[number]["key"];

export function findTemplate(key: string) {
  return SEGMENT_TEMPLATES.find((template) => template.key === key);
}
