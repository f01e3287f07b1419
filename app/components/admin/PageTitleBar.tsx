import { TitleBar } from "@shopify/app-bridge-react";

/** One title bar button: a link (url) or a callback, as Polaris page actions are written. */
export interface TitleBarAction {
  content: string;
  url?: string;
  onAction?: () => void;
  destructive?: boolean;
  disabled?: boolean;
  loading?: boolean;
}

function ActionButton({ action, primary }: { action: TitleBarAction; primary?: boolean }) {
  const variant = primary ? "primary" : undefined;
  if (action.url) {
    return (
      <a href={action.url} variant={variant}>
        {action.content}
      </a>
    );
  }
  return (
    <button
      variant={variant}
      tone={action.destructive ? "critical" : undefined}
      disabled={action.disabled || action.loading}
      // App Bridge shows a spinner on a button with the loading attribute.
      {...(action.loading ? { loading: "" } : {})}
      onClick={action.onAction}
    >
      {action.content}
    </button>
  );
}

/**
 * The page's title and actions in Shopify admin's own title bar (App Bridge `ui-title-bar`),
 * where they stay in view while the merchant scrolls; the back link becomes its breadcrumb.
 */
export function PageTitleBar({
  title,
  back,
  primaryAction,
  secondaryActions = [],
}: {
  title: string;
  back?: { content: string; url: string };
  primaryAction?: TitleBarAction;
  secondaryActions?: TitleBarAction[];
}) {
  return (
    <TitleBar title={title}>
      {back && (
        <a variant="breadcrumb" href={back.url}>
          {back.content}
        </a>
      )}
      {primaryAction && <ActionButton action={primaryAction} primary />}
      {secondaryActions.map((action) => (
        <ActionButton key={action.content} action={action} />
      ))}
    </TitleBar>
  );
}
