/**
 * Finds the `vocab` invocations in a shell script, well enough to check the CI recipes:
 * line continuations, quotes, comments, pipes and lists (`|`, `||`, `&&`, `;`, `&`), subshells,
 * command substitution (`$(...)` and backticks, searched recursively), redirections,
 * here-documents, `NAME=value` prefixes and the launchers `npx [opts]`, `npm exec [--]`,
 * `env`, `command`, `exec`, `time`.
 *
 * It is a tokenizer, not a shell: words keep their quotes' contents but no expansion happens,
 * so `--env "$E"` gives the words `--env` and `$E`.
 */

export interface VocabInvocation {
  /** The first word after `vocab` (undefined for a bare `vocab`). */
  subcommand: string | undefined;
  /** The words after the subcommand, redirections removed. */
  args: string[];
  /** Long flags used, without any `=value`: `--out=plan.json` gives `--out`. */
  flags: string[];
  /** The simple command as found, for messages. */
  text: string;
}

export type Token =
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }
  /** A redirection; `target` when the next word is its file (`> plan.md`), not for `2>&1`. */
  | { kind: 'redirect'; value: string; target: boolean };

const LIST_OPERATORS = ['&&', '||', ';;', '|&', '|', ';', '&', '(', ')', '\n'];
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'exec', 'command', 'builtin', 'nohup']);

/** Every `vocab` invocation in the script, in order, including those inside `$(...)`. */
export function findVocabInvocations(script: string): VocabInvocation[] {
  const found: VocabInvocation[] = [];
  scan(script, found);
  return found;
}

function scan(script: string, found: VocabInvocation[]): void {
  const { tokens, nested } = tokenize(script);
  // This level's commands first, then those inside its substitutions.
  const own: VocabInvocation[] = [];
  let command: string[] = [];
  const flush = () => {
    const invocation = asVocab(command);
    if (invocation) own.push(invocation);
    command = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'redirect') {
      // The redirection's file is not an argument of the command.
      if (token.target && tokens[i + 1]?.kind === 'word') i++;
      continue;
    }
    if (token.kind === 'op') {
      flush();
      continue;
    }
    command.push(token.value);
  }
  flush();
  found.push(...own);
  for (const inner of nested) scan(inner, found);
}

/** The invocation if this simple command runs vocab. */
function asVocab(words: string[]): VocabInvocation | undefined {
  let i = 0;
  const skip = () => {
    for (;;) {
      const word = words[i];
      if (word === undefined) return;
      if (KEYWORDS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
        i++;
        continue;
      }
      if (word === 'env') {
        i++;
        while (words[i]?.startsWith('-')) i++;
        continue;
      }
      if (word === 'npx' || word === 'pnpm' || word === 'yarn' || word === 'bunx') {
        i++;
        // npx options before the package: --yes, --no-install, -y, --package=x, --
        while (words[i]?.startsWith('-')) i++;
        if (words[i] === 'exec' || words[i] === 'dlx') i++;
        while (words[i]?.startsWith('-')) i++;
        continue;
      }
      if (word === 'npm' && (words[i + 1] === 'exec' || words[i + 1] === 'x')) {
        i += 2;
        while (words[i]?.startsWith('-')) i++;
        continue;
      }
      return;
    }
  };
  skip();
  const program = words[i];
  if (program === undefined || !(program === 'vocab' || program.endsWith('/vocab'))) return undefined;
  const rest = words.slice(i + 1);
  const [subcommand, ...args] = rest;
  const flags = args.filter((a) => /^--[A-Za-z]/.test(a)).map((a) => a.split('=')[0]!);
  if (subcommand?.startsWith('--')) flags.unshift(subcommand.split('=')[0]!);
  return {
    subcommand: subcommand?.startsWith('-') ? undefined : subcommand,
    args: subcommand?.startsWith('-') ? rest : args,
    flags,
    text: words.join(' '),
  };
}

/**
 * Splits a script into words and operators. Returns the bodies of command substitutions
 * separately (each becomes a placeholder word) so they are scanned as scripts of their own.
 */
