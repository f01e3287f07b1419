/**
 * /email/unsubscribe?token=… — the link in every win-back email, public (customers have no
 * Shopify session). GET only asks (mail scanners follow links, and a click must not be enough
 * to change consent); POST unsubscribes: the page's button, or a mail client's RFC 8058
 * one-click POST (`List-Unsubscribe=One-Click`) to the same URL. A bad token changes nothing.
 */
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { CSSProperties } from "react";
import { getDatabase } from "~/db.server";
import { resolveUnsubscribeLink, unsubscribeCustomer } from "~/services/email/unsubscribe.server";

// The token sits in the URL: keep it out of caches, search engines and Referer headers.
const PRIVATE_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

type PageState = "confirm" | "done" | "invalid";
interface PageData {
  state: PageState;
  shopName: string | null;
  token: string;
}

const page = (data: PageData, status = 200) => json(data, { status, headers: PRIVATE_HEADERS });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const link = await resolveUnsubscribeLink(getDatabase().sql, token);
  if (!link) return page({ state: "invalid", shopName: null, token: "" }, 400);
  return page({ state: "confirm", shopName: link.shopName, token });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const token = await tokenOf(request);
  const sql = getDatabase().sql;
  const link = await resolveUnsubscribeLink(sql, token);
  if (!link) return page({ state: "invalid", shopName: null, token: "" }, 400);
  await unsubscribeCustomer(sql, link, new Date());
  return page({ state: "done", shopName: link.shopName, token: "" });
};

/** From the link itself (one-click POSTs go there), else from the page's form. */
async function tokenOf(request: Request): Promise<string> {
  const fromUrl = new URL(request.url).searchParams.get("token");
  if (fromUrl) return fromUrl;
  try {
    const value = (await request.formData()).get("token");
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}

// Also on the rendered page (document requests), not only on data responses.
export const headers: HeadersFunction = () => PRIVATE_HEADERS;

export const meta: MetaFunction = () => [
  { title: "Unsubscribe" },
  { name: "robots", content: "noindex" },
];

const styles: Record<string, CSSProperties> = {
  main: {
    maxWidth: "32rem",
    margin: "10vh auto",
    padding: "2rem",
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    lineHeight: 1.5,
    color: "#202223",
  },
  button: {
    font: "inherit",
    fontWeight: 600,
    padding: "0.75rem 1.5rem",
    border: "none",
    borderRadius: "0.5rem",
    background: "#202223",
    color: "#ffffff",
    cursor: "pointer",
  },
};

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { state, shopName, token } = acted ?? loaded;
  const sender = shopName ?? "this shop";
  return (
    <main style={styles.main}>
      {state === "invalid" && (
        <>
          <h1>This link doesn&apos;t work</h1>
          <p>
            The unsubscribe link is incomplete or has been changed. Open it again from the email, or
            copy the whole link into your browser.
          </p>
        </>
      )}
      {state === "confirm" && (
        <>
          <h1>Unsubscribe from {sender}?</h1>
          <p>You will stop receiving marketing emails from {sender}.</p>
          <Form method="post" replace>
            <input type="hidden" name="token" value={token} />
            <button type="submit" style={styles.button} disabled={busy} aria-busy={busy}>
              {busy ? "Unsubscribing…" : "Unsubscribe"}
            </button>
          </Form>
        </>
      )}
      {state === "done" && (
        <div role="status">
          <h1>You&apos;re unsubscribed</h1>
          <p>{sender} won&apos;t send you marketing emails any more.</p>
        </div>
      )}
    </main>
  );
}
