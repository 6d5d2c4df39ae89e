import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPlan, canonicalDesired, fingerprintPlan, newestFirstOrder, observeRemote, resolveOwnedPrefixes } from '../../src/plan/build-plan.js';
import { hashContent } from '../../src/plan/normalize-entries.js';
import type { Change, Plan } from '../../src/plan/types.js';
import { desiredVocab, plan, planInput, remoteList, unmanagedList, words } from './builders.js';

const actions = (p: Plan): string[] => p.changes.map((c) => `${c.action} ${c.prefix} ${c.target_model}`);
const only = (p: Plan, action: Change['action']): Change[] => p.changes.filter((c) => c.action === action);

describe('buildPlan actions', () => {
  const entries = words(3);
  const cases: [string, Parameters<typeof plan>[0], string[]][] = [
    ['create when nothing is on the account', { desired: [desiredVocab({ prefix: 'movies', entries })] }, ['create movies fun-asr']],
    [
      'noop when the content matches in another order',
      { desired: [desiredVocab({ prefix: 'movies', entries })], owned: [remoteList({ prefix: 'movies', entries: [...entries].reverse() })] },
      ['noop movies fun-asr'],
    ],
    [
      'update when the entries differ',
      { desired: [desiredVocab({ prefix: 'movies', entries })], owned: [remoteList({ prefix: 'movies', entries: words(2) })] },
      ['update movies fun-asr'],
    ],
    [
      'replace when the prefix exists only with another model',
      { desired: [desiredVocab({ prefix: 'movies', entries })], owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries })] },
      ['replace movies fun-asr'],
    ],
    ['delete an owned list nothing declares', { owned: [remoteList({ prefix: 'old', entries })], ownedPrefixes: ['old'] }, ['delete old fun-asr']],
    [
      'declared with model A, remote has A and B: keep A, delete B',
      {
        desired: [desiredVocab({ prefix: 'movies', entries })],
        owned: [remoteList({ prefix: 'movies', entries }), remoteList({ prefix: 'movies', model: 'paraformer-v2', entries })],
      },
      ['noop movies fun-asr', 'delete movies paraformer-v2'],
    ],
    [
      'one prefix declared with two models: two identities',
      {
        desired: [desiredVocab({ prefix: 'movies', entries, name: 'movies-a' }), desiredVocab({ prefix: 'movies', model: 'paraformer-v2', entries, name: 'movies-b' })],
        owned: [remoteList({ prefix: 'movies', entries })],
      },
      ['noop movies fun-asr', 'create movies paraformer-v2'],
    ],
    [
      'two models declared, remote has a third: the first replaces it, the second is created',
      {
        desired: [desiredVocab({ prefix: 'movies', entries, name: 'a' }), desiredVocab({ prefix: 'movies', model: 'paraformer-v2', entries, name: 'b' })],
        owned: [remoteList({ prefix: 'movies', model: 'gummy-chat-v1', entries })],
      },
      ['replace movies fun-asr', 'create movies paraformer-v2'],
    ],
    [
      'duplicates of an undeclared identity are all deleted',
      { owned: [remoteList({ prefix: 'old', entries }), remoteList({ prefix: 'old', entries })], ownedPrefixes: ['old'], desired: [desiredVocab({ prefix: 'x', entries })] },
      ['delete old fun-asr', 'delete old fun-asr', 'create x fun-asr'],
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(actions(plan(input)).sort()).toStrictEqual([...expected].sort());
  });

  it('keeps the duplicate that matches, even when it is older, and deletes the rest as "duplicate"', () => {
    const entries = words(3);
    const matching = remoteList({ prefix: 'movies', entries, created: '2024-01-01 00:00:00' });
    const newer = remoteList({ prefix: 'movies', entries: words(1), created: '2024-05-01 00:00:00' });
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries })], owned: [newer, matching] });
    expect(only(p, 'noop')[0]?.vocabulary_id).toBe(matching.vocabulary_id);
    expect(only(p, 'delete')).toMatchObject([{ vocabulary_id: newer.vocabulary_id, reason: 'duplicate', name: null }]);
  });

  it('keeps the OLDEST of several matching duplicates (the list a concurrent apply reported) and deletes the later copies', () => {
    const entries = words(3);
    const oldest = remoteList({ prefix: 'movies', entries, created: '2024-05-01 00:00:00', id: 'vocab-movies-f' });
    const later = remoteList({ prefix: 'movies', entries, created: '2024-05-01 00:00:00', id: 'vocab-movies-0' });
    const latest = remoteList({ prefix: 'movies', entries, created: '2024-05-01 00:00:05', id: 'vocab-movies-9' });
    // As the service lists them: newest first (the tie in gmt_create is broken by the list order).
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries })], owned: [latest, later, oldest] });
    expect(only(p, 'noop')[0]?.vocabulary_id).toBe('vocab-movies-f');
    expect(only(p, 'delete').map((c) => c.vocabulary_id).sort()).toStrictEqual(['vocab-movies-0', 'vocab-movies-9']);
  });

  it('keeps the newest duplicate (by gmt_create, then the list order, newest first) when none matches', () => {
    const older = remoteList({ prefix: 'movies', entries: words(1), created: '2024-01-01 00:00:00', id: 'vocab-movies-b' });
    const newest = remoteList({ prefix: 'movies', entries: words(2), created: '2024-05-01 00:00:00', id: 'vocab-movies-a' });
    const tie = remoteList({ prefix: 'movies', entries: words(2), created: '2024-05-01 00:00:00', id: 'vocab-movies-0' });
    // As the service lists them: newest first.
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(3) })], owned: [newest, tie, older] });
    expect(only(p, 'update')[0]?.vocabulary_id).toBe('vocab-movies-a');
    expect(only(p, 'delete').map((c) => c.vocabulary_id).sort()).toStrictEqual(['vocab-movies-0', 'vocab-movies-b']);
  });

  it('breaks a gmt_create tie (whole seconds) by the service list order, not by the random id', () => {
    const newer = remoteList({ prefix: 'movies', entries: words(2), created: '2024-05-01 00:00:00', id: 'vocab-movies-0' });
    const older = remoteList({ prefix: 'movies', entries: words(1), created: '2024-05-01 00:00:00', id: 'vocab-movies-f' });
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(3) })], owned: [newer, older] });
    expect(only(p, 'update')[0]?.vocabulary_id).toBe('vocab-movies-0');
    expect(only(p, 'delete')).toMatchObject([{ vocabulary_id: 'vocab-movies-f', reason: 'duplicate' }]);
  });

  it('describes an update entry by entry, with counts in the reason and the entries to write', () => {
    const before = [
      { text: 'a', weight: 3, lang: 'zh' },
      { text: 'b', weight: 3, lang: 'zh' },
      { text: 'c', weight: 3, lang: 'zh' },
    ];
    const after = [
      { text: 'a', weight: 5, lang: 'zh' },
      { text: 'c', weight: 3, lang: 'zh' },
      { text: 'd', weight: 4, lang: 'zh' },
      { text: 'e', weight: 4, lang: 'zh' },
    ];
    const remote = remoteList({ prefix: 'movies', entries: before });
    const [change] = plan({ desired: [desiredVocab({ prefix: 'movies', entries: after })], owned: [remote] }).changes;
    expect(change).toMatchObject({
      action: 'update',
      vocabulary_id: remote.vocabulary_id,
      reason: '2 entries added, 1 removed, 1 reweighted',
      entry_count: { before: 3, after: 4 },
      vocabulary: after,
    });
    expect(change?.entries.changed).toStrictEqual([{ text: 'a', lang: 'zh', before: { weight: 3 }, after: { weight: 5 } }]);
  });

  it('carries the old list on a replace, and the id that goes away', () => {
    const entries = words(2);
    const old = remoteList({ prefix: 'movies', model: 'paraformer-v2', entries });
    const [change] = plan({ desired: [desiredVocab({ prefix: 'movies', entries })], owned: [old] }).changes;
    expect(change).toMatchObject({
      action: 'replace',
      vocabulary_id: old.vocabulary_id,
      replaces: { vocabulary_id: old.vocabulary_id, target_model: 'paraformer-v2' },
      reason: 'target_model changes from paraformer-v2 to fun-asr; same entries',
      vocabulary: entries,
    });
  });

  it('has no entries to write on delete and noop', () => {
    const entries = words(2);
    const p = plan({
      desired: [desiredVocab({ prefix: 'movies', entries })],
      owned: [remoteList({ prefix: 'movies', entries }), remoteList({ prefix: 'old', entries })],
      ownedPrefixes: ['old'],
    });
    for (const c of p.changes) expect(c.vocabulary).toBeUndefined();
    expect(only(p, 'delete')[0]).toMatchObject({ reason: 'not declared', entry_count: { before: 2, after: 0 } });
  });

  it('treats declared prefixes as owned even when ownedPrefixes misses them', () => {
    const p = buildPlan({ ...planInput({ desired: [desiredVocab({ prefix: 'movies' })] }), ownedPrefixes: [] });
    expect(actions(p)).toStrictEqual(['create movies fun-asr']);
    expect(resolveOwnedPrefixes(['b', 'a'], [{ prefix: 'c' }, { prefix: 'a' }])).toStrictEqual(['a', 'b', 'c']);
  });

  it('refuses a snapshot that calls a declared prefix unmanaged (its content was never read)', () => {
    expect(() => plan({ desired: [desiredVocab({ prefix: 'movies' })], unmanaged: [unmanagedList('movies')] })).toThrow(/unmanaged.*owned/);
  });

  it('sorts changes deterministically and counts them', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'zeta', entries: words(1) }), desiredVocab({ prefix: 'alpha', entries: words(1) })],
      owned: [remoteList({ prefix: 'beta', entries: words(1) }), remoteList({ prefix: 'alpha', entries: words(1) })],
      ownedPrefixes: ['beta'],
      unmanaged: [unmanagedList('other'), unmanagedList('another')],
    });
    expect(actions(p)).toStrictEqual(['noop alpha fun-asr', 'delete beta fun-asr', 'create zeta fun-asr']);
    expect(p.summary).toStrictEqual({ create: 1, update: 0, replace: 0, delete: 1, noop: 1 });
    expect(p.unmanaged.map((u) => u.prefix)).toStrictEqual(['another', 'other']);
    expect(p.quota).toStrictEqual({ limit: 10, used: 4, after: 4, peak: 5 });
  });

  it('records every remote list in observed, hashes for owned only', () => {
    const p = plan({ owned: [remoteList({ prefix: 'movies', entries: words(1), modified: '2024-07-01 00:00:00' })], unmanaged: [unmanagedList('other')] });
    expect(p.observed).toHaveLength(2);
    const owned = p.observed.find((o) => o.prefix === 'movies');
    expect(owned?.gmt_modified).toBe('2024-07-01 00:00:00');
    expect(owned?.content_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p.observed.find((o) => o.prefix === 'other')).toMatchObject({ gmt_modified: null, content_hash: null });
  });

  it('echoes what a saved plan needs: desired, settings, target, time', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(1) })], env: { protect: ['movies'] } });
    expect(p.desired).toStrictEqual([{ name: 'movies', prefix: 'movies', target_model: 'fun-asr', entries: words(1) }]);
    expect(p.settings.safety.protect).toStrictEqual(['movies']);
    expect(p.target).toStrictEqual({ endpoint: 'local', api_key_env: 'DASHSCOPE_API_KEY', url: 'local', url_from: 'local' });
    expect(p.created_at).toBe('2025-01-02T03:04:05.000Z');
  });
});

