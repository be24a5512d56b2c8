// Lays out a state machine definition as a layered graph (top to bottom) and renders it as
// SVG: one box per state, Choice rules and Catch paths as labelled edges, Parallel branches
// and Map item processors as nested groups. Statuses and taken transitions come from
// history.js; every text goes in through textContent.

import { s } from './dom.js';
import { edgeKey, endOf, isTerminal, startOf } from './asl.js';

const NODE_H = 46;
const PSEUDO = 22; // start/end circle diameter
const RANK_GAP = 48;
const NODE_GAP = 28;
const GROUP_PAD = 14;
const GROUP_HEADER = 26;
const BRANCH_GAP = 22;
const MARGIN = 24;

let measureCtx = null;
function textWidth(text, font = '600 13px system-ui, sans-serif') {
  if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/** Lays out a scope; returns {width, height, nodes: Map(key → node), edges: [edge]}. */
export function layoutScope(scope) {
  const nodes = new Map();
  const start = startOf(scope.id);
  const end = endOf(scope.id);
  nodes.set(start, { key: start, pseudo: 'start', w: PSEUDO, h: PSEUDO, out: [] });
  for (const state of scope.states) {
    const node = { key: state.name, state, out: [], groups: [] };
    if (state.children.length) {
      const inner = state.children.map((child) => ({ scope: child, layout: layoutScope(child) }));
      let w = 0;
      let h = 0;
      inner.forEach((g, i) => {
        g.x = GROUP_PAD + w + (i ? BRANCH_GAP : 0);
        g.y = GROUP_HEADER + GROUP_PAD;
        w += g.layout.width + (i ? BRANCH_GAP : 0);
        h = Math.max(h, g.layout.height);
      });
      node.groups = inner;
      node.w = Math.max(w + 2 * GROUP_PAD, textWidth(state.name) + 90);
      node.h = h + GROUP_HEADER + 2 * GROUP_PAD;
      // Centre the branches inside a header that is wider than them.
      const extra = (node.w - (w + 2 * GROUP_PAD)) / 2;
      inner.forEach((g) => { g.x += extra; });
    } else {
      node.w = Math.min(300, Math.max(130, textWidth(state.name) + 36));
      node.h = NODE_H;
    }
    nodes.set(state.name, node);
  }
  nodes.set(end, { key: end, pseudo: 'end', w: PSEUDO, h: PSEUDO, out: [] });

  // Edges (only to states that exist in this scope; a dangling Next is drawn to nothing).
  const edges = [];
  const addEdge = (from, to, kind = 'next', label = '', title = '') => {
    if (!nodes.has(from) || !nodes.has(to)) return;
    const edge = { key: edgeKey(from, to), from, to, kind, label, title };
    edges.push(edge);
    nodes.get(from).out.push(edge);
  };
  if (scope.startAt) addEdge(start, scope.startAt);
  for (const state of scope.states) {
    const seen = new Set();
    for (const t of state.transitions) {
      if (seen.has(t.to + t.kind)) continue;
      seen.add(t.to + t.kind);
      addEdge(state.name, t.to, t.kind, t.label, t.title);
    }
    if (isTerminal(state)) addEdge(state.name, end, 'end');
  }

  rank(nodes, start, end);
  order(nodes);
  place(nodes);
  let width = 0;
  let height = 0;
  for (const n of nodes.values()) {
    width = Math.max(width, n.x + n.w);
    height = Math.max(height, n.y + n.h);
  }
  // Room on the right for loops (drawn around the scope) and their labels.
  const loops = edges.filter((e) => e.back || nodes.get(e.to).rank <= nodes.get(e.from).rank).length;
  const loopRoom = loops ? 12 * loops + 56 : 0;
  return { width: width + MARGIN + loopRoom, height: height + MARGIN, nodes, edges, scope };
}

/** Longest-path ranks from the start over the graph without its back edges. */
function rank(nodes, start, end) {
  const state = new Map(); // 1 = on stack, 2 = done
  const postorder = [];
  let discovered = 0;
  const visit = (key) => {
    state.set(key, 1);
    // Discovery order follows the declared order of transitions (Choice rules left to right).
    nodes.get(key).order = discovered++;
    for (const e of nodes.get(key).out) {
      if (state.get(e.to) === 1) {
        e.back = true;
      } else if (!state.has(e.to)) {
        visit(e.to);
      }
    }
    state.set(key, 2);
    postorder.push(key);
  };
  visit(start);
  // States nothing reaches still get drawn (below the reachable ones' roots).
  for (const key of nodes.keys()) if (!state.has(key) && key !== end) visit(key);
  if (!state.has(end)) visit(end);

  const topo = postorder.reverse();
  for (const key of topo) nodes.get(key).rank = 0;
  for (const key of topo) {
    const n = nodes.get(key);
    for (const e of n.out) {
      if (e.back) continue;
      const target = nodes.get(e.to);
      target.rank = Math.max(target.rank, n.rank + 1);
    }
  }
  const maxRank = Math.max(...[...nodes.values()].filter((n) => n.key !== end).map((n) => n.rank));
  nodes.get(end).rank = maxRank + 1;
  nodes.get(start).rank = 0;
}

/** Orders nodes within ranks by the barycentre of their predecessors (a few sweeps). */
function order(nodes) {
  const ranks = byRank(nodes);
  const preds = new Map([...nodes.keys()].map((k) => [k, []]));
  for (const n of nodes.values()) for (const e of n.out) if (!e.back) preds.get(e.to).push(n.key);
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const row of ranks) {
      for (const n of row) {
        const p = preds.get(n.key).map((k) => nodes.get(k).pos).filter((v) => v !== undefined);
        n.bary = p.length ? p.reduce((a, b) => a + b, 0) / p.length : n.pos ?? n.order;
      }
      row.sort((a, b) => a.bary - b.bary || a.order - b.order);
      row.forEach((n, i) => { n.pos = i; });
    }
  }
}

