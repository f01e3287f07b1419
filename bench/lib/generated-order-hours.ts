/**
 * Order histories with hour-of-week habits, for `npm run eval:send-time` when no dataset with
 * order times of day is at hand (CDNOW and the groceries data have dates only; the generated dev
 * store spreads order times evenly over the day). Every assumption is printed with the results:
 * - the shop's week: evenings (18–22 h) weigh 3, lunch (12–13 h) 2, night (0–6 h) 0.3, weekends
 *   1.5 times weekdays;
 * - each customer has one habitual hour, drawn from the shop's week;
 * - each order falls near that hour (within ±1 h) with probability HABIT_SHARE, and anywhere
 *   in the shop's week otherwise;
 * - 2 to 9 orders per customer (geometric).
 */
import { WEEK_SLOTS } from "../../app/services/send-timing/hour-of-week";
import { seededRandom } from "../../app/lib/seeded-random";

export const HABIT_ASSUMPTIONS = {
  customers: 6_000,
  habitShare: 0.45,
  habitSpreadHours: 1,
  ordersPerCustomer: "2 + geometric(0.35), at most 9",
  shopWeek: "evenings x3, lunch x2, night x0.3, weekends x1.5",
};

function shopWeek(): number[] {
  return Array.from({ length: WEEK_SLOTS }, (_, slot) => {
    const hour = slot % 24;
    const weekend = slot >= 5 * 24;
    const base = hour >= 18 && hour <= 22 ? 3 : hour >= 12 && hour <= 13 ? 2 : hour < 7 ? 0.3 : 1;
    return base * (weekend ? 1.5 : 1);
  });
}

function draw(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let at = random() * total;
  for (let i = 0; i < weights.length; i += 1) {
    at -= weights[i] ?? 0;
    if (at <= 0) return i;
  }
  return weights.length - 1;
}

/** Orders (customer, time) over 52 weeks ending 2026-11-30, in UTC. */
export function generateOrderHours(seed: number): Array<{ customerId: string; at: Date }> {
  const random = seededRandom(seed);
  const week = shopWeek();
  const monday = Date.UTC(2025, 11, 1); // a Monday
  const orders: Array<{ customerId: string; at: Date }> = [];
  for (let c = 0; c < HABIT_ASSUMPTIONS.customers; c += 1) {
    const habit = draw(week, random);
    let count = 2;
    while (count < 9 && random() > 0.35) count += 1;
    for (let i = 0; i < count; i += 1) {
      const spread = Math.round((random() * 2 - 1) * HABIT_ASSUMPTIONS.habitSpreadHours);
      const slot =
        random() < HABIT_ASSUMPTIONS.habitShare
          ? (habit + spread + WEEK_SLOTS) % WEEK_SLOTS
          : draw(week, random);
      const weekIndex = Math.floor(random() * 52);
      const at = monday + (weekIndex * WEEK_SLOTS + slot) * 3_600_000 + random() * 3_600_000;
      orders.push({ customerId: `h${c}`, at: new Date(at) });
    }
  }
  return orders;
}
