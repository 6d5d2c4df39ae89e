// Plan, apply and check one environment from a script, with progress through callbacks.
// Run it in a folder with a vocab.config.yaml:  node examples/library/sync.mjs [ENV]
import { apply, drift, plan, renderPlanText, validate } from 'vocab-sync';

const cwd = process.cwd();
const environment = process.argv[2]; // default: the config's default_environment

const problems = await validate({ cwd });
const errors = problems.filter((p) => p.severity !== 'warning');
if (errors.length > 0) {
  for (const p of errors) console.error(`${p.file}:${p.line}:${p.column}: ${p.message}`);
  process.exit(1);
}

const planned = await plan({ cwd, env: process.env, environment });
await planned.service.close?.();
console.log(renderPlanText(planned.plan, { color: false }));

const { result } = await apply({
  cwd,
  env: process.env,
  environment,
  onProgress: (event) => console.error(`${event.kind}: ${event.message}`),
});
console.log(`applied ${result.summary.applied}, failed ${result.summary.failed}`);

const { report } = await drift({ cwd, env: process.env, environment });
console.log(report.in_sync ? 'in sync' : `drift: ${report.items.length} item(s)`);
process.exitCode = result.summary.failed > 0 || !report.in_sync ? 1 : 0;
