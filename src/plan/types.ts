/**
 * Stages of reconciliation: RemoteVocabulary -> Change -> Plan -> ApplyResult.
 * The JSON shape of `Plan` is the plan document of SPEC.md (`schemas/plan.schema.json`).
 */
import type { DesiredEntry, EnvironmentConfig } from '../config/types.js';
import type { VocabularyStatus, WireEntry } from '../dashscope/types.js';

/** A list on the account whose prefix this repository owns, queried in full. */
export interface RemoteVocabulary {
  vocabulary_id: string;
  prefix: string;
  target_model: string;
  status: VocabularyStatus;
  gmt_create: string;
  gmt_modified: string;
  entries: WireEntry[];
}

/** A list on the account whose prefix is not owned: never touched, but counted. */
export interface UnmanagedVocabulary {
  vocabulary_id: string;
  prefix: string;
}

/** What was observed on the account at plan time. */
export interface RemoteSnapshot {
  owned: RemoteVocabulary[];
  unmanaged: UnmanagedVocabulary[];
}

/** The desired side of one environment, as stored in a saved plan (enough to re-plan). */
export interface PlannedVocabulary {
  name: string;
  prefix: string;
  target_model: string;
  entries: DesiredEntry[];
}

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** One entry whose weight or translation changed. */
export interface ChangedEntry {
  text: string;
  lang?: string;
  target_lang?: string;
  before: { weight?: number; translation?: string };
  after: { weight?: number; translation?: string };
}

/** Entry-level difference of one change. */
export interface EntryDiff {
  added: DesiredEntry[];
  removed: DesiredEntry[];
  changed: ChangedEntry[];
}

/** One planned change. */
export interface Change {
  action: ChangeAction;
  /** The declared name; null for a delete of an undeclared list. */
  name: string | null;
  prefix: string;
  target_model: string;
  /** The remote id today; null for a create. */
  vocabulary_id: string | null;
  /** Human-readable why, e.g. "2 entries added, 1 removed", "duplicate", "not declared". */
  reason: string;
  entries: EntryDiff;
  entry_count: { before: number; after: number };
  /** For `replace`: the list that goes away. */
  replaces?: { vocabulary_id: string; target_model: string };
  /** Entries to write (create, update, replace); absent for delete and noop. */
  vocabulary?: WireEntry[];
  /**
   * Update or replace of a list modified less than `apply.update_interval_seconds` ago: the
   * earliest time (ISO 8601, UTC) the service takes it. Absent when it may run now.
   */
  not_before?: string;
}

/** `quota` of the plan document. */
export interface QuotaSummary {
  limit: number;
  /** Lists on the account now (owned and unmanaged). */
  used: number;
  /** Lists after the apply. */
  after: number;
  /** Most lists at any step of the ordered apply. */
  peak: number;
}

export type ViolationRule = 'quota' | 'word_cap' | 'protect' | 'max_removed_ratio' | 'delete_all';

/** A failed check. `overridable` rules (safety) yield to --force; quota and word caps never do. */
export interface Violation {
  rule: ViolationRule;
  message: string;
  overridable: boolean;
  /** True when the plan was made with --force and this (overridable) violation yields to it. */
  overridden?: boolean;
  /** The change it concerns, when one. */
  prefix?: string;
  target_model?: string;
}

/** One observed remote list, as remembered by a saved plan to detect staleness. */
export interface ObservedVocabulary {
  vocabulary_id: string;
  prefix: string;
  /** Owned lists only; null for unmanaged lists, whose edits do not concern this repository. */
  gmt_modified: string | null;
  /** sha256 of the normalised content (owned lists only), null for unmanaged. */
  content_hash: string | null;
}

/** Where the endpoint a plan talks to comes from. */
export type EndpointSource = 'local' | 'DASHSCOPE_HTTP_BASE_URL' | 'endpoint' | 'region';

/** How to reach the account (no secrets): the config's settings and the endpoint actually used. */
export interface PlanTarget {
  endpoint?: string;
  region?: string;
  workspace?: string;
  api_key_env: string;
  /** The endpoint actually used: the HTTP base URL (never with credentials), or `local` for the embedded account. */
  url: string;
  /** Where `url` comes from: the embedded account, DASHSCOPE_HTTP_BASE_URL, the config's `endpoint`, or the region's official URL. */
  url_from: EndpointSource;
}

/** A change of a vocabulary that `--target` left out of the plan (not applied). */
export interface LeftOutChange {
  action: Exclude<ChangeAction, 'noop'>;
  name: string | null;
  prefix: string;
  target_model: string;
  vocabulary_id: string | null;
  reason: string;
}

