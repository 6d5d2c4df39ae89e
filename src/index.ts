/**
 * The library API of vocab-sync: the same steps the `vocab` command runs, without printing.
 * Progress comes through optional callbacks; errors are the named classes exported below.
 *
 *   import { validate, plan, apply, drift, exportVocabularies, collectOutputs } from 'vocab-sync';
 */
import { loadDesiredState, validateDesiredState } from './config/index.js';
import type { Problem } from './config/types.js';
import { readPlanFile } from './sync/plan-file.js';
import {
  applyPlanned,
  driftEnvironment,
  exportEnvironment,
  outputsEnvironment,
  planEnvironment,
  replanSaved,
  type ApplyPlannedOptions,
  type ExportedEnvironment,
  type ExportEnvironmentOptions,
  type PlanEnvironmentOptions,
  type PlannedEnvironment,
} from './run.js';
import type { DriftReport } from './plan/build-drift-report.js';
import type { ApplyResult, Plan, VocabularyOutputs } from './plan/types.js';

export { loadDesiredState, validateDesiredState };
export { connectService } from './connect.js';
export { ConfigError, PlanRefusedError, StalePlanError } from './errors.js';
export { DashScopeError, isVocabularyNotFound } from './dashscope/errors.js';
export { createHttpVocabularyService } from './dashscope/http-client.js';
export { listAllVocabularies } from './dashscope/list-all.js';
export { createLocalVocabularyService } from './emulator/local-service.js';
export { startEmulatorServer } from './emulator/server.js';
export { readPlanFile, writePlanFile } from './sync/plan-file.js';
export * from './report/index.js';
export type * from './config/types.js';
export type * from './dashscope/types.js';
export type * from './plan/types.js';
export type { ApplyProgressEvent } from './sync/apply.js';
export type { DriftReport } from './plan/build-drift-report.js';
export type { PlanEnvironmentOptions, PlannedEnvironment, ApplyPlannedOptions, ExportEnvironmentOptions, ExportedEnvironment };

/** Options of `validate`. */
export interface ValidateOptions {
  cwd: string;
  configPath?: string;
  /** Check one environment; every environment when omitted. */
  environment?: string;
}

/** Loads the desired state and returns every problem (errors and warnings); empty when all is well. */
export async function validate(options: ValidateOptions): Promise<Problem[]> {
  const { state, problems } = await loadDesiredState({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  if (!state) return problems;
  return [...problems, ...validateDesiredState(state, options.environment ? { environment: options.environment } : {})];
}

/** Builds the checked plan of one environment (reads only). Close `result.service` when done if you passed none. */
export async function plan(options: PlanEnvironmentOptions): Promise<PlannedEnvironment> {
  return planEnvironment(options);
}

/** Options of `apply`. */
export interface ApplyOptions extends PlanEnvironmentOptions, ApplyPlannedOptions {
  /** A saved plan (from `plan().plan` or `readPlanFile`): refused with StalePlanError if the account changed. */
  savedPlan?: Plan | string;
}

/** Plans (or re-checks a saved plan) and applies it; throws PlanRefusedError when the checks refuse it. */
export async function apply(options: ApplyOptions): Promise<{ plan: Plan; result: ApplyResult }> {
  const saved = typeof options.savedPlan === 'string' ? await readPlanFile(options.savedPlan) : options.savedPlan;
  const planned = saved ? await replanSaved(saved, options) : await planEnvironment(options);
  try {
    const result = await applyPlanned(planned, options);
    return { plan: planned.plan, result };
  } finally {
    if (!options.service) await planned.service.close?.();
  }
}

/** Reports drift of one environment (reads only): `report.in_sync` false means drift. */
export async function drift(options: PlanEnvironmentOptions): Promise<{ plan: Plan; report: DriftReport }> {
  const result = await driftEnvironment(options);
  if (!options.service) await result.service.close?.();
  return { plan: result.plan, report: result.report };
}

/** `vocab export`: writes vocabulary files from the account, so an existing account can be adopted. */
export async function exportVocabularies(options: ExportEnvironmentOptions): Promise<ExportedEnvironment> {
  return exportEnvironment(options);
}

/** `vocab outputs`: the live id and status of every declared vocabulary, keyed by name (reads only). */
export async function collectOutputs(options: PlanEnvironmentOptions): Promise<VocabularyOutputs> {
  return outputsEnvironment(options);
}
