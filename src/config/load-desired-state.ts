/**
 * Loading the desired state: find the config, read it and the vocabulary files it names, run the
 * schema and the domain rules, and build one normalised DesiredState. Bad input becomes
 * problems (FILE:LINE:COL), never exceptions; only a config that cannot be found throws.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { asRecord } from '../util/is-record.js';
import { quoteValue } from '../util/secrets.js';
import { buildEnvironments, checkConfigData, chooseDefaultEnvironment } from './config-rules.js';
import { DEFAULT_VOCABULARY_GLOBS, MAX_VOCABULARY_FILES } from './defaults.js';
import { checkVocabularyData } from './entry-rules.js';
import { expandGlob, hasMagic, type GlobResult } from './expand-glob.js';
import { findConfig, type FoundConfig } from './find-config.js';
import { readSourceText } from './read-source.js';
import { joinPath, type RuleProblem } from './rule-problem.js';
import { validateWithSchema } from './schema-validation.js';
import { cannotHoldApiKeys, findApiKeys } from './secret-rules.js';
import type { DesiredState, DesiredVocabulary, EnvironmentConfig, Problem, SourcePosition } from './types.js';
import { findEnvironment, unknownEnvironmentMessage, validateDesiredState, vocabulariesForEnvironment } from './validate-state.js';
import { parseYamlFast } from './fast-vocabulary-parser.js';
import { locateProblems, type PackedPositions, type SourceLocator } from './source-locator.js';
import { quoteAsWritten, warnYaml11Booleans } from './quoting-advice.js';
import { compareText, plural } from '../util/text.js';
import type * as YamlSourceModule from './yaml-source.js';

/** Options of `loadDesiredState`. */
export interface LoadOptions {
  /** Working directory: where the search starts, and what problem file names are relative to. */
  cwd: string;
  /** An explicit config file (--config), relative to `cwd`. */
  configPath?: string;
  /**
   * Called once the config itself has been read without errors, before the vocabulary files
   * are: lets plan start reading the account while the files are still being validated.
   */
  onConfigRead?: (config: ReadConfig) => void;
}

/** What is known once the config file alone has been read. */
export interface ReadConfig {
  rootDir: string;
  defaultEnvironment: string;
  environments: Record<string, EnvironmentConfig>;
}

/** Options of `loadValidState`. */
export interface LoadValidStateOptions extends LoadOptions {
  /** The environment to use (--env); default: `default_environment`. */
  environment?: string;
}

/** What `loadValidState` hands to plan, apply and drift. */
export interface ValidState {
  state: DesiredState;
  environment: EnvironmentConfig;
  /** The vocabularies declared for `environment`. */
  vocabularies: DesiredVocabulary[];
  warnings: Problem[];
}

/** A file name for messages: relative to `cwd` when inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** True for problems that make validation fail. */
export function isError(problem: Problem): boolean {
  return problem.severity !== 'warning';
}

/** Schema messages give way to a domain rule's (more specific) message at the same path. */
function mergeProblems(ruleProblems: RuleProblem[], schemaProblems: RuleProblem[]): RuleProblem[] {
  const taken = new Set(ruleProblems.map((p) => p.path));
  return [...ruleProblems, ...schemaProblems.filter((p) => !taken.has(p.path))];
}

/** A source for configs without YAML text (JavaScript): every position is the file's start. */
function locateAtStart(file: string, problems: readonly RuleProblem[]): Problem[] {
  return problems.map((p) => ({ file, line: 1, column: 1, path: p.path, message: p.message, ...(p.severity === 'warning' ? { severity: p.severity } : {}) }));
}

interface ConfigSource {
  data: unknown;
  locate(problems: readonly RuleProblem[]): Problem[];
  position(path: string, pointsAt?: 'key'): SourcePosition;
}

