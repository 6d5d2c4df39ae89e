import type { Problem } from './config/types.js';

/**
 * The few named error classes of vocab-sync. Only `cli/` maps them to exit codes and words.
 * The API error (`DashScopeError`) lives in `dashscope/errors.ts`.
 */

/** A problem the user can fix in their config or vocabulary files. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The individual problems, when there are several. */
  readonly problems: Problem[];
  constructor(message: string, options?: { problems?: Problem[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}

/** A plan that its checks refused (quota, word caps, safety rules). */
export class PlanRefusedError extends Error {
  override readonly name = 'PlanRefusedError';
}

/** A saved plan whose observed remote state no longer matches the account. */
export class StalePlanError extends Error {
  override readonly name = 'StalePlanError';
  /** Human-readable list of what changed since the plan was made. */
  readonly differences: string[];
  constructor(message: string, differences: string[]) {
    super(message);
    this.differences = differences;
  }
}
