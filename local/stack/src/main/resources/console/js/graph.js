// Lays out a state machine definition as a layered graph (top to bottom) and renders it as
// SVG: one box per state, Choice rules and Catch paths as labelled edges, Parallel branches
// and Map item processors as nested groups. The layout of each scope is dagre's (a maintained
// Sugiyama-style layered layout, vendored in ../vendor/, ADR 0151): long edges and loops are
// routed through their own slots in every rank they cross, so an edge never runs behind a box.
// Statuses and taken transitions come from history.js; every text goes in through textContent.

import dagre from '../vendor/dagre.esm.js';
import { s } from './dom.js';
import { edgeKey, endOf, isTerminal, startOf } from './asl.js';

const NODE_H = 46;
const PSEUDO_H = 22; // start/end pill height
const RANK_GAP = 44;
const NODE_GAP = 28;
const EDGE_GAP = 14;
const GROUP_PAD = 14;
const GROUP_HEADER = 26;
const BRANCH_GAP = 22;
const MARGIN = 20;
const CORNER = 8; // radius of an edge's bends
const LABEL_FONT = '10.5px system-ui, sans-serif';

let measureCtx = null;
function textWidth(text, font = '600 13px system-ui, sans-serif') {
  if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/** Lays out a scope; returns {width, height, nodes: Map(key → node), edges: [edge], scope}. */
export function layoutScope(scope) {
  const nodes = new Map();
  const start = startOf(scope.id);
  const end = endOf(scope.id);
  nodes.set(start, pseudoNode(start, 'start', 'Start'));
  for (const state of scope.states) {
    nodes.set(state.name, stateNode(state));
  }
  nodes.set(end, pseudoNode(end, 'end', 'End'));

  // Edges (only to states that exist in this scope; a dangling Next is drawn to nothing).
  const edges = [];
  const addEdge = (from, to, kind = 'next', label = '', title = '') => {
    if (!nodes.has(from) || !nodes.has(to)) return;
    edges.push({ key: edgeKey(from, to), from, to, kind, label, title, name: `${kind}:${edges.length}` });
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

  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'TB', nodesep: NODE_GAP, edgesep: EDGE_GAP, ranksep: RANK_GAP, marginx: MARGIN, marginy: MARGIN,
  });
  for (const n of nodes.values()) g.setNode(n.key, { width: n.w, height: n.h });
  for (const e of edges) {
    // A label is laid out as a box of its own on the edge, so it never covers a state.
    const label = e.label
      ? { width: textWidth(e.label, LABEL_FONT) + 6, height: 14, labelpos: 'r', labeloffset: 6 }
      : {};
    g.setEdge(e.from, e.to, label, e.name);
  }
  dagre.layout(g);
  for (const n of nodes.values()) {
    const placed = g.node(n.key);
    n.x = placed.x - n.w / 2;
    n.y = placed.y - n.h / 2;
  }
  for (const e of edges) {
    const placed = g.edge(e.from, e.to, e.name);
    e.points = placed.points;
    if (e.label) e.labelAt = { x: placed.x, y: placed.y };
  }
  const size = g.graph();
  return { width: Math.ceil(size.width), height: Math.ceil(size.height), nodes, edges, scope };
}

function pseudoNode(key, pseudo, label) {
  return { key, pseudo, label, w: Math.ceil(textWidth(label, '11px system-ui, sans-serif')) + 22, h: PSEUDO_H, groups: [] };
}

/** A state's box: a leaf sized to its name, or a group holding its branches' own layouts. */
function stateNode(state) {
  const node = { key: state.name, state, groups: [] };
  if (!state.children.length) {
    node.w = Math.min(300, Math.max(130, textWidth(state.name) + 36));
    node.h = NODE_H;
    return node;
  }
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
  return node;
}

/** An SVG path through the points, straight segments with rounded bends. */
function pathThrough(points) {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const inLen = Math.hypot(b.x - a.x, b.y - a.y);
    const outLen = Math.hypot(c.x - b.x, c.y - b.y);
    const r = Math.min(CORNER, inLen / 2, outLen / 2);
    if (r < 0.5) {
      d += ` L ${b.x} ${b.y}`;
      continue;
    }
    const p = { x: b.x - ((b.x - a.x) / inLen) * r, y: b.y - ((b.y - a.y) / inLen) * r };
    const q = { x: b.x + ((c.x - b.x) / outLen) * r, y: b.y + ((c.y - b.y) / outLen) * r };
    d += ` L ${p.x} ${p.y} Q ${b.x} ${b.y} ${q.x} ${q.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
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

  for (const e of layout.edges) {
    const isTaken = taken.has(e.key);
    edgeLayer.append(s('path', {
      d: pathThrough(e.points),
      class: ['edge', `edge-${e.kind}`, isTaken && 'taken'],
      'marker-end': `url(#${isTaken ? 'arrow-taken' : 'arrow'})`,
      dataset: { from: e.from, to: e.to, taken: isTaken },
    }, e.title ? s('title', null, e.title) : null));
    if (e.label) {
      edgeLayer.append(s('text', {
        x: e.labelAt.x, y: e.labelAt.y + 4, 'text-anchor': 'middle', class: ['edge-label', isTaken && 'taken'],
      }, e.label, e.title ? s('title', null, e.title) : null));
    }
  }

  for (const n of layout.nodes.values()) {
    if (n.pseudo) {
      const reached = n.pseudo === 'start'
        ? layout.edges.some((e) => e.from === n.key && taken.has(e.key))
        : layout.edges.some((e) => e.to === n.key && taken.has(e.key));
      nodeLayer.append(s('g', {
        class: ['pseudo', reached && 'taken'], transform: `translate(${n.x},${n.y})`, dataset: { pseudo: n.pseudo, key: n.key },
      },
      s('rect', { class: 'pill', width: n.w, height: n.h, rx: n.h / 2 }),
      s('text', { x: n.w / 2, y: n.h / 2 + 4, 'text-anchor': 'middle', class: 'pseudo-label' }, n.label)));
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
