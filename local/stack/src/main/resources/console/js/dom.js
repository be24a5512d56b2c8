// DOM helpers. Every value reaches the page through textContent or setAttribute, never through
// innerHTML, so execution data (inputs, outputs, errors, log lines) always renders as text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

function applyAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (key === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  return node;
}

/** Creates an HTML element: h('a', {href: '#/x', class: 'y'}, 'text', childNode, [more]). */
export function h(tag, attrs, ...children) {
  return append(applyAttrs(document.createElement(tag), attrs), children);
}

/** Creates an SVG element. */
export function s(tag, attrs, ...children) {
  return append(applyAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** Replaces the children of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** Pretty-prints JSON text (or any value) for a <pre>; leaves non-JSON strings as they are. */
export function pretty(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
