/**
 * Fulfilment moves (API.md §3, §7.6). CONTRACT — helper implements these with exactly these
 * signatures; the demo seed calls them.
 */
export {};
