import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";

/**
 * Asks before something that cannot be taken back or that reaches customers (run now, delete,
 * switch off, send a test): an App Bridge modal with the consequence in a sentence, the action
 * named on its button (red when it destroys something) and a way out.
 */
export function ConfirmModal({
  id,
  open,
  title,
  children,
  confirmLabel,
  destructive = false,
  onConfirm,
  onClose,
}: {
  /** Unique on the page (App Bridge addresses modals by id). */
  id: string;
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal id={id} open={open} onHide={onClose}>
      {/* The modal's body is drawn by Shopify admin outside the app's styles: plain markup. */}
      <div style={{ padding: "16px" }}>{children}</div>
      <TitleBar title={title}>
        <button
          variant="primary"
          tone={destructive ? "critical" : undefined}
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button onClick={onClose}>{t("common.cancel")}</button>
      </TitleBar>
    </Modal>
  );
}
