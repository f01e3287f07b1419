import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type { BackfillProgress } from "~/services/sync/sync-status.server";

/**
 * How far an import is, in the merchant's words: a share saved and the time left, never the
 * export's raw line counts (which count order lines and variants, not orders and products).
 */
export function useImportProgressText() {
  const { t } = useTranslation();
  const formats = useFormats();
  const timeLeft = (etaSeconds: number | null): string | null =>
    etaSeconds === null
      ? null
      : etaSeconds < 60
        ? t("sync.underAMinuteLeft")
        : t("sync.minutesLeft", { count: Math.ceil(etaSeconds / 60) });
  const saved = (percent: number, etaSeconds: number | null) =>
    [t("sync.percentSaved", { percent: formats.percent(percent / 100) }), timeLeft(etaSeconds)]
      .filter(Boolean)
      .join(" · ");
  /** `isNext`: the first part not done yet, which the worker picks up next. */
  const job = (
    progress: Pick<BackfillProgress, "status" | "percent" | "etaSeconds">,
    isNext: boolean,
  ): string => {
    switch (progress.status) {
      case "pending":
        return isNext ? t("sync.startingSoon") : t("sync.waitingTurn");
      case "running":
        return t("sync.preparingExport");
      case "loading":
        return saved(progress.percent, progress.etaSeconds);
      case "done":
        return t("sync.jobDone");
      case "failed":
        return t("sync.jobFailed");
    }
  };
  return { job, saved, timeLeft };
}