async function readConfigSource(found: FoundConfig, display: string): Promise<{ source?: ConfigSource; problems: Problem[] }> {
  if (found.kind === 'module') {
    return {
      source: {
        data: found.exported,
        locate: (p) => locateAtStart(display, p),
        position: () => ({ file: display, line: 1, column: 1 }),
      },
      problems: [],
    };
  }
  const text = await readSourceText(found.file, display, 'config file');
  if (!text.ok) return { problems: [text.problem] };
  // The fast reader takes the common shape (package.json is JSON: the full parser reads it).
  const fast = found.kind === 'yaml' ? parseYamlFast(text.text, display) : undefined;
  if (fast?.handled) {
    const located = fast.source;
    return { source: { data: located.data, locate: (p) => locateProblems(located, p), position: (p, k) => located.positionOf(p, k) }, problems: [] };
  }
  const { parseYaml, positionOf, yamlLocator } = await loadYamlSource();
  const base = found.kind === 'package-json' ? ['vocab'] : [];
  const parsed = parseYaml(text.text, display, base);
  if (!parsed.source) return { problems: parsed.problems };
  const yaml = parsed.source;
  const data = found.kind === 'package-json' ? asRecord(yaml.data)?.['vocab'] : yaml.data;
  if (found.kind === 'package-json' && data === undefined) {
    return { problems: [{ file: display, line: 1, column: 1, path: '', message: 'package.json has no "vocab" key' }] };
  }
  return {
    source: { data, locate: (p) => locateProblems(yamlLocator(yaml), p), position: (p, k) => positionOf(yaml, p, k) },
    problems: parsed.problems,
  };
}

/** The full YAML parser, loaded only for a file the fast reader declines (most commands never need it). */
async function loadYamlSource(): Promise<typeof YamlSourceModule> {
  return import('./yaml-source.js');
}

/** Sorts problems by file (in order of first appearance), then line and column. */
export function sortProblems(problems: Problem[]): Problem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => fileOrder.get(a.p.file)! - fileOrder.get(b.p.file)! || a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Reads the config and every vocabulary file into a normalised DesiredState. Never throws for
 * bad input: problems (errors and warnings) are returned. `state` is null when the config itself
 * is unusable; when there are errors it holds what could be read, for further diagnostics only.
 * Throws ConfigError (naming the places searched) when no config file can be found.
 */
export async function loadDesiredState(options: LoadOptions): Promise<{ state: DesiredState | null; problems: Problem[] }> {
  const found = await findConfig(options);
  const cwd = path.resolve(options.cwd);
  const configDisplay = displayPath(found.file, cwd);
  const { source, problems } = await readConfigSource(found, configDisplay);
  if (!source) return { state: null, problems };
  const data = asRecord(source.data);
  if (data === undefined) {
    problems.push({
      ...source.position(''),
      path: '',
      message: 'the config must be a mapping with keys such as vocabularies, default_environment and environments',
    });
    return { state: null, problems };
  }
  const ruleProblems = [...findApiKeys(data), ...checkConfigData(data)];
  problems.push(...source.locate(mergeProblems(ruleProblems, validateWithSchema('config', data))));

  const rootDir = path.dirname(found.file);
  // Before onConfigRead: plan starts reading the embedded account's state file there.
  await checkStateFiles(buildEnvironments(data, rootDir), source, problems);
  if (options.onConfigRead && !problems.some(isError)) {
    options.onConfigRead({ rootDir, defaultEnvironment: chooseDefaultEnvironment(data), environments: buildEnvironments(data, rootDir) });
  }
  const vocabularies: DesiredVocabulary[] = [];
  const files = await resolveVocabularyFiles(data, rootDir, found.file, source, configDisplay, problems);
  for (const file of files) {
    const loaded = await loadVocabularyFile(file, displayPath(file, cwd));
    problems.push(...loaded.problems);
    if (loaded.vocabulary) vocabularies.push(loaded.vocabulary);
  }

  const sorted = sortProblems(problems);
  const state: DesiredState = {
    configFile: found.file,
    configPosition: source.position(''),
    rootDir,
    defaultEnvironment: chooseDefaultEnvironment(data),
    environments: buildEnvironments(data, rootDir),
    vocabularies,
    warnings: sorted.filter((p) => !isError(p)),
  };
  return { state, problems: sorted };
}

/**
 * The embedded account's state file must be a regular file when it exists: a FIFO or a device
 * there would make plan wait forever or read garbage, so it is refused before anything reads it.
 */
async function checkStateFiles(environments: Record<string, EnvironmentConfig>, source: ConfigSource, problems: Problem[]): Promise<void> {
  for (const [name, env] of Object.entries(environments)) {
    if (env.local_state === undefined) continue;
    const why = await describeStateFile(env.local_state);
    if (why === undefined) continue;
    const at = joinPath('environments', name, 'state_file');
    problems.push({ ...source.position(at), path: at, message: `state_file ${why}` });
  }
}

async function describeStateFile(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return 'is a directory; it must name a file (created on first use)';
    if (!info.isFile()) return 'is not a regular file (a FIFO, socket or device); it must name a file (created on first use)';
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // created on first use
    return `cannot be examined (${code ?? 'unknown error'})`;
  }
}

