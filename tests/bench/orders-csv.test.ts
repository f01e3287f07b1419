import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { OrdersCsvHeaderError, parseIsoTime, readOrdersCsv } from "../../bench/lib/orders-csv";

const dir = mkdtempSync(join(tmpdir(), "orders-csv-"));
const write = (name: string, text: string, gzip = false) => {
  const file = join(dir, name);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
};

describe("parseIsoTime", () => {
  it("reads every ISO 8601 / RFC 3339 form, with a space for T and no offset as UTC", () => {
    const utc = "2019-01-01T10:20:30.000Z";
    for (const text of [
      "2019-01-01T10:20:30Z",
      "2019-01-01 10:20:30.000Z",
      "2019-01-01T10:20:30",
      "2019-01-01T12:20:30+02:00",
      "2019-01-01T05:20:30-0500",
      "2019-01-01t10:20:30z",
    ]) {
      expect(parseIsoTime(text)?.toISOString(), text).toBe(utc);
    }
    expect(parseIsoTime("2019-01-01")?.toISOString()).toBe("2019-01-01T00:00:00.000Z");
    expect(parseIsoTime("2019-01-01T10:20:30.1234Z")?.getUTCMilliseconds()).toBe(123);
  });

  it("refuses what is not a calendar time", () => {
    for (const text of ["12/1/2010 8:26", "2019-02-30", "2019-01-01T25:00", "", "yesterday"]) {
      expect(parseIsoTime(text), text).toBeNull();
    }
  });
});

describe("readOrdersCsv", () => {
  it("reads lines in any column order, ignores extra columns, counts and skips bad rows", async () => {
    const file = write(
      "orders.csv.gz",
      [
        "order_id,customer_id,note,product_id,ordered_at,quantity,unit_price",
        `1,c1,"a, quoted note",p1,2020-05-01T10:00:00Z,2,9.99`,
        `1,c1,,p2,2020-05-01 10:00:00,1,`,
        `2,,,p1,2020-05-02T10:00:00Z,1,1`,
        `3,c2,,p1,May 2nd,1,1`,
        `4,c2,,p1,2020-05-02T10:00:00Z,-1,1`,
        `5,c2,,,2020-05-02T10:00:00Z,1,1`,
        `6,c2,"unterminated,p1,2020-05-02T10:00:00Z,1,1`,
      ].join("\n"),
      true,
    );
    const csv = await readOrdersCsv(file);
    expect(csv.purchases).toEqual([
      {
        customerId: "c1",
        orderId: "1",
        productId: "p1",
        at: new Date("2020-05-01T10:00:00Z"),
        quantity: 2,
      },
      {
        customerId: "c1",
        orderId: "1",
        productId: "p2",
        at: new Date("2020-05-01T10:00:00Z"),
        quantity: 1,
      },
    ]);
    expect(Object.fromEntries(csv.skipped)).toEqual({
      "no customer": 1,
      "time not ISO 8601": 1,
      "quantity not positive": 1,
      "no product": 1,
      "unreadable row": 1,
    });
    expect(csv.rows).toBe(7);
  });

  it("says which columns a file lacks", async () => {
    const file = write("bad-header.csv", "InvoiceNo,StockCode,Quantity\n1,2,3\n");
    await expect(readOrdersCsv(file)).rejects.toThrow(OrdersCsvHeaderError);
    await expect(readOrdersCsv(file)).rejects.toThrow(/lacks customer_id, order_id, product_id/);
  });
});
