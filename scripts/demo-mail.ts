import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { closeEmailTransports } from "~/services/email/send-email.server";
import { localSmtpSettings, saveEmailSettings } from "~/services/email/email-settings.server";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { startSmtpSink } from "../tests/helpers/smtp-sink";

/**
 * The demo shop's "SMTP server": a local sink that writes every message it is sent to
 * `folder` as a .eml file (open it with any mail client), so win-back emails can be read
 * offline. The shop's email settings are pointed at it on every start, the port being new.
 * Until the merchant saves their own, the demo's emails go out as soon as they are due (no
 * quiet hours, no waiting for a best hour), so a visitor sees them at once.
 */
export async function startDemoMail(
  sql: SqlQueryable,
  shop: { domain: string; name: string; email: string },
  folder: string,
): Promise<{ close: () => Promise<void> }> {
  mkdirSync(folder, { recursive: true });
  const sink = await startSmtpSink({
    onMessage: (message) => {
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const id = message.messageId.replace(/[^A-Za-z0-9@._-]+/g, "").slice(0, 80) || "message";
      writeFileSync(path.join(folder, `${stamp}-${id}.eml`), message.raw);
    },
  });
  const { rows } = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    shop.domain,
  ]);
  const shopId = rows[0]?.id;
  if (shopId !== undefined) {
    await saveEmailSettings(
      sql,
      shopId,
      localSmtpSettings(sink, { name: shop.name, address: shop.email }),
    );
    const timing = await sql.query(`SELECT 1 FROM shop_send_timing WHERE shop_id = $1`, [shopId]);
    if (timing.rows.length === 0) await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
  }
  return {
    close: async () => {
      closeEmailTransports();
      await sink.close();
    },
  };
}
