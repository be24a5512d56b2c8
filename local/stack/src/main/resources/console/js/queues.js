// Queues: each queue and its DLQ with message counts, a form to send a message, DLQ redrive.

import { consoleApi } from './api.js';
import { h, replace } from './dom.js';
import { notice } from './widgets.js';

const EXAMPLES = {
  activator: '{"scene": "s3://hsi-data/scenes/example/cube.hdr"}',
  processor: '{"item": "s3://hsi-data/stac/scenes/items/example.json", "products": ["stats", "ndi", "quicklook"]}',
};

export function queuesView(root) {
  let disposed = false;
  let timer = null;
  let queues = [];

  const tableHolder = h('div', { class: 'table-holder', id: 'queues-holder' }, notice('info', 'Loading…'));
  const queueSelect = h('select', { id: 'send-queue', name: 'queue', 'aria-label': 'Queue' });
  const body = h('textarea', {
    id: 'send-body', name: 'body', rows: 6, spellcheck: 'false', required: true,
    placeholder: 'Message body (the execution input\'s parameters.event)',
  });
  const result = h('div', { id: 'send-result', 'aria-live': 'polite' });
  const sendButton = h('button', { type: 'submit', id: 'send-button' }, 'Send message');
  const exampleButton = h('button', { type: 'button', class: 'secondary', id: 'send-example' }, 'Insert example');
  const form = h('form', { id: 'send-form', class: 'send-form' },
    h('label', null, 'Queue ', queueSelect),
    h('label', { class: 'grow' }, 'Body', body),
    h('div', { class: 'actions' }, exampleButton, sendButton),
    result);

  replace(root,
    h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h1', null, 'Queues'), h('span', { class: 'muted', id: 'queues-updated' })),
      tableHolder),
    h('section', { class: 'panel' }, h('h2', null, 'Send a message'), form));

  exampleButton.addEventListener('click', () => {
    const q = queues.find((x) => x.key === queueSelect.value);
    body.value = EXAMPLES[q ? q.key : 'activator'] || EXAMPLES.activator;
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!body.value) {
      replace(result, notice('error', 'Enter a message body.'));
      return;
    }
    sendButton.disabled = true;
    try {
      const sent = await consoleApi(`queues/${encodeURIComponent(queueSelect.value)}/messages`, {
        method: 'POST', body: { body: body.value },
      });
      const q = queues.find((x) => x.key === queueSelect.value);
      const queueName = q ? q.queue.name : queueSelect.value;
      replace(result, notice('ok', 'Sent message ', h('code', { id: 'sent-message-id' }, sent.messageId),
        ` to ${queueName}. `,
        h('a', { href: `#/executions?queue=${encodeURIComponent(queueName)}`, id: 'watch-executions' }, 'Watch its execution →')));
      refresh();
    } catch (err) {
      replace(result, notice('error', `Not sent: ${err.message}`));
    } finally {
      sendButton.disabled = false;
    }
  });

  async function redrive(q) {
    const count = q.dlq.visible;
    if (!window.confirm(`Move ${count} message(s) from ${q.dlq.name} back to ${q.queue.name}?`)) return;
    try {
      const r = await consoleApi(`queues/${encodeURIComponent(q.key)}/redrive`, { method: 'POST', body: {} });
      const how = r.method === 'StartMessageMoveTask'
        ? `Started a message move task (${r.approximateMessages} message(s)).`
        : `Moved ${r.moved} message(s).`;
      replace(result, notice('ok', `Redrive of ${q.dlq.name} → ${q.queue.name}: ${how}`));
    } catch (err) {
      replace(result, notice('error', `Redrive failed: ${err.message}`));
    }
    refresh();
  }

  function render() {
    const tbody = h('tbody');
    for (const q of queues) {
      const dlq = q.dlq;
      tbody.append(h('tr', { class: 'queue-row', dataset: { key: q.key } },
        h('td', null, h('strong', null, q.queue.name), h('div', { class: 'muted small' }, q.queue.url)),
        h('td', { class: 'num visible' }, String(q.queue.visible)),
        h('td', { class: 'num in-flight' }, String(q.queue.inFlight)),
        h('td', null, dlq ? dlq.name : '—',
          q.maxReceiveCount ? h('div', { class: 'muted small' }, `after ${q.maxReceiveCount} receives`) : null),
        h('td', { class: ['num', 'dlq-visible', dlq && dlq.visible > 0 && 'warn'] }, dlq ? String(dlq.visible) : '—'),
        h('td', { class: 'num dlq-in-flight' }, dlq ? String(dlq.inFlight) : '—'),
        h('td', null, dlq ? h('button', {
          type: 'button', class: 'secondary redrive', disabled: dlq.visible === 0,
          title: dlq.visible === 0 ? 'The DLQ is empty' : `Move messages back to ${q.queue.name}`,
          onclick: () => redrive(q),
        }, 'Redrive') : null)));
    }
    replace(tableHolder, h('table', { class: 'data', id: 'queues' },
      h('thead', null, h('tr', null, ['Queue', 'Available', 'In flight', 'Dead-letter queue', 'DLQ available', 'DLQ in flight', ''].map((t) => h('th', null, t)))),
      tbody));
    const current = queueSelect.value;
    replace(queueSelect, queues.map((q) => h('option', { value: q.key }, q.queue.name)));
    if (queues.some((q) => q.key === current)) queueSelect.value = current;
  }

  async function refresh() {
    if (disposed) return;
    clearTimeout(timer);
    try {
      queues = (await consoleApi('queues')).queues || [];
      if (disposed) return;
      render();
      replace(root.querySelector('#queues-updated'), `Counts are approximate (as SQS reports them); updated ${new Date().toLocaleTimeString()}`);
    } catch (err) {
      replace(tableHolder, notice('error', `Could not read the queues: ${err.message}`));
    } finally {
      if (!disposed) timer = setTimeout(refresh, 3000);
    }
  }

  refresh();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}
