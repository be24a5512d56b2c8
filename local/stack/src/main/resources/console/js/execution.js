// One execution: summary, the state machine graph with the path taken, the selected state's
// input/output/error/timing (and Batch job with logs), and the event history.

import { consoleApi, sfn, sfnAll } from './api.js';
import { h, pretty, replace } from './dom.js';
import { parseDefinition } from './asl.js';
import { analyseHistory, detailsOf, visitFacts } from './history.js';
import { renderGraph } from './graph.js';
import {
  durationBetween, formatDuration, formatTime, sourceQueue, toMillis, tryParse,
} from './format.js';
import { codeBlock, facts, notice, statusBadge } from './widgets.js';

const STATUS_WORDS = {
  succeeded: 'Succeeded', failed: 'Failed', caught: 'Caught error', running: 'In progress', 'not-reached': 'Not reached',
};

/** Renders the execution view; returns a dispose function. */
export function executionView(root, executionArn, params, navigate) {
  let disposed = false;
  let timer = null;
  let selected = params.get('state') || null; // deep link: #/execution/<arn>?state=<name>
  let model = null;
  let definitionText = null;
  let latest = null; // {execution, events, analysis}
  const jobCache = new Map();

  const header = h('section', { class: 'panel', id: 'execution-summary' }, notice('info', 'Loading…'));
  const graphHolder = h('div', { class: 'graph-holder', id: 'graph' });
  const stateHolder = h('aside', { class: 'state-panel', id: 'state-panel' },
    h('p', { class: 'muted' }, 'Select a state in the graph to see its input, output, error and timing.'));
  const legend = h('div', { class: 'legend' },
    Object.entries(STATUS_WORDS).map(([k, v]) => h('span', { class: ['legend-item', `st-${k}`] },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }), v)));
  const eventsHolder = h('div', { class: 'table-holder', id: 'events-holder' });
  const ioHolder = h('section', { class: 'panel io', id: 'execution-io' });

  replace(root,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / ',
      h('span', { id: 'crumb-name' }, executionArn.slice(executionArn.lastIndexOf(':') + 1))),
    header,
    h('section', { class: 'panel graph-panel' },
      h('div', { class: 'toolbar' }, h('h2', null, 'Graph view'), legend),
      h('div', { class: 'graph-layout' }, graphHolder, stateHolder)),
    ioHolder,
    h('section', { class: 'panel' }, h('h2', null, 'Event history'), eventsHolder));

  async function loadDefinition(execution) {
    if (model) return;
    let described;
    try {
      described = await sfn('DescribeStateMachineForExecution', { executionArn });
    } catch {
      described = await sfn('DescribeStateMachine', { stateMachineArn: execution.stateMachineArn });
    }
    definitionText = described.definition;
    model = parseDefinition(tryParse(described.definition) || {});
  }

  async function load() {
    if (disposed) return;
    clearTimeout(timer);
    let running = false;
    try {
      const execution = await sfn('DescribeExecution', { executionArn });
      await loadDefinition(execution);
      const events = await sfnAll('GetExecutionHistory', { executionArn, maxResults: 1000 }, 'events');
      if (disposed) return;
      const analysis = analyseHistory(events, model, execution);
      latest = { execution, events, analysis };
      running = execution.status === 'RUNNING';
      renderSummary(execution);
      renderGraphView();
      renderEvents(events, analysis);
      if (selected && model.states.has(selected)) renderState(selected);
    } catch (err) {
      replace(header, notice('error', `Could not load the execution: ${err.message}`));
    } finally {
      if (!disposed && running) timer = setTimeout(load, 1500);
    }
  }

  function renderSummary(execution) {
    const input = tryParse(execution.input);
    const rows = [
      ['Status', statusBadge(execution.status)],
      ['Execution ARN', h('code', null, execution.executionArn)],
      ['State machine', h('code', null, execution.stateMachineArn)],
      ['Source queue', sourceQueue(input) || '—'],
      ['Started', formatTime(execution.startDate)],
      ['Stopped', execution.stopDate ? formatTime(execution.stopDate) : '—'],
      ['Duration', formatDuration(durationBetween(execution.startDate, execution.stopDate))],
      ['Products', h('a', { id: 'execution-products', href: `#/products?collection=&execution=${encodeURIComponent(executionArn)}` },
        'Catalog items this execution published')],
    ];
    if (execution.error || execution.cause) {
      rows.push(['Error', h('span', { class: 'error-text', id: 'execution-error' }, execution.error || '—')]);
      rows.push(['Cause', codeBlock(pretty(execution.cause), 'error-text cause-short')]);
    }
    let action = null;
    if (execution.status === 'RUNNING') {
      action = h('button', { type: 'button', class: 'danger', id: 'stop-execution', onclick: stopExecution }, 'Stop execution');
    } else if (['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status)) {
      // RedriveExecution: continue from the unsuccessful state; states that succeeded do not run again.
      action = h('button', { type: 'button', class: 'secondary', id: 'redrive-execution', onclick: redriveExecution,
        title: 'Continue from the state that failed, with the same input' }, 'Redrive');
    }
    replace(header,
      h('div', { class: 'toolbar' }, h('h1', { id: 'execution-name' }, execution.name), action),
      facts(rows));
    const openInput = ioHolder.querySelector('details.input-details');
    replace(ioHolder,
      h('div', { class: 'io-grid' },
        h('div', null, h('h2', null, 'Execution input'), codeBlock(pretty(execution.input), 'execution-input')),
        h('div', null, h('h2', null, 'Execution output'), codeBlock(pretty(execution.output), 'execution-output'))),
      h('details', { class: 'input-details', open: openInput ? openInput.open : false },
        h('summary', null, 'State machine definition'), codeBlock(pretty(definitionText))));
  }

  async function stopExecution() {
    if (!window.confirm('Stop this execution? Running Batch jobs are terminated.')) return;
    try {
      await sfn('StopExecution', { executionArn, error: 'Console.Stopped', cause: 'Stopped from the local console' });
    } catch (err) {
      window.alert(`Could not stop: ${err.message}`);
    }
    load();
  }

  async function redriveExecution() {
    try {
      await sfn('RedriveExecution', { executionArn });
    } catch (err) {
      window.alert(`Could not redrive: ${err.message}`);
    }
    load();
  }

  function renderGraphView() {
    const scroll = graphHolder.scrollLeft;
    replace(graphHolder, renderGraph(model, latest.analysis, select));
    graphHolder.scrollLeft = scroll;
    renderGraphSelection();
  }

  function select(name) {
    selected = name;
    navigate(`#/execution/${encodeURIComponent(executionArn)}?state=${encodeURIComponent(name)}`, { replace: true, silent: true });
    renderGraphSelection();
    renderState(name);
  }

  function renderGraphSelection() {
    for (const node of graphHolder.querySelectorAll('g.state')) {
      node.classList.toggle('selected', node.dataset.state === selected);
    }
  }

  function renderState(name) {
    const state = model.states.get(name);
    const entry = latest.analysis.byState.get(name);
    const status = entry ? entry.status : 'not-reached';
    const parts = [
      h('div', { class: 'toolbar' },
        h('h2', { id: 'state-name' }, name),
        h('span', { class: ['state-status', `st-${status}`], id: 'state-status', dataset: { status } },
          h('span', { class: 'swatch', 'aria-hidden': 'true' }), STATUS_WORDS[status])),
      h('p', { class: 'muted' }, state ? state.type : ''),
    ];
    if (!entry) {
      parts.push(h('p', null, 'This execution did not reach this state.'));
      if (state && state.def.Comment) parts.push(h('p', { class: 'muted' }, state.def.Comment));
      replace(stateHolder, ...parts);
      return;
    }
    entry.visits.forEach((visit, i) => {
      const f = visitFacts(visit);
      const box = h('div', { class: 'visit' });
      if (entry.visits.length > 1) box.append(h('h3', null, `Visit ${i + 1} of ${entry.visits.length}`));
      box.append(facts([
        ['Entered', formatTime(visit.entered.timestamp)],
        ['Exited', visit.exited ? formatTime(visit.exited.timestamp) : '—'],
        ['Duration', formatDuration(f.duration ?? (visit.status === 'running' ? Date.now() - visit.startMs : null))],
        ['Attempts', visit.attempts ? String(visit.attempts) : undefined],
      ]));
      const failures = visit.failures;
      if (failures.length) {
        const list = h('div', { class: 'errors' });
        failures.forEach((fail, j) => {
          list.append(h('div', { class: ['error-box', fail.retried && 'retried'] },
            h('div', null,
              h('strong', { class: 'error-name' }, fail.error || fail.event.type),
              fail.retried ? h('span', { class: 'muted' }, ` — attempt ${j + 1}, retried`) : null,
              h('span', { class: 'muted' }, ` at ${formatTime(fail.event.timestamp)}`)),
            codeBlock(pretty(fail.cause), 'error-cause')));
        });
        box.append(h('h3', null, 'Error'), list);
      }
      box.append(
        h('h3', null, 'Input'), codeBlock(pretty(visit.input), 'state-input'),
        h('h3', null, 'Output'), codeBlock(visit.exited ? pretty(visit.output) : '—', 'state-output'));
      if (f.parameters) {
        box.append(h('details', null, h('summary', null, 'Task parameters'), codeBlock(pretty(f.parameters))));
      }
      if (f.isBatch) box.append(batchSection(f, visit));
      parts.push(box);
    });
    replace(stateHolder, ...parts);
  }

  function batchSection(f, visit) {
    const holder = h('div', { class: 'batch', dataset: { jobs: f.jobIds.join(' ') } },
      h('h3', null, 'Batch job'), h('p', { class: 'muted' }, 'Looking up the job…'));
    loadJobs(f, visit).then((jobs) => {
      if (!jobs.length) {
        replace(holder, h('h3', null, 'Batch job'),
          h('p', { class: 'muted' }, visit.status === 'running' ? 'Waiting for the job to be submitted…' : 'No job record found.'));
        return;
      }
      replace(holder, h('h3', null, jobs.length > 1 ? 'Batch jobs' : 'Batch job'), ...jobs.map(renderJob));
    }).catch((err) => replace(holder, h('h3', null, 'Batch job'), notice('error', err.message)));
    return holder;
  }

  async function loadJobs(f, visit) {
    let ids = f.jobIds;
    if (!ids.length) {
      // The engine did not name the job in the task events yet: find it by execution + job name.
      const { jobs = [] } = await consoleApi(`jobs?executionArn=${encodeURIComponent(executionArn)}`);
      const jobName = f.parameters && f.parameters.JobName;
      const since = (visit.startMs ?? 0) - 1000;
      const until = visit.endMs ?? Infinity;
      ids = jobs.filter((j) => (!jobName || j.jobName === jobName)
        && (toMillis(j.createdAt) ?? 0) >= since && (toMillis(j.createdAt) ?? 0) <= until + 1000).map((j) => j.jobId);
    }
    const out = [];
    for (const id of ids) {
      const cached = jobCache.get(id);
      if (cached && ['SUCCEEDED', 'FAILED'].includes(cached.job && cached.job.status)) {
        out.push(cached);
        continue;
      }
      try {
        const detail = await consoleApi(`jobs/${encodeURIComponent(id)}`);
        jobCache.set(id, detail);
        out.push(detail);
      } catch (err) {
        out.push({ job: { jobId: id, status: 'UNKNOWN', statusReason: err.message }, logs: [] });
      }
    }
    return out;
  }

  function renderJob(detail) {
    const job = detail.job || {};
    const attempts = job.attempts || [];
    const box = h('div', { class: 'job', dataset: { jobId: job.jobId || '' } },
      facts([
        ['Job id', h('code', { class: 'job-id' }, job.jobId || '—')],
        ['Job name', job.jobName],
        ['Status', job.status ? statusBadge(job.status) : '—'],
        ['Reason', job.statusReason || undefined],
        ['Created', job.createdAt ? formatTime(job.createdAt) : undefined],
        ['Started', job.startedAt ? formatTime(job.startedAt) : undefined],
        ['Stopped', job.stoppedAt ? formatTime(job.stoppedAt) : undefined],
        ['Command', job.container && job.container.command ? h('code', null, job.container.command.join(' ')) : undefined],
      ]));
    if (attempts.length) {
      box.append(h('table', { class: 'data compact attempts' },
        h('thead', null, h('tr', null, ['#', 'Exit code', 'Started', 'Stopped', 'Duration', 'Reason'].map((t) => h('th', null, t)))),
        h('tbody', null, attempts.map((a, i) => h('tr', null,
          h('td', { class: 'num' }, String(i + 1)),
          h('td', { class: 'num' }, a.container && a.container.exitCode !== undefined && a.container.exitCode !== null ? String(a.container.exitCode) : '—'),
          h('td', { class: 'time' }, formatTime(a.startedAt)),
          h('td', { class: 'time' }, formatTime(a.stoppedAt)),
          h('td', { class: 'num' }, formatDuration(durationBetween(a.startedAt, a.stoppedAt))),
          h('td', null, a.statusReason || '—'))))));
    }
    for (const log of detail.logs || []) {
      box.append(h('details', { class: 'log', open: true, dataset: { attempt: log.attempt } },
        h('summary', null, `Log of attempt ${log.attempt} (${log.lines.length} lines${log.truncated ? `, first ${log.skippedLines} omitted` : ''})`),
        h('pre', { class: 'code log-lines' }, log.lines.join('\n') || '(empty)')));
    }
    if (!(detail.logs || []).length) box.append(h('p', { class: 'muted' }, 'No log lines yet.'));
    return box;
  }

  function renderEvents(events, analysis) {
    const start = events.length ? toMillis(events[0].timestamp) : null;
    const tbody = h('tbody');
    for (const event of [...events].sort((a, b) => a.id - b.id)) {
      const owner = analysis.ownerOf.get(event.id);
      const details = detailsOf(event);
      const failed = /(Failed|TimedOut|Aborted)$/.test(event.type);
      tbody.append(h('tr', { class: ['event-row', failed && 'failed-event'], dataset: { type: event.type, id: event.id } },
        h('td', { class: 'num' }, String(event.id)),
        h('td', null, event.type),
        h('td', null, owner ? h('a', {
          href: '#',
          onclick: (ev) => {
            ev.preventDefault();
            select(owner.name);
            stateHolder.scrollIntoView({ block: 'nearest' });
          },
        }, owner.name) : '—'),
        h('td', { class: 'time' }, formatTime(event.timestamp)),
        h('td', { class: 'num' }, start === null ? '—' : `+${formatDuration(toMillis(event.timestamp) - start)}`),
        h('td', null, Object.keys(details).length
          ? h('details', null, h('summary', null, summaryOf(details)), codeBlock(pretty(expand(details))))
          : '')));
    }
    replace(eventsHolder, h('table', { class: 'data compact', id: 'events' },
      h('thead', null, h('tr', null, ['ID', 'Type', 'Step', 'Timestamp', 'Elapsed', 'Details'].map((t) => h('th', null, t)))),
      tbody));
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}

/** A short line for the history table (error name, or the first field). */
function summaryOf(details) {
  if (details.error) return `${details.error}`;
  if (details.name) return details.name;
  const first = Object.keys(details)[0];
  return first;
}

/** Details with embedded JSON strings (input/output/cause/parameters) shown as JSON. */
function expand(details) {
  const out = {};
  for (const [k, v] of Object.entries(details)) {
    const parsed = typeof v === 'string' ? tryParse(v) : null;
    out[k] = parsed !== null && typeof parsed === 'object' ? parsed : v;
  }
  return out;
}
