/**
 * The floor of a plan's CPU and memory, measured by the bench: read and `JSON.parse` the
 * desired entries (given as JSON, the cheapest form they could take) and the embedded
 * account's state file. A plan cannot do less than take in both.
 */
import { readFileSync } from 'node:fs';

let items = 0;
for (const file of process.argv.slice(2)) {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  items += Array.isArray(data) ? data.length : Object.keys(data).length;
}
process.stdout.write(`${items}\n`);
