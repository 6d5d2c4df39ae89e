/** The conformance report as a terminal table: each rule, what the service did, what the emulator does. */
import type { ConformanceReport } from '../conformance/run-conformance.js';

const HEAD = ['rule', 'service', 'emulator', 'agrees'] as const;

function verdict(agrees: boolean | null): string {
  return agrees === null ? 'skipped' : agrees ? 'yes' : 'NO';
}

/** One row per rule, columns padded; then the rules' descriptions of the disagreements and a summary line. */
export function renderConformanceText(report: ConformanceReport): string {
  const rows = report.results.map((r) => [r.rule, r.service, r.emulator, verdict(r.agrees)]);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [`vocab conformance for environment ${report.environment} (${report.base_url}), throwaway prefix ${report.prefix}`, '', line(HEAD), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) out.push(line(row));
  const differences = report.results.filter((r) => r.agrees === false);
  if (differences.length > 0) {
    out.push('', 'Where the emulator differs from the service:');
    for (const r of differences) out.push(`  ${r.rule}: the emulator's rule is "${r.description}" (${r.source}); the service answered ${r.service}`);
  }
  const { agree, disagree, skipped } = report.summary;
  out.push('', `${agree} agree, ${disagree} differ, ${skipped} skipped.`);
  return `${out.join('\n')}\n`;
}
