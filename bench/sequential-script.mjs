/**
 * What teams do today without vocab-sync, measured by the bench: a script that lists the
 * account's vocabularies page by page, then queries each list one by one, the way a loop
 * around the official SDK's `list_vocabularies` and `query_vocabulary` does. Plain HTTP, same
 * wire calls; reads BENCH_BASE_URL and BENCH_API_KEY.
 */
const base = process.env.BENCH_BASE_URL;
const key = process.env.BENCH_API_KEY;
const PAGE_SIZE = 10;

async function call(input) {
  const response = await fetch(`${base}/services/audio/asr/customization`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'speech-biasing', input }),
  });
  if (response.status !== 200) throw new Error(`${input.action}: HTTP ${response.status}`);
  return (await response.json()).output;
}

const ids = [];
for (let page = 0; ; page++) {
  const { vocabulary_list: rows } = await call({ action: 'list_vocabulary', prefix: null, page_index: page, page_size: PAGE_SIZE });
  ids.push(...rows.map((r) => r.vocabulary_id));
  if (rows.length < PAGE_SIZE) break;
}
let entries = 0;
for (const id of ids) entries += (await call({ action: 'query_vocabulary', vocabulary_id: id })).vocabulary.length;
process.stdout.write(`${ids.length} lists, ${entries} entries\n`);
