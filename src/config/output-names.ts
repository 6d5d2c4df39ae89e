/**
 * How a vocabulary's name becomes a variable name in `vocab outputs`: one home for the rule, so
 * `vocab validate` refuses two names that would share a variable before any output is written.
 */

/** `movies` -> `MOVIES`, `support-cn` -> `SUPPORT_CN`: the name part of a dotenv variable. */
export function dotenvNamePart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** `VOCAB_MOVIES_ID`: the dotenv variable holding a vocabulary's live id. */
export function dotenvIdKey(name: string): string {
  return `VOCAB_${dotenvNamePart(name)}_ID`;
}

/**
 * The name part of a GitHub step output key, usable as `steps.ID.outputs.KEY`: it starts with
 * a letter or `_` and holds only letters, digits, `-` and `_`. GitHub compares keys without
 * regard to case.
 */
export function githubNamePart(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/**
 * The one key that two names must not share: the dotenv form, which folds case and every
 * run of punctuation, so names distinct here are distinct as GitHub keys too.
 */
export function outputCollisionKey(name: string): string {
  return dotenvNamePart(name);
}
