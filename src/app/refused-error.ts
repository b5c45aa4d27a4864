/** Carries expected refusals from a use case to the edge, which renders them as a problem. */
import { httpStatusOf, refusal, type ErrorCode, type Refusal } from '../domain/errors.js';

export class RefusedError extends Error {
  constructor(
    readonly refusals: Refusal[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(refusals.map((r) => `${r.code}: ${r.detail}`).join('; '));
  }

  /** One code when every refusal shares it, else CHANGE_REFUSED (API.md §1, §7.2). */
  get code(): ErrorCode {
    const codes = new Set(this.refusals.map((r) => r.code));
    return codes.size === 1 ? (this.refusals[0] as Refusal).code : 'CHANGE_REFUSED';
  }

  get status(): number {
    return httpStatusOf(this.code);
  }
}

export function refuse(
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): never {
  throw new RefusedError([refusal(code, detail)], extra);
}
