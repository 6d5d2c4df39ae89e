/**
 * The inspector page at `/_vocab/ui`: one account's lists (status, model, entry count, entries),
 * its quota, the request log and switches for the common faults. Rendered on the server, every
 * value escaped (lists and requests hold whatever clients sent); readable without JavaScript.
 * A small script refreshes the live parts and turns the switches into admin API calls.
 */
import { randomBytes } from 'node:crypto';
import { formatServiceTime, statusOf } from './account.js';
import { accountEnvironment, type EmulatorContext } from './context.js';
import type { FaultRule } from './fault-rules.js';
import { publicRequestEntry } from './request-log.js';
import { plural } from '../util/text.js';
import { fingerprintApiKey, type AccountState, type StoredEntry, type StoredVocabulary } from './state.js';

/** Escapes text for HTML element content and quoted attribute values. */
function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A switch of the page: the fault rule it adds while on (found again by its id). */
interface FaultSwitch {
  label: string;
  rule: Partial<FaultRule> & { id: string };
}

/** The common faults, as switches. */
const FAULT_SWITCHES: readonly FaultSwitch[] = [
  { label: '500 InternalError on every request', rule: { id: 'ui-http-500', effect: 'error', status: 500 } },
  { label: '429 Throttling.RateQuota on every request', rule: { id: 'ui-throttle-429', effect: 'error', status: 429 } },
  { label: 'Drop the connection on create', rule: { id: 'ui-drop-create', action: 'create_vocabulary', effect: 'drop-connection' } },
  { label: 'Commit, then answer 500, on update', rule: { id: 'ui-commit-fail-update', action: 'update_vocabulary', effect: 'commit-then-fail' } },
  { label: 'Gateway 502 (HTML) on list', rule: { id: 'ui-html-502-list', action: 'list_vocabulary', effect: 'html-502' } },
  { label: '2 s latency on every request', rule: { id: 'ui-latency', effect: 'latency', latency_ms: 2000 } },
];

const REQUEST_ROWS = 50;

function chooseAccount(context: EmulatorContext, query: URLSearchParams): [string, AccountState] | undefined {
  const accounts = context.state.accounts;
  const asked = query.get('account');
  const first = [...context.apiKeys][0];
  const preferred = asked ?? (first === undefined ? undefined : fingerprintApiKey(first));
  const found = preferred === undefined ? undefined : accounts[preferred];
  if (found && preferred !== undefined) return [preferred, found];
  const [key, account] = Object.entries(accounts)[0] ?? [];
  return key !== undefined && account !== undefined ? [key, account] : undefined;
}

function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.slice(0, 'sha256:'.length + 12)}…`;
}

function renderAccountPicker(context: EmulatorContext, current: string | undefined): string {
  const links = Object.keys(context.state.accounts).map((key) => {
    const label = escapeHtml(shortFingerprint(key));
    return key === current ? `<strong>${label}</strong>` : `<a href="?account=${encodeURIComponent(key)}">${label}</a>`;
  });
  return `<p>Accounts: ${links.length > 0 ? links.join(' · ') : 'none yet (an account appears with its first request)'}</p>`;
}

function renderQuota(used: number, limit: number): string {
  return `<section id="quota"><h2>Quota</h2><p><meter min="0" max="${escapeHtml(limit)}" value="${escapeHtml(used)}" high="${escapeHtml(Math.max(limit - 1, 0))}">${escapeHtml(used)}/${escapeHtml(limit)}</meter> <span data-testid="quota-text">${escapeHtml(used)} of ${escapeHtml(limit)} lists used</span></p></section>`;
}

function renderEntry(e: StoredEntry): string {
  const cells = [e.text, e.weight, e.lang, e.target_lang, e.translation].map((v) => `<td>${escapeHtml(v)}</td>`).join('');
  return `<tr>${cells}</tr>`;
}

/** Entries shown per list: a page stays light even with 10 lists of 10,000 entries. */
const ENTRY_ROWS = 500;

function renderList(v: StoredVocabulary, status: string): string {
  const hidden = v.vocabulary.length - ENTRY_ROWS;
  const more = hidden > 0 ? `<tr><td colspan="5">… and ${escapeHtml(hidden)} more (GET /_vocab/state has them all)</td></tr>` : '';
  const entries = v.vocabulary.slice(0, ENTRY_ROWS).map(renderEntry).join('') + more;
  return `<tr data-vocabulary-id="${escapeHtml(v.vocabulary_id)}"><td><code>${escapeHtml(v.vocabulary_id)}</code></td><td>${escapeHtml(v.prefix)}</td><td>${escapeHtml(v.target_model)}</td><td class="status-${escapeHtml(status)}">${escapeHtml(status)}</td><td>${escapeHtml(v.vocabulary.length)}</td><td>${escapeHtml(v.gmt_modified)}</td></tr>
