import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/db.server";
import { idParamOr404, rethrowNotFoundAs404 } from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { requireInstalledShop } from "~/services/install.server";
import { listSegmentMembers } from "~/services/segments/segment-members.server";
import { getSegment } from "~/services/segments/segment-store.server";

/** A page of a segment's members for the list, from `?after=` or `?before=` a customer id. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const id = idParamOr404(params.id);
  const { sql } = getDatabase();
  const segment = await getSegment(sql, shop.id, id).catch(rethrowNotFoundAs404);
  const search = new URL(request.url).searchParams;
  return listSegmentMembers(sql, shop.id, segment.id, {
    after: search.get("after") ?? undefined,
    before: search.get("before") ?? undefined,
  });
};
