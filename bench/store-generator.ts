import { FIXED_END_DATE, generateStore } from "../tests/devstore/generator/generate-store";

export interface StoreGeneratorFigures {
  orders: number;
  customers: number;
  seconds: number;
}

/** The simulated store's generator at merchant size (the demo and replay tests use it). */
export function benchStoreGenerator(orders: number): StoreGeneratorFigures {
  const started = performance.now();
  const store = generateStore({ seed: 1, orders, endDate: FIXED_END_DATE });
  return {
    orders: store.orders.length,
    customers: store.customers.length,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}
