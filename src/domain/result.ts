/** Expected outcomes as data: a value, or the refusals that stop it (STYLE.md: Vendure's lesson). */
import type { Refusal } from './errors.js';

export type Result<T> = { ok: true; value: T } | { ok: false; refusals: Refusal[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refused = <T = never>(refusals: Refusal[]): Result<T> => ({ ok: false, refusals });
