/**
 * Bounds on a `vocabularies` glob before it touches the disk. Wildcards become regular
 * expressions, and some shapes make them backtrack for minutes on one long file name (four `*`
 * in one segment against a 250-character name took seconds); deep nesting and many `**`
 * multiply the walk. Real patterns need far less than these limits. Pure.
 */
import { quoteValue } from '../util/secrets.js';

/** Longest pattern taken. */
export const MAX_GLOB_PATTERN_LENGTH = 1024;
/** Most `**` segments in one pattern. */
export const MAX_GLOBSTARS = 4;
/** Most `*` wildcards in one path segment (braces included). */
export const MAX_STARS_PER_SEGMENT = 3;
/** Deepest nesting of `{...}`. */
export const MAX_BRACE_DEPTH = 3;
/** Most `{...}` groups in one pattern. */
export const MAX_BRACE_GROUPS = 8;

/** True when the pattern has glob wildcards (else it names one path). */
export function hasMagic(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** Why a pattern is refused, or undefined when it is within the bounds. */
export function checkGlobPattern(pattern: string): string | undefined {
  const shown = quoteValue(pattern);
  if (pattern.length > MAX_GLOB_PATTERN_LENGTH) return `the pattern is ${pattern.length} characters long, more than ${MAX_GLOB_PATTERN_LENGTH}`;
  if (pattern.includes('\u0000')) return `the pattern ${shown} contains a NUL character`;
  const segments = pattern.split('/');
  const globstars = segments.filter((s) => s === '**').length;
  if (globstars > MAX_GLOBSTARS) return `the pattern ${shown} has ${globstars} "**" segments; at most ${MAX_GLOBSTARS} are allowed`;
  for (const segment of segments) {
    if (segment === '**') continue;
    const stars = segment.split('*').length - 1;
    if (stars > MAX_STARS_PER_SEGMENT) {
      return `the pattern ${shown} has ${stars} "*" in one path segment; at most ${MAX_STARS_PER_SEGMENT} are allowed (more make matching a long file name take minutes)`;
    }
  }
  const braces = braceShape(pattern);
  if (braces.depth > MAX_BRACE_DEPTH) return `the pattern ${shown} nests "{...}" ${braces.depth} deep; at most ${MAX_BRACE_DEPTH} levels are allowed`;
  if (braces.groups > MAX_BRACE_GROUPS) return `the pattern ${shown} has ${braces.groups} "{...}" groups; at most ${MAX_BRACE_GROUPS} are allowed`;
  return undefined;
}

/** Deepest nesting and number of `{` groups (escaped braces do not count). */
function braceShape(pattern: string): { depth: number; groups: number } {
  let depth = 0;
  let deepest = 0;
  let groups = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') {
      depth++;
      groups++;
      deepest = Math.max(deepest, depth);
    } else if (c === '}' && depth > 0) depth--;
  }
  return { depth: deepest, groups };
}
