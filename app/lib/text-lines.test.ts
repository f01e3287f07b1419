import { describe, expect, it } from "vitest";
import { textLines } from "./text-lines";

async function linesOf(chunks: Array<string | number[]>): Promise<string[]> {
  const encoded = chunks.map((chunk) =>
    typeof chunk === "string" ? new TextEncoder().encode(chunk) : Uint8Array.from(chunk),
  );
  const lines: string[] = [];
  for await (const line of textLines(
    (async function* () {
      yield* encoded;
    })(),
  ))
    lines.push(line);
  return lines;
}

describe("textLines", () => {
  it("splits on \\n and \\r\\n across chunk boundaries, keeping a last line without a break", async () => {
    expect(await linesOf(["a\nb", "c\r\n", "\nd\r", "\ne"])).toEqual(["a", "bc", "", "d", "e"]);
    expect(await linesOf(["x\n"])).toEqual(["x"]);
    expect(await linesOf([])).toEqual([]);
  });

  it("joins a character whose UTF-8 bytes are split between chunks", async () => {
    // "é" is C3 A9; "🍵" is F0 9F 8D B5.
    expect(
      await linesOf([
        [0x61, 0xc3],
        [0xa9, 0x0a, 0xf0, 0x9f],
        [0x8d, 0xb5],
      ]),
    ).toEqual(["aé", "🍵"]);
  });

  it("refuses bytes that are not UTF-8 rather than storing replacement characters", async () => {
    await expect(linesOf([[0x61, 0xff, 0x0a]])).rejects.toThrow(TypeError);
  });
});
