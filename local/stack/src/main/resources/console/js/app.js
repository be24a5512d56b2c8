// The console's router: #/executions, #/execution/<arn>, #/queues, #/products.

import { h, replace } from './dom.js';
import { executionsView } from './executions.js';
import { executionView } from './execution.js';
import { queuesView } from './queues.js';
import { productsView } from './products.js';

const main = document.getElementById('view');
const describeCache = new Map(); // executionArn → DescribeExecution (terminal ones never change)
let dispose = () => {};

/**
 * Goes to a hash. With replace, the history entry is replaced (replaceState fires no
 * hashchange); silent then keeps the current view (used by filters that update the URL only).
 */
function navigate(hash, { replace: replaceEntry = false, silent = false } = {}) {
  if (replaceEntry) {
    window.history.replaceState(null, '', hash);
    if (!silent) route();
  } else {
    window.location.hash = hash;
  }
}

function route() {
  const hash = window.location.hash || '#/executions';
  dispose();
  const [path, query = ''] = hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  for (const link of document.querySelectorAll('nav.main a')) {
    link.classList.toggle('active', path.startsWith(link.dataset.route));
  }
  if (path.startsWith('/execution/')) {
    dispose = executionView(main, decodeURIComponent(path.slice('/execution/'.length)), params, navigate);
    document.title = 'Execution · Local Step Functions console';
  } else if (path === '/queues') {
    dispose = queuesView(main);
    document.title = 'Queues · Local Step Functions console';
  } else if (path === '/products') {
    dispose = productsView(main, params);
    document.title = 'Products · Local Step Functions console';
  } else if (path === '/executions' || path === '/' || path === '') {
    dispose = executionsView(main, params, navigate, describeCache);
    document.title = 'Executions · Local Step Functions console';
  } else {
    dispose = () => {};
    replace(main, h('section', { class: 'panel' }, h('h1', null, 'Not found'),
      h('p', null, 'No page at ', h('code', null, hash), '. ', h('a', { href: '#/executions' }, 'Executions'))));
  }
}

window.addEventListener('hashchange', route);
route();
