// Bundles made with esbuild at build time:
//   cjs     dist/cjs/index.cjs: the library for require('vocab-sync') (Node 20 cannot require ESM)
//   action  action/dist/index.js: the GitHub Action, committed (the runner does not install)
//   cli     dist/cli/bin.js and its chunks (dist/cli/chunk-*.js): the `vocab` command, replacing
//           the compiled bin.js. One chunk per command plus shared chunks, so a command loads a
//           few files instead of about fifty modules (yaml's included): a third less start-up CPU.
//   --check (with action) compares a fresh action bundle with the committed one instead.
// All sit two folders below the package root, as dist/<dir>/ does, so the code's
// `new URL('../../schemas/…', import.meta.url)` still finds schemas/ and package.json.
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The package's dependencies that are CommonJS (their package.json has no "type": "module"). */
function commonJsDependencies() {
  const { dependencies = {} } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return Object.keys(dependencies).filter((name) => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    return manifest.type !== 'module';
  });
}

/** Bundled CommonJS dependencies use require(), __filename and __dirname. */
const COMMONJS_BANNER = [
  "import { createRequire as __vocab_create_require } from 'node:module';",
  "import { dirname as __vocab_dirname } from 'node:path';",
  "import { fileURLToPath as __vocab_file_url_to_path } from 'node:url';",
  'const require = __vocab_create_require(import.meta.url);',
  'const __filename = __vocab_file_url_to_path(import.meta.url);',
  'const __dirname = __vocab_dirname(__filename);',
].join('\n');

export const TARGETS = {
  cjs: {
    entryPoints: ['src/index.ts'],
    outfile: 'dist/cjs/index.cjs',
    format: 'cjs',
    // CommonJS dependencies are required as installed; ES-module-only ones are bundled in,
    // since Node.js 20 before 20.19 cannot require() them.
    external: commonJsDependencies().flatMap((name) => [name, `${name}/*`]),
    define: { 'import.meta.url': '__vocab_import_meta_url' },
    banner: { js: "const __vocab_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  },
  action: {
    entryPoints: ['src/action/index.ts'],
    outfile: 'action/dist/index.js',
    format: 'esm',
    // Bundled CommonJS dependencies use require(), __filename and __dirname.
    banner: { js: COMMONJS_BANNER },
  },
};

/**
 * fdir (under tinyglobby) loads picomatch with require() at start-up for a glob feature
 * tinyglobby does not use (it passes its own matchers); in the bundle that is six CommonJS
 * files read and compiled beside the bundled copy. The bundle leaves it out.
 */
const skipFdirOptionalPicomatch = {
  name: 'skip-fdir-optional-picomatch',
  setup(build) {
    build.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace(/__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);/, '');
      if (patched === source) throw new Error('fdir no longer loads picomatch as expected: check scripts/bundle.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

/** The command, split into chunks (dynamic imports of commands stay lazy); no source maps, as node_modules is not shipped. */
async function bundleCli() {
  const dir = path.join(ROOT, 'dist', 'cli');
  for (const name of readdirSync(dir)) if (/^(chunk-.*\.js|bin\.js\.map)$/.test(name)) rmSync(path.join(dir, name));
  await build({
    entryPoints: ['src/cli/bin.ts'],
    outdir: 'dist/cli',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    format: 'esm',
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    banner: { js: COMMONJS_BANNER },
    plugins: [skipFdirOptionalPicomatch],
    legalComments: 'eof',
    logLevel: 'warning',
  });
  // The command runs by its shebang (`npx vocab`, node_modules/.bin); esbuild writes it 0644.
  chmodSync(path.join(dir, 'bin.js'), 0o755);
}

/** The bundle's text, built in memory. */
export async function bundle(name) {
  const target = TARGETS[name];
  const result = await build({
    ...target,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    write: false,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

async function main(args) {
  const check = args.includes('--check');
  for (const name of args.filter((a) => !a.startsWith('--'))) {
    if (name === 'cli') {
      await bundleCli();
      continue;
    }
    const file = path.join(ROOT, TARGETS[name].outfile);
    const text = await bundle(name);
    if (check) {
      const committed = await readFile(file, 'utf8').catch(() => '');
      if (committed !== text) {
        console.error(`${TARGETS[name].outfile} is out of date: run "npm run bundle:action" and commit it`);
        process.exitCode = 1;
      }
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