export function tokenize(script: string): { tokens: Token[]; nested: string[] } {
  const source = script.replace(/\\\r?\n/g, '');
  const tokens: Token[] = [];
  const nested: string[] = [];
  const heredocs: { delimiter: string; strip: boolean }[] = [];
  let word: string | undefined;
  let i = 0;
  const endWord = () => {
    if (word !== undefined) tokens.push({ kind: 'word', value: word });
    word = undefined;
  };
  const add = (text: string) => {
    word = (word ?? '') + text;
  };
  /** Index just past the `)` closing a `$(` whose body starts at `start`. */
  const closeParen = (start: number): number => {
    let depth = 1;
    let j = start;
    while (j < source.length && depth > 0) {
      const c = source[j]!;
      if (c === '\\') j += 2;
      else if (c === "'") j = source.indexOf("'", j + 1) + 1 || source.length;
      else if (c === '"') j = closeDoubleQuote(source, j + 1);
      else {
        if (c === '(') depth++;
        else if (c === ')') depth--;
        j++;
      }
    }
    return j;
  };
  const substitution = (bodyStart: number, end: number) => {
    nested.push(source.slice(bodyStart, end));
    add('$(…)');
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      endWord();
      tokens.push({ kind: 'op', value: '\n' });
      i++;
      // Here-document bodies start on the next line and are data, not commands.
      for (const { delimiter, strip } of heredocs.splice(0)) {
        for (;;) {
          const lineEnd = source.indexOf('\n', i);
          const line = source.slice(i, lineEnd === -1 ? source.length : lineEnd);
          i = lineEnd === -1 ? source.length : lineEnd + 1;
          if ((strip ? line.replace(/^\t+/, '') : line) === delimiter || lineEnd === -1) break;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && word === undefined) {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      add(source[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = source.indexOf("'", i + 1);
      add(source.slice(i + 1, end === -1 ? source.length : end));
      i = end === -1 ? source.length : end + 1;
      continue;
    }
    if (c === '"') {
      const end = closeDoubleQuote(source, i + 1);
      const inner = source.slice(i + 1, end - 1);
      // Substitutions inside double quotes still run: scan them, keep a placeholder.
      let text = '';
      for (let k = 0; k < inner.length; k++) {
        if (inner[k] === '\\' && k + 1 < inner.length && '"\\$`'.includes(inner[k + 1]!)) {
          text += inner[++k];
        } else if (inner.startsWith('$(', k) && !inner.startsWith('$((', k)) {
          const bodyStart = i + 1 + k + 2;
          const close = closeParen(bodyStart);
          nested.push(source.slice(bodyStart, close - 1));
          text += '$(…)';
          k = close - (i + 1) - 1;
        } else if (inner[k] === '`' && inner.indexOf('`', k + 1) !== -1) {
          const close = inner.indexOf('`', k + 1);
          nested.push(inner.slice(k + 1, close));
          text += '$(…)';
          k = close;
        } else {
          text += inner[k];
        }
      }
      add(text);
      i = end;
      continue;
    }
    if (c === '$' && source[i + 1] === '(' && source[i + 2] !== '(') {
      const close = closeParen(i + 2);
      substitution(i + 2, close - 1);
      i = close;
      continue;
    }
    if (c === '$' && source[i + 1] === '(' && source[i + 2] === '(') {
      // Arithmetic: keep as part of the word.
      const close = closeParen(i + 2);
      add(source.slice(i, close));
      i = close;
      continue;
    }
    if (c === '$' && source[i + 1] === '{') {
      const close = source.indexOf('}', i + 2);
      add(source.slice(i, close === -1 ? source.length : close + 1));
      i = close === -1 ? source.length : close + 1;
      continue;
    }
    if (c === '`') {
      const close = source.indexOf('`', i + 1);
      substitution(i + 1, close === -1 ? source.length : close);
      i = close === -1 ? source.length : close + 1;
      continue;
    }
    // Process substitution <(...) / >(...): a nested script.
    if ((c === '<' || c === '>') && source[i + 1] === '(') {
      const close = closeParen(i + 2);
      substitution(i + 2, close - 1);
      i = close;
      continue;
    }
    // Redirections, optionally with a file-descriptor number glued in front (2>, 2>&1).
    const redirection = /^(\d*|&)(<<<|<<-?|>>|>&|<&|<>|>\||>|<)(-|\d+)?/.exec(source.slice(i));
    if (redirection && (redirection[1] === '' || word === undefined)) {
      endWord();
      const [, fd, op, target] = redirection;
      i += redirection[0].length;
      if (op === '<<' || op === '<<-') {
        // Here-document: the delimiter word follows, quotes removed.
        while (source[i] === ' ' || source[i] === '\t') i++;
        const m = /^(['"]?)([^\s'";|&<>()]+)\1/.exec(source.slice(i));
        if (m) {
          heredocs.push({ delimiter: m[2]!, strip: op === '<<-' });
          i += m[0].length;
        }
        continue;
      }
      // `>&2`, `2>&1`, `<&-` are complete; the others take the next word as their file.
      tokens.push({ kind: 'redirect', value: `${fd}${op}${target ?? ''}`, target: target === undefined });
      continue;
    }
    const op = LIST_OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      endWord();
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    add(c);
    i++;
  }
  endWord();
  return { tokens, nested };
}

/** Index just past the `"` closing a double-quoted string whose body starts at `start`. */
function closeDoubleQuote(source: string, start: number): number {
  let j = start;
  while (j < source.length) {
    const c = source[j]!;
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if (source.startsWith('$(', j)) {
      // A quoted substitution may itself contain quotes.
      let depth = 1;
      j += 2;
      while (j < source.length && depth > 0) {
        const d = source[j]!;
        if (d === '\\') j += 2;
        else if (d === "'") j = source.indexOf("'", j + 1) + 1 || source.length;
        else if (d === '"') j = closeDoubleQuote(source, j + 1);
        else {
          if (d === '(') depth++;
          else if (d === ')') depth--;
          j++;
        }
      }
    } else j++;
  }
  return source.length;
}
