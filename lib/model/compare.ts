// Deterministic text order for sorting output: UTF-16 code units, as `<` compares them. `localeCompare` would
// cost every run the ICU collator's start-up (about 28 ms of a `check`) for an order no one reads as prose.

/** Negative when a sorts before b, positive after, 0 when equal. */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