/** The verdict of a plan's checks: `overridden` when every violation yields to --force. */
export interface PlanChecks {
  status: 'passed' | 'refused' | 'overridden';
  /** Whether --force was given. */
  force: boolean;
}

/** The plan document. */
export interface Plan {
  format_version: 1;
  environment: string;
  fingerprint: string;
  created_at: string;
  changes: Change[];
  unmanaged: UnmanagedVocabulary[];
  quota: QuotaSummary;
  violations: Violation[];
  summary: Record<ChangeAction, number>;
  /** The checks' verdict under the command's --force (set by `withChecks`; absent: judged without --force). */
  checks?: PlanChecks;
  /**
   * `--target` names that limited the plan (absent: the whole environment). A saved plan with
   * targets is applied only to those vocabularies.
   */
  targets?: string[];
  /** With `targets`: the changes of the other vocabularies, which this plan does not make. */
  left_out?: LeftOutChange[];
  /** Everything below is what a saved plan needs for `vocab apply PLAN_FILE`. */
  target: PlanTarget;
  settings: Pick<EnvironmentConfig, 'ownership' | 'quota' | 'safety' | 'apply'>;
  desired: PlannedVocabulary[];
  observed: ObservedVocabulary[];
}

export type ApplyStatus = 'applied' | 'failed' | 'skipped';

/** The outcome of one change. */
export interface ApplyResultItem {
  action: ChangeAction;
  name: string | null;
  prefix: string;
  target_model: string;
  status: ApplyStatus;
  vocabulary_id: string | null;
  error?: string;
  /** For a change skipped because of the service's update spacing: when to try again (ISO 8601 UTC). */
  retry_after?: string;
  /** e.g. "adopted an existing list after an uncertain create", "backup: .vocab/backups/..." */
  notes?: string[];
}

/** The result of an apply. */
export interface ApplyResult {
  format_version: 1;
  environment: string;
  results: ApplyResultItem[];
  summary: { applied: number; failed: number; skipped: number };
  /** Set when a signal stopped the apply early: changes not started are reported as skipped. */
  interrupted?: boolean;
}

/** What kind of difference `vocab drift` found. */
export type DriftKind =
  /** A declared list's entries differ from the files (changed out of band): apply would update it back. */
  | 'changed'
  /** A declared vocabulary has no list on the account: apply would create it. */
  | 'missing'
  /** The prefix exists only with another target_model: apply would replace it. */
  | 'wrong_model'
  /** An owned list that nothing declares: apply would delete it. */
  | 'extra'
  /** A second list with the identity of a declared one: apply would delete it. */
  | 'duplicate'
  /** An owned list whose status is not `OK` (not usable by recognition). */
  | 'not_ok';

/** One difference between the account and the desired state. */
export interface DriftItem {
  kind: DriftKind;
  /** The declared name; null when nothing declares the list. */
  name: string | null;
  prefix: string;
  target_model: string;
  /** The list on the account; null when it is missing. */
  vocabulary_id: string | null;
  /** One line, e.g. "2 entries added, 1 removed" or "status UNDEPLOYED". */
  message: string;
  /** The list's status (for `not_ok`). */
  status?: string;
  /** For `changed`: entries added, removed and changed on the account since the files said otherwise. */
  out_of_band?: DriftCounts;
  /** For `changed`: what apply would do about it (the same counts, from the files' side). */
  apply_would?: { add: number; remove: number; change: number };
}

/** Entry counts of an out-of-band change, as seen on the account. */
export interface DriftCounts {
  added: number;
  removed: number;
  changed: number;
}

/** The report of `vocab drift` (`--format json` prints it as is). */
export interface DriftReport {
  format_version: 1;
  environment: string;
  /** When the account was read (ISO 8601). */
  checked_at: string;
  /** True when nothing differs: no items. */
  in_sync: boolean;
  items: DriftItem[];
  quota: {
    limit: number;
    /** Lists on the account now, owned and unmanaged. */
    used: number;
    unmanaged: number;
    /** limit - used: lists that can still be created. */
    headroom: number;
  };
  /** Checks that the plan to repair the drift would fail (informative). */
  violations: Violation[];
}

/** What an application needs to know about one declared vocabulary. */
export interface VocabularyOutput {
  /** The live id, or null when the list does not exist (yet) on the account. */
  vocabulary_id: string | null;
  prefix: string;
  target_model: string;
  /** `OK`, `UNDEPLOYED`, or `missing` when there is no live list. */
  status: string;
}

/** Outputs keyed by vocabulary name. */
export type VocabularyOutputs = Record<string, VocabularyOutput>;
