// The structure of an Amazon States Language definition as the graph and the history analysis
// need it: scopes (the top level, each Parallel branch, each Map's item processor), their
// states, and the transitions between states.

export const START = '__start__';
export const END = '__end__';

/** The key of a scope's start or end pseudo-node. */
export const startOf = (scope) => `${START}@${scope}`;
export const endOf = (scope) => `${END}@${scope}`;

/** The key of a transition from → to (state names or pseudo-nodes). */
export const edgeKey = (from, to) => `${from}->${to}`;

/**
 * Parses a definition into {root, scopeOf: Map(state name → scope id), states: Map(name →
 * state)}. A scope is {id, startAt, states: [state]}; a state is {name, type, def, scope,
 * transitions: [{to, kind, label, title}], children: [scope]}.
 */
export function parseDefinition(definition) {
  const scopeOf = new Map();
  const states = new Map();

  function scope(id, body) {
    const result = { id, startAt: body && body.StartAt, states: [] };
    const entries = Object.entries((body && body.States) || {});
    for (const [name, def] of entries) {
      const state = {
        name,
        type: (def && def.Type) || 'Unknown',
        def: def || {},
        scope: id,
        transitions: transitionsOf(def || {}),
        children: [],
      };
      if (state.type === 'Parallel') {
        (def.Branches || []).forEach((branch, i) => {
          state.children.push(scope(`${name}#branch${i + 1}`, branch));
        });
      } else if (state.type === 'Map') {
        const processor = def.ItemProcessor || def.Iterator;
        if (processor) state.children.push(scope(`${name}#items`, processor));
      }
      scopeOf.set(name, id);
      states.set(name, state);
      result.states.push(state);
    }
    return result;
  }

  const root = scope('root', definition || {});
  return { root, scopeOf, states };
}

/** The transitions a state can take, in the order the console draws them. */
function transitionsOf(def) {
  const out = [];
  if (def.Type === 'Choice') {
    (def.Choices || []).forEach((rule, i) => {
      if (rule && rule.Next) {
        out.push({ to: rule.Next, kind: 'choice', label: `Rule ${i + 1}`, title: describeRule(rule) });
      }
    });
    if (def.Default) out.push({ to: def.Default, kind: 'default', label: 'Default', title: 'Default' });
  } else if (def.Next) {
    out.push({ to: def.Next, kind: 'next', label: '', title: '' });
  }
  (def.Catch || []).forEach((c) => {
    if (c && c.Next) {
      const errors = (c.ErrorEquals || []).join(', ');
      out.push({ to: c.Next, kind: 'catch', label: 'Catch', title: `Catch ${errors}` });
    }
  });
  return out;
}

/** Whether a state ends its scope when it completes normally. */
export function isTerminal(state) {
  return state.def.End === true || state.type === 'Succeed' || state.type === 'Fail';
}

/** A one-line description of a Choice rule (for tooltips). */
export function describeRule(rule) {
  if (!rule || typeof rule !== 'object') return '';
  if (rule.Condition) return String(rule.Condition);
  if (rule.And) return rule.And.map(describeRule).join(' and ');
  if (rule.Or) return rule.Or.map(describeRule).join(' or ');
  if (rule.Not) return `not (${describeRule(rule.Not)})`;
  const op = Object.keys(rule).find((k) => !['Variable', 'Next', 'Comment', 'Assign', 'Output'].includes(k));
  if (!op) return '';
  return `${rule.Variable || ''} ${op} ${JSON.stringify(rule[op])}`;
}
