import { useBlocker, useLocation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";

/**
 * While `dirty`, leaving the page asks first: in-app navigation waits for App Bridge's leave
 * confirmation (the save bar's "discard changes?" dialog), or the browser's confirm outside
 * Shopify admin; closing the tab gets the browser's own question. `allowNext()` lets the next
 * navigation through, for moves the page makes itself after saving.
 */
export function useLeaveGuard(dirty: boolean, question: string) {
  const shopify = useAppBridge();
  const allowed = useRef(false);
  const { pathname } = useLocation();
  // A let-through move has happened once the page is elsewhere: guard again from here.
  useEffect(() => {
    allowed.current = false;
  }, [pathname]);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !allowed.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    const confirmLeave = shopify.saveBar?.leaveConfirmation;
    if (confirmLeave) {
      void confirmLeave().then(() => blocker.proceed());
    } else if (window.confirm(question)) blocker.proceed();
    else blocker.reset();
  }, [blocker, shopify, question]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  return {
    allowNext: () => {
      allowed.current = true;
    },
  };
}
