import { describe, expect, it } from "vitest";
import { ResponseCache, readManyThrough } from "./response-cache";

describe("ResponseCache", () => {
  it("forgets an entry once its time is up", () => {
    let now = 0;
    const cache = new ResponseCache<string>(10, 100, () => now);
    cache.set("a", "x");
    now = 99;
    expect(cache.get("a")).toBe("x");
    now = 100;
    expect(cache.get("a")).toBeUndefined();
  });

  it("drops the least recently used entry when full", () => {
    const cache = new ResponseCache<number>(2, 1000);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});

describe("readManyThrough", () => {
  const loader = (known: Record<string, number>) => {
    const calls: string[][] = [];
    const load = async (missing: string[]) => {
      calls.push(missing);
      return new Map(missing.flatMap((id) => (id in known ? [[id, known[id] ?? 0]] : [])));
    };
    return { calls, load };
  };

  it("loads only what is not cached, in one call, and remembers unknown ids as absent", async () => {
    const cache = new ResponseCache<{ value: number | null }>(100, 60_000);
    const { calls, load } = loader({ a: 1, b: 2 });
    const first = await readManyThrough(cache, (id) => `k:${id}`, ["a", "x"], load);
    expect([...first]).toEqual([["a", 1]]);
    const second = await readManyThrough(cache, (id) => `k:${id}`, ["a", "b", "x"], load);
    expect([...second].sort()).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(calls).toEqual([["a", "x"], ["b"]]);
    await readManyThrough(cache, (id) => `k:${id}`, ["a", "b", "x"], load);
    expect(calls).toHaveLength(2);
  });

  it("reads again under a new key, as after a model rebuild", async () => {
    const cache = new ResponseCache<{ value: number | null }>(100, 60_000);
    const { calls, load } = loader({ a: 1 });
    await readManyThrough(cache, (id) => `build1:${id}`, ["a"], load);
    await readManyThrough(cache, (id) => `build2:${id}`, ["a"], load);
    expect(calls).toEqual([["a"], ["a"]]);
  });
});