/** Nodes grouped by rank; each row sorted by position (first call: by discovery order). */
function byRank(nodes) {
  const ranks = [];
  for (const n of nodes.values()) (ranks[n.rank] ||= []).push(n);
  const rows = ranks.filter(Boolean);
  for (const row of rows) {
    row.sort((a, b) => (a.pos ?? a.order) - (b.pos ?? b.order) || a.order - b.order);
    row.forEach((n, i) => { n.pos = i; });
  }
  return rows;
}

/** Coordinates: ranks stacked vertically, nodes centred under their predecessors. */
function place(nodes) {
  const rows = byRank(nodes);
  const preds = new Map([...nodes.keys()].map((k) => [k, []]));
  for (const n of nodes.values()) for (const e of n.out) if (!e.back) preds.get(e.to).push(nodes.get(e.from));
  const rowWidth = (row) => row.reduce((a, n) => a + n.w, 0) + NODE_GAP * (row.length - 1);
  const width = Math.max(...rows.map(rowWidth));
  const centre = MARGIN + width / 2;
  let y = MARGIN;
  for (const row of rows) {
    const h = Math.max(...row.map((n) => n.h));
    // Desired centre: the mean of the predecessors' centres (or the middle).
    const desired = row.map((n) => {
      const ps = preds.get(n.key).filter((p) => p.x !== undefined);
      return ps.length ? ps.reduce((a, p) => a + p.x + p.w / 2, 0) / ps.length : centre;
    });
    let right = -Infinity;
    row.forEach((n, i) => {
      n.x = Math.max(desired[i] - n.w / 2, right + NODE_GAP);
      right = n.x + n.w;
    });
    // Shift the row so that, on average, nodes sit where they want to be.
    const shift = row.reduce((a, n, i) => a + (desired[i] - (n.x + n.w / 2)), 0) / row.length;
    row.forEach((n) => { n.x += shift; });
    row.forEach((n) => { n.y = y + (h - n.h) / 2; });
    y += h + RANK_GAP;
  }
  const minX = Math.min(...[...nodes.values()].map((n) => n.x));
  for (const n of nodes.values()) n.x += MARGIN - minX;
}

/**
 * Renders the definition as an SVG element.
 *
 * @param model parseDefinition(...)
 * @param analysis analyseHistory(...) or null (no execution: everything "not reached")
 * @param onSelect called with a state name when a state is clicked (or activated by keyboard)
 */
export function renderGraph(model, analysis, onSelect) {
  const layout = layoutScope(model.root);
  const svg = s('svg', {
    class: 'graph',
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': 'State machine graph',
  });
  svg.append(s('defs', null,
    marker('arrow', 'edge-arrow'),
    marker('arrow-taken', 'edge-arrow taken')));
  svg.append(renderScope(layout, analysis, onSelect));
  return svg;
}

function marker(id, cls) {
  return s('marker', {
    // userSpaceOnUse: the same arrow size whatever the edge's stroke width.
    id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse',
    orient: 'auto-start-reverse',
  }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }));
}

