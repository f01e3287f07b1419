import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/db.server";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES, requestLocale } from "~/i18n/locale.server";
import { idParamOr404, rethrowNotFoundAs404 } from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { requireInstalledShop } from "~/services/install.server";
import { segmentMembersCsv } from "~/services/segments/segment-members.server";
import { getSegment } from "~/services/segments/segment-store.server";

/** A file name from the segment's name: letters and digits of any script, the rest dashes. */
const fileName = (name: string) =>
  `${
    name
      .normalize("NFC")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-|-$/g, "") || "segment"
  }.csv`;

/**
 * Every member of a segment as CSV, streamed: the database is read a page at a time as the
 * download proceeds. Column and stage names are in the page's language (`?locale=`).
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const id = idParamOr404(params.id);
  const { sql } = getDatabase();
  const segment = await getSegment(sql, shop.id, id).catch(rethrowNotFoundAs404);
  const locale = await requestLocale(request);
  const { t } = i18nFor(locale, ADMIN_MESSAGES[locale]);
  const body = segmentMembersCsv(sql, shop.id, segment.id, {
    header: [
      t("segments.memberName"),
      t("segmentFields.email"),
      t("segmentFields.lifecycle_stage"),
      t("segmentFields.orders_count"),
      t("segments.totalSpentIn", { currency: shop.currency }),
      t("segmentFields.last_order_at"),
      t("segments.predictedValueIn", { currency: shop.currency }),
    ],
    stage: (key) => t(`lifecycleStages.${key}`, { defaultValue: key }),
  });
  const name = fileName(segment.name);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="segment.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
    },
  });
};
