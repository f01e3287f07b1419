import { useBlocker, useNavigate } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * Shopify admin's contextual save bar while a form has unsaved changes. Leaving the page then
 * asks first: the admin does so for its own navigation, and a link inside the app is held back
 * until App Bridge's leave confirmation says yes.
 */
export function UnsavedChangesBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  /** Unique on the page (App Bridge addresses save bars by id). */
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const confirmedLeave = useRef(false);
  // A save's own redirect is not a navigation the merchant started: it never asks.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty &&
      !saving &&
      !confirmedLeave.current &&
      currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    const next = blocker.location;
    blocker.reset();
    void shopify.saveBar.leaveConfirmation().then(() => {
      confirmedLeave.current = true;
      navigate(`${next.pathname}${next.search}`);
    });
  }, [blocker, shopify, navigate]);

  return (
    <SaveBar id={id} open={dirty} discardConfirmation>
      <button
        variant="primary"
        disabled={saving}
        {...(saving ? { loading: "" } : {})}
        onClick={onSave}
      >
        {t("common.save")}
      </button>
      <button disabled={saving} onClick={onDiscard}>
        {t("common.discard")}
      </button>
    </SaveBar>
  );
}
