import { readFileSync } from 'node:fs';
import { versions } from 'node:process';

/** Product name sent in the user-agent header. */
const PRODUCT = 'vocab-sync';

let cached: string | undefined;

/** The user-agent of the client, e.g. `vocab-sync/0.1.0 node/20.19.0`; package.json is read once. */
export function buildUserAgent(): string {
  cached ??= `${PRODUCT}/${readPackageVersion()} node/${versions.node}`;
  return cached;
}

/** The version field of the package's package.json (two levels up from src/dashscope and dist/dashscope). */
function readPackageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
      return parsed.version;
    }
  } catch {
    // A repackaged build without package.json still works; the header just says so.
  }
  return 'unknown';
}
