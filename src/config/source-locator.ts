/**
 * What the loader needs from a parsed file: its data, and the position of any path in it. Both
 * the full YAML parser (`yaml-source.ts`) and the fast vocabulary reader
 * (`fast-vocabulary-parser.ts`, for vocabulary and config files) implement it, so problems read the same whichever parsed the file.
 */
import type { RuleProblem } from './rule-problem.js';
import type { Problem, SourcePosition } from './types.js';

/** A parsed file that can say where each part of its data came from. */
export interface SourceLocator {
  /** File name used in problems. */
  readonly file: string;
  /** The plain data, as `yaml`'s `toJS` would give it. */
  readonly data: unknown;
  /**
   * The position of the node at `path` (a JSON pointer), or of its nearest ancestor that exists.
   * With `pointsAt: 'key'`, the position of the map key itself.
   */
  positionOf(path: string, pointsAt?: 'key'): SourcePosition;
  /** Positions of the items of the sequence at `path` (empty when it is not a sequence). */
  itemPositions(path: string): SourcePosition[];
  /**
   * The same positions packed, one line and one column per item and no object per item (a list
   * of 100,000 entries); undefined when it is not a sequence. Optional: the fast reader has it.
   */
  itemLinesAndColumns?(path: string): PackedPositions | undefined;
}

/** Lines and columns (1-based) of a sequence's items, at the same index. */
export interface PackedPositions {
  lines: Uint32Array;
  columns: Uint32Array;
}

/** Turns rule problems (paths) into problems (FILE:LINE:COL). */
export function locateProblems(source: SourceLocator, ruleProblems: readonly RuleProblem[]): Problem[] {
  return ruleProblems.map((p) => {
    const position = source.positionOf(p.path, p.pointsAt);
    let message = p.message;
    if (p.relatedPath !== undefined) {
      const related = source.positionOf(p.relatedPath);
      message += ` (first at line ${related.line})`;
    }
    const problem: Problem = { ...position, path: p.path, message };
    if (p.severity === 'warning') problem.severity = 'warning';
    return problem;
  });
}