describe('fingerprint', () => {
  const a = remoteList({ prefix: 'movies', entries: words(3), id: 'vocab-movies-1' });
  const b = remoteList({ prefix: 'support', entries: words(2), id: 'vocab-support-1' });
  const other = unmanagedList('other', 'vocab-other-1');
  const desired = [desiredVocab({ prefix: 'movies', entries: words(3) }), desiredVocab({ prefix: 'support', entries: words(4) })];
  const base = plan({ desired, owned: [a, b], unmanaged: [other] });

  it('is stable whatever the order of the inputs and the time', () => {
    const shuffled = plan({
      desired: [...desired].reverse().map((d) => ({ ...d, entries: [...d.entries].reverse() })),
      owned: [b, { ...a, entries: [...a.entries].reverse() }],
      unmanaged: [other],
      now: '2030-01-01T00:00:00.000Z',
    });
    expect(shuffled.fingerprint).toBe(base.fingerprint);
    expect(base.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  const variations: [string, Parameters<typeof plan>[0]][] = [
    ['a remote list modified', { desired, owned: [{ ...a, gmt_modified: '2025-01-01 00:00:00' }, b], unmanaged: [other] }],
    ['remote content changed', { desired, owned: [{ ...a, entries: words(4) }, b], unmanaged: [other] }],
    ['a remote list removed', { desired, owned: [a], unmanaged: [other] }],
    ['an unmanaged list added', { desired, owned: [a, b], unmanaged: [other, unmanagedList('more')] }],
    ['desired entries changed', { desired: [desired[0]!, desiredVocab({ prefix: 'support', entries: words(5) })], owned: [a, b], unmanaged: [other] }],
    ['another environment', { desired, owned: [a, b], unmanaged: [other], env: { name: 'staging' } }],
  ];
  it.each(variations)('changes when %s', (_name, input) => {
    expect(plan(input).fingerprint).not.toBe(base.fingerprint);
  });
});

describe('plan document schema', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

  it('accepts every kind of built plan, including violations', () => {
    const gummy = [{ text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' }];
    const plans = [
      plan({}),
      plan({
        desired: [
          desiredVocab({ prefix: 'movies', entries: words(3) }),
          desiredVocab({ prefix: 'support', entries: words(12) }),
          desiredVocab({ prefix: 'tr', model: 'gummy-chat-v1', entries: gummy }),
          desiredVocab({ prefix: 'swap', entries: words(1) }),
        ],
        owned: [
          remoteList({ prefix: 'support', entries: words(20) }),
          remoteList({ prefix: 'tr', model: 'gummy-chat-v1', entries: [{ ...gummy[0]!, translation: '您好' }] }),
          remoteList({ prefix: 'swap', model: 'paraformer-v2', entries: words(1) }),
          remoteList({ prefix: 'old', entries: words(1) }),
        ],
        ownedPrefixes: ['old'],
        unmanaged: [unmanagedList('other')],
        env: { protect: ['old', 'swap'], maxVocabularies: 4, wordCaps: { 'fun-asr': 2 } },
      }),
    ];
    expect(plans[1]!.violations.map((v) => v.rule).sort()).toStrictEqual(['max_removed_ratio', 'protect', 'protect', 'quota', 'word_cap', 'word_cap']);
    for (const p of plans) {
      const ok = validate(JSON.parse(JSON.stringify(p)));
      expect(validate.errors ?? []).toStrictEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects a document with an unknown field or a wrong version', () => {
    const p = JSON.parse(JSON.stringify(plan({}))) as Record<string, unknown>;
    expect(validate({ ...p, extra: true })).toBe(false);
    expect(validate({ ...p, format_version: 2 })).toBe(false);
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.properties && typeof record.properties === 'object') {
        for (const [key, child] of Object.entries(record.properties as Record<string, Record<string, unknown>>)) {
          if (typeof child.description !== 'string') missing.push(`${path}/${key}`);
          walk(child, `${path}/${key}`);
        }
      }
      for (const key of ['items', '$defs', 'additionalProperties']) if (record[key] && typeof record[key] === 'object') walk(record[key], `${path}/${key}`);
      if (record.$defs) for (const [k, v] of Object.entries(record.$defs as Record<string, unknown>)) walk(v, `${path}/$defs/${k}`);
    };
    walk(schema, '');
    expect(missing).toStrictEqual([]);
  });
});

describe('buildPlan in detail', () => {
  it('picks the newest list by gmt_create whatever order the lists come in', () => {
    const older = remoteList({ prefix: 'movies', entries: words(1), created: '2024-01-01 00:00:00', id: 'vocab-movies-a' });
    const newer = remoteList({ prefix: 'movies', entries: words(2), created: '2024-05-01 00:00:00', id: 'vocab-movies-b' });
    for (const owned of [
      [older, newer],
      [newer, older],
    ]) {
      const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(3) })], owned });
      expect(p.changes.map((c) => `${c.action} ${c.vocabulary_id}`)).toStrictEqual(['update vocab-movies-b', 'delete vocab-movies-a']);
    }
  });

  it('replaces the newest list of another model, deletes its copies and the older model\'s list', () => {
    const para = remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(2), created: '2024-01-01 00:00:00', id: 'vocab-movies-p' });
    const gummy = remoteList({ prefix: 'movies', model: 'gummy-chat-v1', entries: words(2), created: '2024-05-01 00:00:00', id: 'vocab-movies-g' });
    const gummyCopy = remoteList({ prefix: 'movies', model: 'gummy-chat-v1', entries: words(2), created: '2024-04-01 00:00:00', id: 'vocab-movies-h' });
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(3) })], owned: [para, gummyCopy, gummy] });
    expect(p.changes.map((c) => ({ action: c.action, id: c.vocabulary_id, model: c.target_model, reason: c.reason }))).toStrictEqual([
      { action: 'replace', id: 'vocab-movies-g', model: 'fun-asr', reason: 'target_model changes from gummy-chat-v1 to fun-asr; 1 entry added' },
      { action: 'delete', id: 'vocab-movies-h', model: 'gummy-chat-v1', reason: 'duplicate' },
      { action: 'delete', id: 'vocab-movies-p', model: 'paraformer-v2', reason: 'not declared' },
    ]);
  });

  it('lists the changes of one identity by action, then by id', () => {
    const entries = words(2);
    const keep = remoteList({ prefix: 'movies', entries, created: '2024-01-01 00:00:00', id: 'vocab-movies-z' });
    const copyA = remoteList({ prefix: 'movies', entries, created: '2024-03-01 00:00:00', id: 'vocab-movies-b' });
    const copyB = remoteList({ prefix: 'movies', entries, created: '2024-05-01 00:00:00', id: 'vocab-movies-a' });
    const goneNew = remoteList({ prefix: 'old', entries, created: '2024-05-01 00:00:00', id: 'vocab-old-z' });
    const goneOld = remoteList({ prefix: 'old', entries, created: '2024-01-01 00:00:00', id: 'vocab-old-a' });
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries })], owned: [copyB, copyA, keep, goneNew, goneOld], ownedPrefixes: ['old'] });
    expect(p.changes.map((c) => `${c.action} ${c.vocabulary_id}`)).toStrictEqual([
      'noop vocab-movies-z',
      'delete vocab-movies-a',
      'delete vocab-movies-b',
      'delete vocab-old-a',
      'delete vocab-old-z',
    ]);
  });

  it('words a create with its entry count', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'one', entries: words(1) }), desiredVocab({ prefix: 'two', entries: words(2) })] });
    expect(p.changes.map((c) => c.reason)).toStrictEqual(['new vocabulary, 1 entry', 'new vocabulary, 2 entries']);
  });

  it('refuses two declared vocabularies of one identity', () => {
    expect(() => plan({ desired: [desiredVocab({ prefix: 'movies', name: 'a' }), desiredVocab({ prefix: 'movies', name: 'b' })] })).toThrow(
      'two declared vocabularies share the identity movies (fun-asr)',
    );
  });

  it('records the desired state by identity, whatever the order it was declared in', () => {
    const p = plan({
      desired: [
        desiredVocab({ prefix: 'zeta', entries: words(1) }),
        desiredVocab({ prefix: 'alpha', model: 'paraformer-v2', entries: words(1) }),
        desiredVocab({ prefix: 'alpha', entries: words(1), name: 'alpha-fun' }),
      ],
    });
    expect(p.desired.map((d) => `${d.prefix} ${d.target_model}`)).toStrictEqual(['alpha fun-asr', 'alpha paraformer-v2', 'zeta fun-asr']);
  });

  it('sorts unmanaged lists by prefix then id, and observed lists by id', () => {
    const p = plan({
      owned: [remoteList({ prefix: 'b', id: 'vocab-b-2' }), remoteList({ prefix: 'a', id: 'vocab-a-9' })],
      unmanaged: [unmanagedList('x', 'vocab-x-2'), unmanagedList('x', 'vocab-x-1'), unmanagedList('w', 'vocab-w-3')],
      ownedPrefixes: ['a', 'b'],
      env: { ownedPrefixes: ['a', 'b'] },
    });
    expect(p.unmanaged).toStrictEqual([
      { vocabulary_id: 'vocab-w-3', prefix: 'w' },
      { vocabulary_id: 'vocab-x-1', prefix: 'x' },
      { vocabulary_id: 'vocab-x-2', prefix: 'x' },
    ]);
    expect(p.observed.map((o) => o.vocabulary_id)).toStrictEqual(['vocab-a-9', 'vocab-b-2', 'vocab-w-3', 'vocab-x-1', 'vocab-x-2']);
    expect(p.settings.ownership).toStrictEqual({ prefixes: ['a', 'b'] });
  });
});

