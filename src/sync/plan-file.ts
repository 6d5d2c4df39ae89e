import { readFile } from 'node:fs/promises';
import { checkWireModel, checkWireVocabularyId, showWireValue, WIRE_PREFIX } from '../dashscope/wire-rules.js';
import { ConfigError } from '../errors.js';
import { describeIoError } from '../config/read-source.js';
import type { Plan } from '../plan/types.js';
import { assertWritableTarget, UnwritableTargetError, writeFileAtomic } from '../util/atomic-write.js';
import { readRegularFile, UnreadableFileError } from '../util/read-regular-file.js';
import { quoteValue, showValue } from '../util/secrets.js';

/** Largest plan file read back (a plan of 10 lists of 10,000 entries is a few MB). */
export const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024;

let validatePlanDocument: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

async function planValidator() {
  if (!validatePlanDocument) {
    // ajv is loaded only when a saved plan is read: `vocab plan` and `validate` start without it.
    // Through the default export (module.exports): the bundled command sees no named export
    // of a CommonJS module imported dynamically.
    const [{ Ajv2020 }, schemaText] = await Promise.all([
      import('ajv/dist/2020.js').then((module) => module.default),
      readFile(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
    ]);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validatePlanDocument = ajv.compile(JSON.parse(schemaText) as object);
  }
  return validatePlanDocument;
}

/**
 * Checks, before any work, that `--out` names a file that may be written: not empty, not a
 * symbolic link, a directory, a device, a FIFO or a socket. A ConfigError says why.
 */
export async function checkPlanFileTarget(file: string, shown: string = file): Promise<void> {
  if (shown.trim() === '') throw new ConfigError('cannot save the plan: --out is empty; give a file name');
  try {
    await assertWritableTarget(file, `--out ${quoteValue(shown)}`);
  } catch (error) {
    throw asConfigError(error, shown);
  }
}

/** Writes a plan document atomically (see writeFileAtomic): never through a link, never over a non-regular file. */
export async function writePlanFile(file: string, plan: Plan, shown: string = file): Promise<void> {
  if (shown.trim() === '') throw new ConfigError('cannot save the plan: --out is empty; give a file name');
  try {
    await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`, `--out ${quoteValue(shown)}`);
  } catch (error) {
    throw asConfigError(error, shown);
  }
}

function asConfigError(error: unknown, shown: string): ConfigError {
  if (error instanceof UnwritableTargetError) return new ConfigError(`cannot save the plan: ${error.message}`);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new ConfigError(`could not write the plan to ${quoteValue(shown)}${code ? ` (${code})` : ''}`, { cause: error });
}

/** Reads and checks a saved plan; a file that is not a plan document is a ConfigError saying why. */
export async function readPlanFile(file: string): Promise<Plan> {
  // The path may be anything given on the command line: never repeated when it looks like a secret.
  const shown = showValue(file);
  let text: string;
  try {
    text = (await readRegularFile(file, MAX_PLAN_FILE_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ConfigError(`the plan file ${shown} ${error.message}`);
    throw new ConfigError(`cannot read the plan file ${shown}: ${describeIoError(error, 'cannot read it')}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the plan file ${shown} is not JSON: ${(error as Error).message}`);
  }
  return checkPlanDocument(data, `the plan file ${shown}`);
}

/** Largest number of problems named in the error about a bad plan document. */
const MAX_PROBLEMS_SHOWN = 5;

/**
 * Checks that a value is a plan document, in shape (schemas/plan.schema.json) and in values
 * (ids of the service's shape, prefixes and models that cannot name a path or hold control
 * characters), and returns it typed. A saved plan is untrusted input, whoever wrote it: a
 * ConfigError names what is wrong.
 */
export async function checkPlanDocument(data: unknown, source: string): Promise<Plan> {
  const validate = await planValidator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    const first = errors.slice(0, MAX_PROBLEMS_SHOWN).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    // Plans saved before the endpoint was recorded lack only that: say how to get a usable one.
    const older = errors.some((e) => e.instancePath === '/target' && e.message === "must have required property 'url'");
    const hint = older ? '; a plan saved before vocab-sync recorded the endpoint it was made against cannot be used: run "vocab plan --out FILE" again' : '';
    throw new ConfigError(`${source} is not a vocab-sync plan document (format_version 1): ${first.join('; ')}${hint}`);
  }
  const plan = data as Plan;
  const problems = planValueProblems(plan);
  if (problems.length > 0) {
    throw new ConfigError(`${source} holds values no plan can hold: ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}`);
  }
  return plan;
}

/** Every id, prefix and model of a plan document that the service could not have given. */
export function planValueProblems(plan: Plan): string[] {
  const problems: string[] = [];
  const id = (value: string | null | undefined, where: string): void => {
    if (value === null || value === undefined) return;
    const problem = checkWireVocabularyId(value, where);
    if (problem !== undefined) problems.push(problem);
  };
  const prefix = (value: string, where: string): void => {
    if (!WIRE_PREFIX.test(value)) problems.push(`${where} ${showWireValue(value)} is not a prefix (a-z, 0-9)`);
  };
  const model = (value: string, where: string): void => {
    const problem = checkWireModel(value, where);
    if (problem !== undefined) problems.push(problem);
  };
  plan.changes.forEach((c, i) => {
    id(c.vocabulary_id, `/changes/${i}/vocabulary_id`);
    id(c.replaces?.vocabulary_id, `/changes/${i}/replaces/vocabulary_id`);
    prefix(c.prefix, `/changes/${i}/prefix`);
    model(c.target_model, `/changes/${i}/target_model`);
    if (c.replaces) model(c.replaces.target_model, `/changes/${i}/replaces/target_model`);
  });
  for (const [list, where] of [[plan.unmanaged, 'unmanaged'], [plan.observed, 'observed']] as const) {
    list.forEach((u, i) => {
      id(u.vocabulary_id, `/${where}/${i}/vocabulary_id`);
      prefix(u.prefix, `/${where}/${i}/prefix`);
    });
  }
  plan.desired.forEach((d, i) => {
    prefix(d.prefix, `/desired/${i}/prefix`);
    model(d.target_model, `/desired/${i}/target_model`);
  });
  (plan.left_out ?? []).forEach((c, i) => {
    id(c.vocabulary_id, `/left_out/${i}/vocabulary_id`);
    prefix(c.prefix, `/left_out/${i}/prefix`);
    model(c.target_model, `/left_out/${i}/target_model`);
  });
  for (const [i, p] of (plan.settings.ownership.prefixes ?? []).entries()) prefix(p, `/settings/ownership/prefixes/${i}`);
  const url = targetUrlProblem(plan.target);
  if (url !== undefined) problems.push(url);
  return problems;
}

/**
 * Why the endpoint a plan records could not be one a plan was made against: `local` goes with
 * the embedded account only, and a URL is http(s) with no user name, password, query or fragment.
 */
function targetUrlProblem(target: Plan['target']): string | undefined {
  if ((target.url === 'local') !== (target.url_from === 'local')) {
    return `/target/url must be "local" exactly when /target/url_from is "local"`;
  }
  if (target.url === 'local') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(target.url);
  } catch {
    return '/target/url is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return '/target/url is not an http(s) URL';
  if (parsed.username !== '' || parsed.password !== '') return '/target/url holds a user name or password (not shown)';
  if (parsed.search !== '' || parsed.hash !== '') return '/target/url has a query string or fragment';
  return undefined;
}
