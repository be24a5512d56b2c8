// Derives, from an execution's history events, which states ran, how each ended (succeeded,
// failed, caught, running, not reached), which transitions were taken, and each state's input,
// output, errors and timing.

import { edgeKey, endOf, isTerminal, startOf } from './asl.js';
import { toMillis, tryParse } from './format.js';

const ENTERED = /StateEntered$/;
const EXITED = /StateExited$/;
// Events that report a failure of the work inside a state (Retry/Catch apply to them).
const FAILURE = /(Failed|TimedOut)$/;
// Events that start (another attempt of) the work inside a state: a failure before one of
// these was retried.
const ATTEMPT = /(TaskScheduled|LambdaFunctionScheduled|ActivityScheduled)$/;

/** The event's details object (e.g. taskFailedEventDetails), or {}. */
export function detailsOf(event) {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') return value;
  }
  return {};
}

/** The statuses the graph shows, strongest first (used to merge several visits of a state). */
export const STATE_STATUSES = ['running', 'failed', 'caught', 'succeeded', 'not-reached'];

/**
 * Analyses a history. Returns {visits, byState: Map(name → {status, visits}), edges: Set(edge
 * keys), ownerOf: Map(event id → visit)}.
 *
 * @param events GetExecutionHistory events, any order
 * @param model parseDefinition(...) of the execution's state machine
 * @param execution DescribeExecution result (its status decides whether open states still run)
 */
export function analyseHistory(events, model, execution) {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  const byId = new Map(sorted.map((e) => [e.id, e]));
  const ownerOf = new Map();
  const visits = [];
  const open = []; // visits entered and not yet exited, in entry order

  const executionStatus = execution ? execution.status : 'RUNNING';

  const mostRecentOpen = (predicate = () => true) => {
    for (let i = open.length - 1; i >= 0; i--) if (predicate(open[i])) return open[i];
    return null;
  };
  const close = (visit) => {
    const i = open.indexOf(visit);
    if (i >= 0) open.splice(i, 1);
  };
  const ownerOfPrevious = (event) => {
    const prev = event.previousEventId ? byId.get(event.previousEventId) : null;
    return prev ? ownerOf.get(prev.id) || null : null;
  };

  for (const event of sorted) {
    const details = detailsOf(event);
    if (ENTERED.test(event.type)) {
      const visit = {
        name: details.name,
        kind: event.type.replace(/StateEntered$/, ''),
        state: model.states.get(details.name) || null,
        entered: event,
        exited: null,
        input: details.input,
        output: undefined,
        startMs: toMillis(event.timestamp),
        endMs: null,
        events: [event],
        failures: [],
        attempts: 0,
        predecessor: findPredecessor(event, byId, ownerOf),
        successors: [],
        status: null,
      };
      if (visit.predecessor) visit.predecessor.successors.push(visit);
      visits.push(visit);
      open.push(visit);
      ownerOf.set(event.id, visit);
      continue;
    }
    if (EXITED.test(event.type)) {
      const fromPrevious = ownerOfPrevious(event);
      const visit = fromPrevious && fromPrevious.name === details.name && !fromPrevious.exited
        ? fromPrevious
        : mostRecentOpen((v) => v.name === details.name);
      if (visit) {
        visit.exited = event;
        visit.output = details.output;
        visit.endMs = toMillis(event.timestamp);
        visit.events.push(event);
        ownerOf.set(event.id, visit);
        close(visit);
      }
      continue;
    }
    // Any other event belongs to the state it follows from, when that state is still open;
    // otherwise to the state that opened last (engines that link events loosely).
    let visit = ownerOfPrevious(event);
    if (!visit || visit.exited) visit = event.type.startsWith('Execution') && !FAILURE.test(event.type)
      ? null
      : mostRecentOpen();
    if (!visit) continue;
    ownerOf.set(event.id, visit);
    visit.events.push(event);
    if (ATTEMPT.test(event.type)) {
      visit.attempts += 1;
      visit.failures.forEach((f) => { f.retried = true; });
    }
    if (FAILURE.test(event.type) || event.type === 'ExecutionAborted') {
      visit.failures.push({ event, error: details.error, cause: details.cause, retried: false });
    }
  }

  for (const visit of visits) visit.status = visitStatus(visit, executionStatus);

  const byState = new Map();
  for (const visit of visits) {
    if (!byState.has(visit.name)) byState.set(visit.name, { status: null, visits: [] });
    byState.get(visit.name).visits.push(visit);
  }
  for (const entry of byState.values()) {
    entry.status = STATE_STATUSES.find((st) => entry.visits.some((v) => v.status === st)) || 'succeeded';
  }

  return { visits, byState, edges: takenEdges(visits, model), ownerOf };
}

