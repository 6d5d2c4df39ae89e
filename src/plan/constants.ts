/**
 * Named constants of the pure reconciler core, in one place.
 */

/** Version of the plan document (`schemas/plan.schema.json`). */
export const PLAN_FORMAT_VERSION = 1;

/** Version of the drift report document. */
export const DRIFT_FORMAT_VERSION = 1;

/** `max_removed_ratio` applies only to lists that had at least this many entries. */
export const MIN_ENTRIES_FOR_REMOVED_RATIO = 10;

/** Prefix of every fingerprint and content hash. */
export const HASH_PREFIX = 'sha256:';

/** Reasons of planned changes that other tools and tests match on. */
export const REASON_DUPLICATE = 'duplicate';
export const REASON_NOT_DECLARED = 'not declared';
export const REASON_UP_TO_DATE = 'up to date';

/** The status of a usable vocabulary. */
export const STATUS_OK = 'OK';