function renderScope(layout, analysis, onSelect) {
  const g = s('g', { class: 'scope', dataset: { scope: layout.scope.id } });
  const edgeLayer = s('g', { class: 'edges' });
  const nodeLayer = s('g', { class: 'nodes' });
  g.append(edgeLayer, nodeLayer);
  const taken = analysis ? analysis.edges : new Set();
  const rightmost = Math.max(...[...layout.nodes.values()].map((n) => n.x + n.w));

  let backLane = 0;
  for (const e of layout.edges) {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    let d;
    if (e.back || b.rank <= a.rank) {
      // Loops go around the right side of the scope.
      backLane += 1;
      const lane = rightmost + 12 * backLane;
      const y1 = a.y + a.h / 2;
      const y2 = b.y + b.h / 2;
      d = `M ${a.x + a.w} ${y1} C ${lane} ${y1}, ${lane} ${y2}, ${b.x + b.w + 2} ${y2}`;
    } else {
      const x1 = a.x + a.w / 2;
      const y1 = a.y + a.h;
      const x2 = b.x + b.w / 2;
      const y2 = b.y - 2;
      const dy = Math.max(24, (y2 - y1) / 2);
      d = `M ${x1} ${y1} C ${x1} ${y1 + dy}, ${x2} ${y2 - dy}, ${x2} ${y2}`;
    }
    const isTaken = taken.has(e.key);
    const path = s('path', {
      d,
      class: ['edge', `edge-${e.kind}`, isTaken && 'taken'],
      'marker-end': `url(#${isTaken ? 'arrow-taken' : 'arrow'})`,
      dataset: { from: e.from, to: e.to, taken: isTaken },
    }, e.title ? s('title', null, e.title) : null);
    edgeLayer.append(path);
    if (e.label) {
      const x1 = a.x + a.w / 2;
      const x2 = b.x + b.w / 2;
      const lx = e.back ? rightmost + 4 : (x1 * 0.35 + x2 * 0.65);
      const ly = e.back ? (a.y + b.y) / 2 : (a.y + a.h) * 0.35 + b.y * 0.65;
      edgeLayer.append(s('text', { x: lx + 4, y: ly, class: ['edge-label', isTaken && 'taken'] }, e.label,
        e.title ? s('title', null, e.title) : null));
    }
  }

  for (const n of layout.nodes.values()) {
    if (n.pseudo) {
      const key = n.pseudo === 'start' ? 'Start' : 'End';
      const reached = n.pseudo === 'start'
        ? layout.edges.some((e) => e.from === n.key && taken.has(e.key))
        : layout.edges.some((e) => e.to === n.key && taken.has(e.key));
      nodeLayer.append(s('g', { class: ['pseudo', reached && 'taken'], transform: `translate(${n.x},${n.y})` },
        s('circle', { cx: n.w / 2, cy: n.h / 2, r: n.w / 2 }),
        s('text', { x: n.w / 2 + n.w / 2 + 6, y: n.h / 2 + 4, class: 'pseudo-label' }, key)));
      continue;
    }
    nodeLayer.append(renderState(n, analysis, onSelect));
  }
  return g;
}

function renderState(n, analysis, onSelect) {
  const entry = analysis ? analysis.byState.get(n.key) : null;
  const status = entry ? entry.status : 'not-reached';
  const visits = entry ? entry.visits.length : 0;
  const g = s('g', {
    class: ['state', n.groups.length ? 'group' : 'leaf', `type-${n.state.type.toLowerCase()}`, `st-${status}`],
    transform: `translate(${n.x},${n.y})`,
    tabindex: 0,
    role: 'button',
    'aria-label': `${n.key} (${n.state.type}): ${status.replace('-', ' ')}`,
    dataset: { state: n.key, status, type: n.state.type },
  });
  const select = (ev) => {
    ev.stopPropagation();
    onSelect(n.key);
  };
  g.addEventListener('click', select);
  g.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      select(ev);
    }
  });
  const rx = n.state.type === 'Choice' ? 22 : 6;
  if (n.groups.length) {
    g.append(
      s('rect', { class: 'box', width: n.w, height: n.h, rx: 8 }),
      s('text', { class: 'name', x: 12, y: 18 }, n.key),
      s('text', { class: 'type', x: n.w - 10, y: 18, 'text-anchor': 'end' },
        visits > 1 ? `${n.state.type} ×${visits}` : n.state.type),
    );
    for (const inner of n.groups) {
      const sub = s('g', { transform: `translate(${inner.x},${inner.y})`, class: 'branch' },
        s('rect', { class: 'branch-box', width: inner.layout.width, height: inner.layout.height, rx: 6 }));
      sub.append(renderScope(inner.layout, analysis, onSelect));
      g.append(sub);
    }
  } else {
    g.append(
      s('rect', { class: 'box', width: n.w, height: n.h, rx }),
      s('text', { class: 'name', x: n.w / 2, y: 20, 'text-anchor': 'middle' }, n.key),
      s('text', { class: 'type', x: n.w / 2, y: 36, 'text-anchor': 'middle' },
        `${n.state.type}${visits > 1 ? ` ×${visits}` : ''}`),
    );
  }
  g.append(s('title', null, `${n.key} — ${n.state.type}, ${status.replace('-', ' ')}`));
  return g;
}
