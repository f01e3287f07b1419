/** The shop's attribution window, in days after a click or an open (browser-safe). */
export const ATTRIBUTION_DAYS = { min: 1, max: 30, default: 5 } as const;
