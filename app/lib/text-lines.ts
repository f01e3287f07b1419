/**
 * The lines of a UTF-8 byte stream (a download's body), without their line breaks (`\n` or
 * `\r\n`); a last line without a break is yielded too. Cheaper than node:readline over a web
 * stream converted to a Node one, which the backfill feels at millions of lines.
 */
export async function* textLines(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  // Node's web streams are async iterable; the DOM types the app compiles with do not say so.
  const chunks = body as AsyncIterable<Uint8Array>;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  for await (const chunk of chunks) {
    // A character split across two chunks is held by the decoder until its last byte comes.
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    let end = text.indexOf("\n");
    while (end !== -1) {
      yield withoutCarriageReturn(text.slice(start, end));
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== "") yield withoutCarriageReturn(rest);
}

const withoutCarriageReturn = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
