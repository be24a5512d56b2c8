// The executions list: newest first, filters by status and source queue, pagination with
// nextToken, live refresh while anything runs.

import { sfn, consoleApi } from './api.js';
import { h, replace } from './dom.js';
import {
  EXECUTION_STATUSES, durationBetween, formatDuration, formatTime, sourceQueue, toMillis, tryParse,
} from './format.js';
import { mapLimit, notice, statusBadge } from './widgets.js';

const PAGE_SIZE = 25;
const MAX_FILTER_PAGES = 20;

/** Renders the list into `root`; returns a dispose function (stops the refresh timer). */
export function executionsView(root, params, navigate, cache) {
  let disposed = false;
  let timer = null;
  const tokens = [null]; // tokens[i] = nextToken that loads page i
  let page = 0;
  const state = {
    machine: params.get('machine') || '',
    status: params.get('status') || '',
    queue: params.get('queue') || '',
  };

  const machineSelect = h('select', { id: 'filter-machine', 'aria-label': 'State machine' });
  const statusSelect = h('select', { id: 'filter-status', 'aria-label': 'Status' },
    h('option', { value: '' }, 'All statuses'),
    EXECUTION_STATUSES.map((st) => h('option', { value: st }, st)));
  const queueSelect = h('select', { id: 'filter-queue', 'aria-label': 'Source queue' },
    h('option', { value: '' }, 'All queues'));
  const refreshInfo = h('span', { class: 'muted', id: 'refresh-info' });
  const tableHolder = h('div', { class: 'table-holder' });
  const prev = h('button', { type: 'button', id: 'page-newer', disabled: true }, '← Newer');
  const next = h('button', { type: 'button', id: 'page-older', disabled: true }, 'Older →');
  const pageInfo = h('span', { class: 'muted', id: 'page-info' });

  statusSelect.value = state.status;
  replace(root,
    h('section', { class: 'panel' },
      h('div', { class: 'toolbar' },
        h('h1', null, 'Executions'),
        h('label', null, 'State machine ', machineSelect),
        h('label', null, 'Status ', statusSelect),
        h('label', null, 'Queue ', queueSelect),
        refreshInfo),
      tableHolder,
      h('div', { class: 'pager' }, prev, pageInfo, next)));

  const updateUrl = () => {
    const q = new URLSearchParams();
    if (state.machine) q.set('machine', state.machine);
    if (state.status) q.set('status', state.status);
    if (state.queue) q.set('queue', state.queue);
    navigate(`#/executions${q.toString() ? `?${q}` : ''}`, { replace: true, silent: true });
  };
  const resetPages = () => {
    tokens.length = 1;
    page = 0;
  };
  statusSelect.addEventListener('change', () => { state.status = statusSelect.value; resetPages(); updateUrl(); load(); });
  queueSelect.addEventListener('change', () => { state.queue = queueSelect.value; resetPages(); updateUrl(); load(); });
  machineSelect.addEventListener('change', () => { state.machine = machineSelect.value; resetPages(); updateUrl(); load(); });
  prev.addEventListener('click', () => { if (page > 0) { page -= 1; load(); } });
  next.addEventListener('click', () => { if (tokens[page + 1]) { page += 1; load(); } });

  async function queueNames() {
    try {
      const { queues } = await consoleApi('queues');
      return queues.map((q) => q.queue.name);
    } catch {
      return [];
    }
  }

  async function describe(execution) {
    const cached = cache.get(execution.executionArn);
    if (cached && cached.status !== 'RUNNING') return cached;
    const described = await sfn('DescribeExecution', { executionArn: execution.executionArn });
    cache.set(execution.executionArn, described);
    return described;
  }

  /** One page of rows (more than one ListExecutions call when filtering by queue). */
  async function fetchPage(machineArn) {
    let token = tokens[page];
    const rows = [];
    for (let calls = 0; calls < (state.queue ? MAX_FILTER_PAGES : 1); calls++) {
      const request = { stateMachineArn: machineArn, maxResults: PAGE_SIZE };
      if (state.status) request.statusFilter = state.status;
      if (token) request.nextToken = token;
      const result = await sfn('ListExecutions', request);
      const executions = result.executions || [];
      const described = await mapLimit(executions, 6, describe);
      executions.forEach((e, i) => {
        const input = tryParse(described[i].input);
        const row = { ...e, input, queue: sourceQueue(input) };
        if (!state.queue || row.queue === state.queue) rows.push(row);
      });
      token = result.nextToken || null;
      if (!token || rows.length >= PAGE_SIZE) break;
    }
    tokens[page + 1] = token;
    return rows;
  }

  function renderRows(rows) {
    if (!rows.length) {
      replace(tableHolder, notice('empty', state.status || state.queue
        ? 'No executions match these filters.'
        : 'No executions yet. Send a message on the Queues page, or run ./pipeline demo.'));
      return;
    }
    rows.sort((a, b) => (toMillis(b.startDate) ?? 0) - (toMillis(a.startDate) ?? 0));
    const tbody = h('tbody');
    for (const row of rows) {
      const href = `#/execution/${encodeURIComponent(row.executionArn)}`;
      tbody.append(h('tr', { class: 'execution-row', dataset: { arn: row.executionArn, status: row.status } },
        h('td', { class: 'name' }, h('a', { href }, row.name)),
        h('td', null, statusBadge(row.status)),
        h('td', { class: 'queue' }, row.queue || '—'),
        h('td', { class: 'time' }, formatTime(row.startDate)),
        h('td', { class: 'time' }, row.stopDate ? formatTime(row.stopDate) : '—'),
        h('td', { class: 'num' }, formatDuration(durationBetween(row.startDate, row.stopDate)))));
    }
    replace(tableHolder, h('table', { class: 'data', id: 'executions' },
      h('thead', null, h('tr', null,
        ['Name', 'Status', 'Source queue', 'Started', 'Stopped', 'Duration'].map((t) => h('th', null, t)))),
      tbody));
  }

  let machinesLoaded = false;
  let loading = false;
  async function load() {
    if (disposed || loading) return;
    loading = true;
    clearTimeout(timer);
    let running = false;
    try {
      if (!machinesLoaded) {
        const { stateMachines = [] } = await sfn('ListStateMachines', { maxResults: 100 });
        replace(machineSelect, stateMachines.map((m) => h('option', { value: m.stateMachineArn }, m.name)));
        if (!stateMachines.length) {
          replace(tableHolder, notice('empty', 'No state machine is deployed on this endpoint yet.'));
          return;
        }
        if (!stateMachines.some((m) => m.stateMachineArn === state.machine)) state.machine = stateMachines[0].stateMachineArn;
        machineSelect.value = state.machine;
        const names = await queueNames();
        if (state.queue && !names.includes(state.queue)) names.push(state.queue);
        queueSelect.append(...names.map((n) => h('option', { value: n }, n)));
        queueSelect.value = state.queue;
        machinesLoaded = true;
      }
      const rows = await fetchPage(state.machine);
      if (disposed) return;
      renderRows(rows);
      running = rows.some((r) => r.status === 'RUNNING');
      prev.disabled = page === 0;
      next.disabled = !tokens[page + 1];
      replace(pageInfo, `Page ${page + 1}`);
      replace(refreshInfo, running ? 'Live: refreshing every 2 s' : `Updated ${formatTime(Date.now()).slice(11, 19)}`);
    } catch (err) {
      replace(tableHolder, notice('error', `Could not list executions: ${err.message}`));
    } finally {
      loading = false;
      if (!disposed) {
        // Fast while something runs; slower otherwise, so new executions still show up.
        timer = setTimeout(load, running ? 2000 : (page === 0 ? 4000 : 15000));
      }
    }
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}
