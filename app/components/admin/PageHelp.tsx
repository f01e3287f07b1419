import { FooterHelp, Link } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Modal, TitleBar } from "@shopify/app-bridge-react";

/** The admin pages with a help text: `help.<page>.what` and `help.<page>.next` in every locale. */
export const HELP_PAGES = [
  "home",
  "sync",
  "winbackList",
  "winbackRule",
  "customers",
  "customer",
  "analyticsSettings",
  "emailSettings",
  "recommendationSettings",
  "recommendations",
  "plans",
  "failedUpdates",
  "emailTemplate",
  "emailSuppressions",
  "flows",
  "flow",
  "segments",
  "segment",
] as const;
export type HelpPage = (typeof HELP_PAGES)[number];

/**
 * A link at the foot of the page to a short help text: what the page does and what to do next,
 * shown in an App Bridge modal so the merchant keeps their place.
 */
export function PageHelp({ page, title }: { page: HelpPage; title: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <FooterHelp>
        <Link onClick={() => setOpen(true)}>{t("help.link", { page: title })}</Link>
      </FooterHelp>
      <Modal id={`help-${page}`} open={open} onHide={() => setOpen(false)}>
        <div style={{ padding: "16px" }} data-help-page={page}>
          <h2 style={{ fontWeight: 600 }}>{t("help.whatTitle")}</h2>
          <p>{t(`help.${page}.what`)}</p>
          <h2 style={{ fontWeight: 600, marginTop: "12px" }}>{t("help.nextTitle")}</h2>
          <p>{t(`help.${page}.next`)}</p>
        </div>
        <TitleBar title={t("help.title", { page: title })}>
          <button onClick={() => setOpen(false)}>{t("help.close")}</button>
        </TitleBar>
      </Modal>
    </>
  );
}
