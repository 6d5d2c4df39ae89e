/**
 * The plan document (`schemas/plan.schema.json`).
 */
import type { Plan } from '../plan/types.js';

/** The plan document as JSON text (2-space indented, newline-terminated). */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