describe('newestFirstOrder', () => {
  const x = remoteList({ prefix: 'm', created: '2024-01-01 00:00:00', id: 'vocab-m-c' });
  const y = remoteList({ prefix: 'm', created: '2024-05-01 00:00:00', id: 'vocab-m-b' });
  const z = remoteList({ prefix: 'm', created: '2024-05-01 00:00:00', id: 'vocab-m-a' });

  it('orders by gmt_create, then by the service\'s list order, whatever order it is given', () => {
    const compare = newestFirstOrder([z, x, y]);
    for (const input of [
      [x, y, z],
      [x, z, y],
      [y, x, z],
      [y, z, x],
      [z, x, y],
      [z, y, x],
    ]) {
      expect([...input].sort(compare).map((r) => r.vocabulary_id)).toStrictEqual(['vocab-m-a', 'vocab-m-b', 'vocab-m-c']);
    }
  });

  it('falls back to the id, highest first, for lists the service did not list', () => {
    const compare = newestFirstOrder([]);
    expect([z, y, x].sort(compare).map((r) => r.vocabulary_id)).toStrictEqual(['vocab-m-b', 'vocab-m-a', 'vocab-m-c']);
  });
});

describe('observeRemote and canonicalDesired', () => {
  it('hashes each owned list unless told its hash, and sorts by id', () => {
    const a = remoteList({ prefix: 'a', entries: words(2), id: 'vocab-a-2', modified: '2024-07-01 00:00:00' });
    const observed = observeRemote({ owned: [a], unmanaged: [unmanagedList('u', 'vocab-a-1')] });
    expect(observed).toStrictEqual([
      { vocabulary_id: 'vocab-a-1', prefix: 'u', gmt_modified: null, content_hash: null },
      { vocabulary_id: 'vocab-a-2', prefix: 'a', gmt_modified: '2024-07-01 00:00:00', content_hash: hashContent('fun-asr', words(2)) },
    ]);
  });

  it('does not depend on the order of the desired vocabularies, names included', () => {
    const list = [
      desiredVocab({ prefix: 'b', entries: words(1), name: 'second' }),
      desiredVocab({ prefix: 'b', entries: words(1), name: 'first' }),
      desiredVocab({ prefix: 'b', model: 'paraformer-v2', entries: words(1) }),
      desiredVocab({ prefix: 'a', entries: words(2) }),
    ];
    const forward = canonicalDesired(list);
    expect(canonicalDesired([...list].reverse())).toBe(forward);
    expect(canonicalDesired([list[1]!, list[3]!, list[0]!, list[2]!])).toBe(forward);
    expect(JSON.parse(forward)).toStrictEqual([
      { content_hash: hashContent('fun-asr', words(2)), name: 'a', prefix: 'a', target_model: 'fun-asr' },
      { content_hash: hashContent('fun-asr', words(1)), name: 'first', prefix: 'b', target_model: 'fun-asr' },
      { content_hash: hashContent('fun-asr', words(1)), name: 'second', prefix: 'b', target_model: 'fun-asr' },
      { content_hash: hashContent('paraformer-v2', words(1)), name: 'b', prefix: 'b', target_model: 'paraformer-v2' },
    ]);
  });
});

describe('fingerprintPlan', () => {
  it('does not depend on the order of the observed lists', () => {
    const p = plan({ owned: [remoteList({ prefix: 'a', id: 'vocab-a-1' }), remoteList({ prefix: 'b', id: 'vocab-b-1' })], unmanaged: [unmanagedList('c', 'vocab-c-1')] });
    expect(fingerprintPlan(p.environment, [...p.observed].reverse(), p.desired)).toBe(fingerprintPlan(p.environment, p.observed, p.desired));
    expect(fingerprintPlan(p.environment, p.observed, p.desired)).toBe(p.fingerprint);
  });
});