<tr class="entries"><td colspan="6"><details><summary>${escapeHtml(plural(v.vocabulary.length, 'entry', 'entries'))} of ${escapeHtml(v.vocabulary_id)}</summary><table><thead><tr><th>text</th><th>weight</th><th>lang</th><th>target_lang</th><th>translation</th></tr></thead><tbody>${entries}</tbody></table></details></td></tr>`;
}

function renderLists(context: EmulatorContext, account: AccountState | undefined): string {
  const env = accountEnvironment(context, account);
  const lists = [...(account?.vocabularies ?? [])].sort((a, b) => b.created_at_ms - a.created_at_ms || b.seq - a.seq);
  const rows = lists.map((v) => renderList(v, statusOf(v, env))).join('\n');
  const body = lists.length > 0 ? rows : '<tr><td colspan="6">No vocabularies in this account.</td></tr>';
  return `<section id="lists"><h2>Vocabularies</h2><table><thead><tr><th>vocabulary_id</th><th>prefix</th><th>target_model</th><th>status</th><th>entries</th><th>gmt_modified</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

function renderRequests(context: EmulatorContext): string {
  const rows = context.requestLog
    .entries()
    .slice(-REQUEST_ROWS)
    .reverse()
    .map((e) => {
      const p = publicRequestEntry(e);
      const cells = [p.time, p.action, p.status ?? 'dropped', p.code, p.fault, p.workspace, p.key_fingerprint].map((v) => `<td>${escapeHtml(v)}</td>`);
      return `<tr>${cells.join('')}</tr>`;
    });
  const body = rows.length > 0 ? rows.join('\n') : '<tr><td colspan="7">No requests yet.</td></tr>';
  return `<section id="requests"><h2>Requests (newest first)</h2><table><thead><tr><th>time</th><th>action</th><th>status</th><th>code</th><th>fault</th><th>workspace</th><th>key</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

function renderSwitches(context: EmulatorContext): string {
  const active = new Set(context.faultRules.list().map((r) => r.id));
  const items = FAULT_SWITCHES.map((s) => {
    const checked = active.has(s.rule.id) ? ' checked' : '';
    return `<li><label><input type="checkbox" class="fault-switch" data-rule="${escapeHtml(JSON.stringify(s.rule))}"${checked}> ${escapeHtml(s.label)}</label></li>`;
  });
  const others = context.faultRules.list().filter((r) => !FAULT_SWITCHES.some((s) => s.rule.id === r.id)).length;
  return `<section id="faults"><h2>Faults</h2><ul>${items.join('')}</ul><p>${escapeHtml(others)} other fault rule(s) set through the admin API. <span id="fault-note" role="status"></span></p></section>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}tr.entries td{border-top:none}.status-OK{color:#176117}.status-UNDEPLOYED{color:#8a5a00}code{font-size:12px}meter{width:16em}`;

/** The script: refresh the live sections every 2 s; each switch adds or removes its rule with `PUT /_vocab/faults`. */
const SCRIPT = `
const base = location.pathname.replace(/\\/ui\\/?$/, '');
async function refresh() {
  const res = await fetch(location.href, { cache: 'no-store' });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  for (const id of ['clock', 'quota', 'lists', 'requests']) {
    const fresh = doc.getElementById(id);
    const old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
  }
}
async function toggle(box) {
  const rule = JSON.parse(box.dataset.rule);
  const note = document.getElementById('fault-note');
  const current = await (await fetch(base + '/faults')).json();
  const rules = current.faults.filter((r) => r.id !== rule.id);
  if (box.checked) rules.push(rule);
  const res = await fetch(base + '/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: rules }) });
  note.textContent = res.ok ? (box.checked ? 'on: ' : 'off: ') + rule.id : 'failed: ' + res.status;
  document.body.dataset.faultsApplied = String(Date.now());
}
for (const box of document.querySelectorAll('.fault-switch')) box.addEventListener('change', () => { toggle(box).catch((e) => { document.getElementById('fault-note').textContent = String(e); }); });
setInterval(() => { refresh().catch(() => undefined); }, 2000);
`;

/** The page, and the nonce its script carries (for the Content-Security-Policy header). */
export function renderInspectorPage(context: EmulatorContext, query: URLSearchParams): { html: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64');
  const chosen = chooseAccount(context, query);
  const account = chosen?.[1];
  const env = accountEnvironment(context, account);
  const now = context.clock.now();
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vocab emulator inspector</title><style>${STYLE}</style></head>
<body>
<h1>vocab emulator</h1>
${renderAccountPicker(context, chosen?.[0])}
<p id="clock">Emulator time: <time datetime="${escapeHtml(new Date(now).toISOString())}">${escapeHtml(formatServiceTime(now))}</time> (UTC+8), moved forward by ${escapeHtml(Math.round(context.clock.offsetMs() / 1000))} s.</p>
${renderQuota(account?.vocabularies.length ?? 0, env.rules.maxVocabularies)}
${renderLists(context, account)}
${renderSwitches(context)}
${renderRequests(context)}
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>
`;
  return { html, nonce };
}
