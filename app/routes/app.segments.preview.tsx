import type { LoaderFunctionArgs } from "@remix-run/node";
import { segmentErrorMessage } from "~/components/segments/error-message";
import type { SegmentPreviewAnswer } from "~/components/segments/SegmentPreview";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { previewAudience } from "~/services/segments/audience.server";
import { parseSegment, SegmentError } from "~/services/segments/language";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

/** The builder's live count: the rule as typed → how many customers match and a few of them. */
export const loader = async ({ request }: LoaderFunctionArgs): Promise<SegmentPreviewAnswer> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const text = new URL(request.url).searchParams.get("q") ?? "";
  try {
    const { ast } = parseSegment(text);
    const audience = await previewAudience(getDatabase().sql, shop.id, ast);
    return { ok: true, rule: text, ...audience };
  } catch (error) {
    if (!(error instanceof SegmentError)) throw error;
    return { ok: false, rule: text, error: segmentErrorMessage(error) };
  }
};
