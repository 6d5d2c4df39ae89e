/**
 * The CI files of the repository as the tests read them: the GitHub recipes, action.yml, the
 * GitLab component (templates/) and the GitLab recipe that includes it, expanded the way GitLab
 * expands `include: component:` with `inputs:`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type Json = Record<string, any>;

export interface CiFile {
  path: string;
  text: string;
}

const read = (path: string): CiFile => ({ path, text: readFileSync(join(ROOT, path), 'utf8') });
const yamlIn = (dir: string): string[] =>
  existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => `${dir}/${n}`) : [];

export const GITHUB_WORKFLOWS: CiFile[] = yamlIn('examples/github').map(read);
export const ACTION: CiFile = read('action.yml');
export const TEMPLATES: CiFile[] = yamlIn('templates').map(read);
export const GITLAB_RECIPE: CiFile = read('examples/gitlab/.gitlab-ci.yml');

/** One YAML document, refusing duplicate keys and syntax errors. */
export function load(file: CiFile): Json {
  const doc = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors.map((e) => e.message).join('\n')}`);
  return doc.toJS({ maxAliasCount: 100 }) as Json;
}

/** A component: its `spec:` header and its body text (still holding `$[[ inputs.… ]]`). */
export function splitComponent(file: CiFile): { spec: Json; body: string } {
  const docs = parseAllDocuments(file.text, { uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length !== 2) throw new Error(`${file.path}: expected a spec header and a body separated by ---`);
  for (const doc of docs) if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors.map((e) => e.message).join('\n')}`);
  const spec = (docs[0]!.toJS() as Json).spec as Json;
  const body = file.text.slice(file.text.indexOf('\n---\n') + 5);
  return { spec, body };
}

export const INTERPOLATION = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/g;

/** GitLab's interpolation: each `$[[ inputs.NAME ]]` replaced by the given value or the default. */
export function expandComponent(file: CiFile, given: Json): Json {
  const { spec, body } = splitComponent(file);
  const inputs = (spec.inputs ?? {}) as Record<string, Json>;
  for (const name of Object.keys(given)) if (!(name in inputs)) throw new Error(`${file.path} has no input ${name}`);
  const text = body.replace(INTERPOLATION, (_m, name: string) => {
    if (!(name in inputs)) throw new Error(`${file.path} uses undeclared input ${name}`);
    const value = name in given ? given[name] : inputs[name]!.default;
    if (value === undefined) throw new Error(`${file.path}: input ${name} is required`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  return load({ path: `${file.path} (expanded)`, text });
}

/** The GitLab recipe with every `component:` include expanded and merged in. */
export function gitlabPipeline(): Json {
  const recipe = load(GITLAB_RECIPE);
  const merged: Json = {};
  for (const include of (recipe.include ?? []) as Json[]) {
    const name = /\/([^/@]+)@[^/]+$/.exec(String(include.component))?.[1];
    const template = TEMPLATES.find((t) => t.path === `templates/${name}.yml`);
    if (!template) throw new Error(`no templates/${name}.yml for ${include.component}`);
    Object.assign(merged, expandComponent(template, (include.inputs ?? {}) as Json));
  }
  const { include: _include, ...own } = recipe;
  return { ...merged, ...own };
}
