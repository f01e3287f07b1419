import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { redirect } from "@remix-run/node";
import { login } from "~/shopify.server";
import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=...; send it straight into the embedded app.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <main className={styles.page}>
      <h1>Rekindle</h1>
      <p>
        Know every customer, win back the ones slipping away, and recommend what each shopper is
        ready to buy next.
      </p>
      {showForm && (
        <Form method="post" action="/auth/login" className={styles.form}>
          <label>
            <span>Shop domain</span>
            <input type="text" name="shop" placeholder="my-shop.myshopify.com" />
          </label>
          <button type="submit">Log in</button>
        </Form>
      )}
      <ul>
        <li>RFM, lifecycle stages and CLV predictions that work from the first order.</li>
        <li>Win-back rules with unique codes, holdout groups and measured lift.</li>
        <li>Storefront recommendations that know where each customer is in their lifecycle.</li>
      </ul>
    </main>
  );
}
