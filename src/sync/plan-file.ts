import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from '../errors.js';
import type { Plan } from '../plan/types.js';

/** Largest plan file read back (a plan of 10 lists of 10,000 entries is a few MB). */
export const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024;

let validatePlanDocument: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

async function planValidator() {
  if (!validatePlanDocument) {
    const schemaText = await readFile(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validatePlanDocument = ajv.compile(JSON.parse(schemaText) as object);
  }
  return validatePlanDocument;
}

/** Writes a plan document atomically (temporary file, then rename). */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(plan, null, 2)}\n`, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    throw new Error(`could not write the plan to ${file}`, { cause: error });
  }
}

/** Reads and checks a saved plan; a file that is not a plan document is a ConfigError saying why. */
export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the plan file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  if (text.length > MAX_PLAN_FILE_BYTES) throw new ConfigError(`the plan file ${file} is larger than ${MAX_PLAN_FILE_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the plan file ${file} is not JSON: ${(error as Error).message}`);
  }
  const validate = await planValidator();
  if (!validate(data)) {
    const first = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new ConfigError(`the plan file ${file} is not a vocab-sync plan document (format_version 1): ${first.join('; ')}`);
  }
  return data as Plan;
}
