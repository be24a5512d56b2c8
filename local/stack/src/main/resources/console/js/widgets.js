// Small shared UI pieces.

import { h } from './dom.js';
import { statusClass, statusLabel } from './format.js';

/** A status badge: a coloured dot plus the word (colour is never the only signal). */
export function statusBadge(status) {
  return h('span', { class: ['badge', statusClass(status)], dataset: { status: String(status) } },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), statusLabel(status));
}

/** A message box for errors and empty states. */
export function notice(kind, ...text) {
  return h('div', { class: ['notice', `notice-${kind}`], role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/** A <pre> with JSON (pretty-printed when it parses), as text. */
export function codeBlock(text, cls = '') {
  return h('pre', { class: ['code', cls] }, text === undefined || text === null || text === '' ? '—' : text);
}

/** A key/value list (dl). */
export function facts(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    dl.append(h('dt', null, k), h('dd', null, v === null || v === '' ? '—' : v));
  }
  return dl;
}

/** Runs async work over items with at most `limit` in flight; returns the results in order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}
