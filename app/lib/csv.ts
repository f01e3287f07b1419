/** RFC 4180 CSV lines, each ending CRLF: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function csvLines(rows: ReadonlyArray<readonly unknown[]>): string {
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return rows.map((row) => row.map(field).join(",") + "\r\n").join("");
}

/** A CSV document: the header line, then the rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return csvLines([header, ...rows]);
}
