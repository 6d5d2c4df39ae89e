/**
 * Every document the CLI prints and the formats it can be printed in: one table keyed by
 * (document, format), so `--format` is checked and the renderer chosen in one place. A new
 * document (or a new format of one) is a row here; a command only says which document it prints.
 */
import type { ConformanceReport } from '../conformance/run-conformance.js';
import type { ApplyResult, DriftReport, Plan, VocabularyOutputs } from '../plan/types.js';
import {
  renderApplyJson,
  renderApplyText,
  renderDriftJson,
  renderDriftMarkdown,
  renderDriftText,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlansMarkdown,
  renderPlansText,
  renderPlanText,
} from '../report/index.js';
import { renderConformanceText } from '../report/render-conformance.js';
import { renderOutputsDotenv, renderOutputsGithub, renderOutputsJson } from '../report/outputs.js';
import { renderValidationGithub, renderValidationJson, renderValidationText, type SplitOutput, type ValidationReport } from '../report/render-problems.js';
import type { CliContext } from './context.js';
import { oneOf, type ParsedCommandArgs } from './options.js';
import { colorFor } from './terminal.js';

/** What a renderer may need from the terminal. */
export interface RenderContext {
  color: boolean;
}

/** The documents, by the name the table knows them by. */
export interface Documents {
  plan: Plan;
  /** Several environments' plans (`plan --all-environments`). */
  plans: readonly Plan[];
  apply: ApplyResult;
  drift: DriftReport;
  /** Several environments' drift reports (`drift --all-environments`). */
  drifts: readonly DriftReport[];
  outputs: VocabularyOutputs;
  conformance: ConformanceReport;
  validation: ValidationReport;
}

export type DocumentName = keyof Documents;

/** What a renderer gives: stdout's text, or text for both streams (validate's problems go to stderr). */
type Rendered = string | SplitOutput;

type Renderer<T> = (value: T, context: RenderContext) => Rendered;
type Table = { [D in DocumentName]: Readonly<Record<string, Renderer<Documents[D]>>> };

/** JSON text of a document (2-space indented, newline-terminated). */
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The table. Each document's first format is its default. */
const RENDERERS = {
  plan: {
    text: (plan, { color }) => renderPlanText(plan, { color }),
    markdown: (plan) => renderPlanMarkdown(plan),
    json: (plan) => renderPlanJson(plan),
  },
  plans: {
    text: (plans, { color }) => renderPlansText(plans, { color }),
    markdown: (plans) => renderPlansMarkdown(plans),
    json: (plans) => json({ format_version: 1, plans }),
  },
  apply: {
    text: (result, { color }) => renderApplyText(result, { color }),
    json: (result) => renderApplyJson(result),
  },
  drift: {
    text: (report, { color }) => renderDriftText(report, { color }),
    markdown: (report) => renderDriftMarkdown(report),
    json: (report) => renderDriftJson(report),
  },
  drifts: {
    text: (reports, { color }) => reports.map((r) => renderDriftText(r, { color })).join('\n'),
    markdown: (reports) => reports.map((r) => renderDriftMarkdown(r)).join('\n'),
    json: (reports) => json({ format_version: 1, reports }),
  },
  outputs: {
    json: (outputs) => renderOutputsJson(outputs),
    dotenv: (outputs) => renderOutputsDotenv(outputs),
    github: (outputs) => renderOutputsGithub(outputs),
  },
  conformance: {
    text: (report) => renderConformanceText(report),
    json: (report) => json(report),
  },
  validation: {
    text: (report) => renderValidationText(report),
    json: (report) => renderValidationJson(report),
    github: (report) => renderValidationGithub(report),
  },
} as const satisfies Table;

/** The formats of a document. */
export type FormatOf<D extends DocumentName> = keyof (typeof RENDERERS)[D] & string;

/** The formats a document can be printed in, the first being the default. */
export function formatsOf<D extends DocumentName>(document: D): FormatOf<D>[] {
  return Object.keys(RENDERERS[document]) as FormatOf<D>[];
}

/** The `--format` value checked against what the document offers (default: its first format). */
export function chooseFormat<D extends DocumentName>(document: D, value: string | undefined): FormatOf<D> {
  const formats = formatsOf(document);
  return oneOf('format', value, formats, formats[0]!);
}

/** Renders a document in a format that `chooseFormat` accepted: the text for stdout, and for stderr. */
export function render<D extends DocumentName>(document: D, format: NoInfer<FormatOf<D>>, value: NoInfer<Documents[D]>, context: RenderContext): SplitOutput {
  const table: Table = RENDERERS;
  const renderer = table[document][format];
  if (!renderer) throw new Error(`no ${format} renderer for ${document}`);
  const rendered = renderer(value, context);
  return typeof rendered === 'string' ? { stdout: rendered, stderr: '' } : rendered;
}

/**
 * Renders a document and writes it to stdout (or to `to`, e.g. apply's preview of the plan on
 * stderr), coloured when that stream wants colour; a renderer's stderr part goes to stderr.
 */
export function printDocument<D extends DocumentName>(
  ctx: Pick<CliContext, 'stdout' | 'stderr' | 'env'>,
  parsed: ParsedCommandArgs,
  document: D,
  format: NoInfer<FormatOf<D>>,
  value: NoInfer<Documents[D]>,
  to: CliContext['stdout'] = ctx.stdout,
): void {
  const { stdout, stderr } = render(document, format, value, { color: colorFor(ctx, parsed, to) });
  if (stderr !== '') ctx.stderr.write(stderr);
  if (stdout !== '') to.write(stdout);
}