async function resolveVocabularyFiles(
  data: Record<string, unknown>,
  rootDir: string,
  configFile: string,
  source: ConfigSource,
  configDisplay: string,
  problems: Problem[],
): Promise<string[]> {
  const raw = data['vocabularies'];
  const declared = raw !== undefined;
  const patterns: { pattern: string; path: string }[] = [];
  if (typeof raw === 'string') patterns.push({ pattern: raw, path: '/vocabularies' });
  else if (Array.isArray(raw)) raw.forEach((p, i) => typeof p === 'string' && patterns.push({ pattern: p, path: `/vocabularies/${i}` }));
  else if (!declared) DEFAULT_VOCABULARY_GLOBS.forEach((p) => patterns.push({ pattern: p, path: '' }));

  const files = new Set<string>();
  for (const { pattern, path: at } of patterns) {
    if (pattern.trim() === '') continue; // reported by the schema
    const result = await expandGlob(pattern, rootDir);
    const position = declared ? source.position(at) : { file: configDisplay, line: 1, column: 1 };
    const report = (message: string, severity?: 'warning'): void => {
      problems.push({ ...position, path: at, message, ...(severity ? { severity } : {}) });
    };
    reportGlobResult(pattern, result, declared, rootDir, report);
    result.files.filter((f) => f !== configFile).forEach((f) => files.add(f));
  }
  if (files.size > MAX_VOCABULARY_FILES) {
    problems.push({ file: configDisplay, line: 1, column: 1, path: '', message: `the vocabularies globs match ${files.size} files, more than the limit of ${MAX_VOCABULARY_FILES}` });
    return [];
  }
  return [...files].sort(compareText);
}