/** The visit this state was entered from: the owner of the nearest earlier linked event. */
function findPredecessor(event, byId, ownerOf) {
  let prevId = event.previousEventId;
  const seen = new Set();
  while (prevId && !seen.has(prevId)) {
    seen.add(prevId);
    const prev = byId.get(prevId);
    if (!prev) return null;
    const owner = ownerOf.get(prev.id);
    if (owner) return owner;
    prevId = prev.previousEventId;
  }
  return null;
}

function unretriedFailure(visit) {
  const failures = visit.failures.filter((f) => !f.retried);
  return failures.length ? failures[failures.length - 1] : null;
}

function visitStatus(visit, executionStatus) {
  const failure = unretriedFailure(visit);
  const movedOn = visit.exited || visit.successors.some((s) => s.state && visit.state && s.state.scope === visit.state.scope);
  if (movedOn) return failure ? 'caught' : 'succeeded';
  if (failure) return 'failed';
  if (visit.kind === 'Fail' || (visit.state && visit.state.type === 'Fail')) return 'failed';
  if (executionStatus === 'RUNNING') return 'running';
  // The execution ended while this state was open (aborted, timed out, or failed inside it).
  return 'failed';
}

/** Transition keys the execution took (see asl.edgeKey), including start and end edges. */
function takenEdges(visits, model) {
  const edges = new Set();
  for (const visit of visits) {
    const state = visit.state;
    if (!state) continue;
    const pred = visit.predecessor;
    if (pred && pred.state && pred.state.scope === state.scope) {
      edges.add(edgeKey(pred.name, visit.name));
    } else {
      edges.add(edgeKey(startOf(state.scope), visit.name));
    }
    const ended = visit.status === 'succeeded' && isTerminal(state);
    const failedHere = state.type === 'Fail' && visit.status === 'failed';
    if (ended || failedHere) edges.add(edgeKey(visit.name, endOf(state.scope)));
  }
  return edges;
}

/**
 * Facts about one visit for the detail panel: timing, input/output, errors, retries and the
 * Batch job ids its task events name.
 */
export function visitFacts(visit) {
  const jobIds = new Set();
  let parameters = null;
  let resource = null;
  let resourceType = null;
  for (const event of visit.events) {
    const d = detailsOf(event);
    if (event.type === 'TaskScheduled') {
      parameters = tryParse(d.parameters);
      resource = d.resource;
      resourceType = d.resourceType;
    }
    for (const text of [d.output, d.cause]) {
      const parsed = tryParse(text);
      const id = parsed && (parsed.JobId || parsed.jobId);
      if (typeof id === 'string') jobIds.add(id);
    }
  }
  return {
    parameters,
    resource,
    isBatch: isBatchTask(visit, resourceType, resource),
    jobIds: [...jobIds],
    duration: visit.startMs !== null && visit.endMs !== null ? visit.endMs - visit.startMs : null,
  };
}

function isBatchTask(visit, resourceType, resource) {
  const declared = visit.state && typeof visit.state.def.Resource === 'string' ? visit.state.def.Resource : '';
  return resourceType === 'batch'
    || declared.startsWith('arn:aws:states:::batch:')
    || (typeof resource === 'string' && resource.includes(':batch:'));
}
