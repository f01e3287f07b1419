import { FIXED_END_DATE, generateStore } from "../tests/devstore/generator/generate-store";
import { generateBrowsing } from "../tests/devstore/generator/browsing";
import { seededRandom } from "../tests/devstore/seeded-random";

export interface StoreGeneratorFigures {
  orders: number;
  customers: number;
  seconds: number;
  /** Product views of the generated browsing (90 days) and the seconds it took. */
  views: number;
  browsingSeconds: number;
}

/** The simulated store's generator at merchant size (the demo and replay tests use it). */
export function benchStoreGenerator(orders: number): StoreGeneratorFigures {
  const started = performance.now();
  const store = generateStore({ seed: 1, orders, endDate: FIXED_END_DATE });
  const generated = performance.now();
  const browsing = generateBrowsing(store, { random: seededRandom(1), endDate: FIXED_END_DATE });
  const seconds = (from: number, to: number) => Number(((to - from) / 1000).toFixed(2));
  return {
    orders: store.orders.length,
    customers: store.customers.length,
    seconds: seconds(started, generated),
    views: browsing.views.length,
    browsingSeconds: seconds(generated, performance.now()),
  };
}