/** Problems of one glob: refused, folders where files are expected, unreadable folders, no match. */
function reportGlobResult(pattern: string, result: GlobResult, declared: boolean, rootDir: string, report: (message: string, severity?: 'warning') => void): void {
  const shown = quoteValue(pattern);
  if (result.refused !== undefined) {
    report(`vocabularies ${shown} is refused: ${result.refused}`);
    return;
  }
  const literal = !hasMagic(pattern);
  for (const dir of result.directories) {
    if (literal) report(`${shown} is a directory, expected vocabulary files (did you mean ${quoteValue(`${pattern.replace(/\/+$/, '')}/*.yaml`)}?)`);
    else report(`${quoteValue(displayPath(dir, rootDir))} matches ${shown} but is a directory, expected a vocabulary file`);
  }
  for (const { dir, reason } of result.unreadable) {
    report(`cannot read folder ${quoteValue(displayPath(dir, rootDir), 200)} while expanding ${shown} (${reason === 'EACCES' || reason === 'EPERM' ? 'permission denied' : reason})`);
  }
  const matched = result.files.length > 0 || result.directories.length > 0;
  if (!matched && result.unreadable.length === 0) {
    const message = declared
      ? `${shown} matches no files${literal ? ' (file not found)' : ''}`
      : `no vocabulary files: the default ${shown} matches nothing; set "vocabularies" in the config`;
    report(message, 'warning');
  }
}

/** Reads, checks and normalises one vocabulary file. */
export async function loadVocabularyFile(file: string, display: string): Promise<{ vocabulary?: DesiredVocabulary; problems: Problem[] }> {
  const text = await readSourceText(file, display, 'vocabulary file');
  if (!text.ok) return { problems: [text.problem] };
  // The fast reader takes the common shape; anything it is not sure of goes to the full parser.
  const fast = parseYamlFast(text.text, display);
  let source: SourceLocator;
  const problems: Problem[] = [];
  if (fast.handled) {
    source = fast.source;
  } else {
    const { parseYaml, yamlLocator } = await loadYamlSource();
    const parsed = parseYaml(text.text, display);
    if (!parsed.source) return { problems: parsed.problems };
    source = yamlLocator(parsed.source);
    problems.push(...parsed.problems);
  }
  const data = asRecord(source.data);
  if (data === undefined) {
    const what = source.data === null ? 'has no content (only comments?)' : 'must be a mapping with prefix, target_model and entries';
    problems.push({ ...source.positionOf(''), path: '', message: `a vocabulary file ${what}` });
    return { problems };
  }
  const { parts, problems: ruleProblems } = checkVocabularyData(data);
  const keyProblems = fast.handled && cannotHoldApiKeys(text.text) ? [] : findApiKeys(data);
  const located = locateProblems(source, mergeProblems([...keyProblems, ...ruleProblems], validateWithSchema('vocabulary', data)));
  problems.push(...quoteAsWritten(text.text, located));
  if (Array.isArray(data['entries'])) problems.push(...warnYaml11Booleans(text.text, source, data['entries']));
  if (parts.prefix === undefined || parts.target_model === undefined || !Array.isArray(data['entries'])) return { problems };
  return { vocabulary: buildVocabulary(source, parts, data), problems };
}

function buildVocabulary(source: SourceLocator, parts: ReturnType<typeof checkVocabularyData>['parts'], data: Record<string, unknown>): DesiredVocabulary {
  const fallback = source.positionOf('');
  const packed = source.itemLinesAndColumns?.('/entries');
  const vocabulary: DesiredVocabulary = {
    name: parts.name ?? parts.prefix!,
    prefix: parts.prefix!,
    target_model: parts.target_model!,
    environments: parts.environments,
    entries: parts.entries,
    source: fallback,
    entryPositions: [],
    fieldPositions: {
      prefix: source.positionOf('/prefix'),
      target_model: source.positionOf('/target_model'),
      name: source.positionOf(data['name'] === undefined ? '/prefix' : '/name'),
      entries: source.positionOf('/entries', 'key'),
    },
  };
  if (Array.isArray(data['environments'])) {
    const envItems = source.itemPositions('/environments');
    // Keep the index alignment with `environments` (non-strings were dropped by the rules).
    vocabulary.fieldPositions!.environments = (data['environments'] as unknown[])
      .map((e, i) => ({ e, position: envItems[i] ?? fallback }))
      .filter(({ e }) => typeof e === 'string')
      .map(({ position }) => position);
  }
  if (packed) definePackedEntryPositions(vocabulary, packed, parts.entryIndexes);
  else {
    const items = source.itemPositions('/entries');
    vocabulary.entryPositions = parts.entryIndexes.map((i) => items[i] ?? fallback);
  }
  return vocabulary;
}

/**
 * `entryPositions` kept packed (two numbers per entry) and made into objects on first read:
 * nothing on the way to a plan reads them, and 100,000 position objects per plan showed in its
 * peak memory and garbage collection.
 */
function definePackedEntryPositions(vocabulary: DesiredVocabulary, packed: PackedPositions, entryIndexes: readonly number[]): void {
  const file = vocabulary.source.file;
  const lines = Uint32Array.from(entryIndexes, (i) => packed.lines[i]!);
  const columns = Uint32Array.from(entryIndexes, (i) => packed.columns[i]!);
  let positions: SourcePosition[] | undefined;
  Object.defineProperty(vocabulary, 'entryPositions', {
    enumerable: true,
    configurable: true,
    get: () => (positions ??= Array.from(lines, (line, k) => ({ file, line, column: columns[k]! }))),
    set: (value: SourcePosition[]) => {
      positions = value;
    },
  });
}

/**
 * Loads and fully validates the desired state for one environment, for plan, apply and drift.
 * Throws ConfigError (with every error in `problems`) when anything is invalid, and a
 * ConfigError naming the known environments for an unknown one.
 */
export async function loadValidState(options: LoadValidStateOptions): Promise<ValidState> {
  const { state, problems } = await loadDesiredState(options);
  const fail = (all: Problem[]): never => {
    const errors = all.filter(isError);
    const files = new Set(errors.map((p) => p.file)).size;
    throw new ConfigError(
      `the desired state is invalid: ${plural(errors.length, 'problem')} in ${plural(files, 'file')} (run "vocab validate" for details)`,
      { problems: errors },
    );
  };
  if (state === null) return fail(problems);
  const names = Object.keys(state.environments);
  const envName = options.environment ?? state.defaultEnvironment;
  if (envName === '') {
    if (problems.some(isError)) return fail(problems);
    throw new ConfigError(`no environment chosen: pass --env NAME or set default_environment (environments: ${names.join(', ')})`);
  }
  const environment = findEnvironment(state.environments, envName);
  if (environment === undefined) {
    if (options.environment === undefined && problems.some(isError)) return fail(problems);
    throw new ConfigError(unknownEnvironmentMessage(envName, names));
  }
  const all = [...problems, ...validateDesiredState(state, { environment: envName })];
  if (all.some(isError)) return fail(all);
  return { state, environment, vocabularies: vocabulariesForEnvironment(state, envName), warnings: all.filter((p) => !isError(p)) };
}
