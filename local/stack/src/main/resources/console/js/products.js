// The Products view: the STAC catalog the jobs write (catalog.json → collections → items), each
// item with its quicklook thumbnail, footprint on a latitude/longitude grid, bands, asset links
// and the execution that produced it. #/products?collection=<id>&execution=<arn>

import { consoleApi } from './api.js';
import { h, replace, s } from './dom.js';
import { formatTime } from './format.js';
import { facts, notice } from './widgets.js';

const COLLECTIONS = [
  ['hsi-products', 'Products'],
  ['hsi-scenes', 'Activated scenes'],
  ['', 'All'],
];

/** Renders the view; returns a dispose function. */
export function productsView(root, params) {
  const collection = params.has('collection') ? params.get('collection') : 'hsi-products';
  const execution = params.get('execution') || '';
  let disposed = false;
  const list = h('div', { class: 'product-list', id: 'product-list' }, notice('info', 'Loading the catalog…'));

  const link = (c, e) => {
    const q = new URLSearchParams();
    q.set('collection', c);
    if (e) q.set('execution', e);
    return `#/products?${q}`;
  };
  replace(root,
    h('section', { class: 'panel' },
      h('div', { class: 'toolbar' },
        h('h1', null, 'Products'),
        h('nav', { class: 'tabs', 'aria-label': 'Collections' },
          COLLECTIONS.map(([id, label]) => h('a', {
            href: link(id, execution), class: id === collection ? 'active' : null, dataset: { collection: id },
          }, label)))),
      execution
        ? h('p', { class: 'muted', id: 'execution-filter' }, 'Made by execution ',
          h('a', { href: `#/execution/${encodeURIComponent(execution)}` }, execution.slice(execution.lastIndexOf(':') + 1)),
          ' · ', h('a', { href: link(collection, ''), id: 'clear-execution' }, 'show all'))
        : h('p', { class: 'muted' }, 'The static STAC catalog in the data bucket, read from ',
          h('code', null, 'catalog.json'), ' the way a STAC reader walks it.')),
    list);

  (async () => {
    const q = new URLSearchParams();
    if (collection) q.set('collection', collection);
    if (execution) q.set('executionArn', execution);
    try {
      const result = await consoleApi(`catalog/items?${q}`);
      if (disposed) return;
      renderItems(result);
    } catch (err) {
      if (!disposed) replace(list, notice('error', `Could not read the catalog: ${err.message}`));
    }
  })();

  function renderItems(result) {
    const items = result.items || [];
    const parts = [];
    for (const p of result.problems || []) parts.push(notice('error', p));
    if (!result.catalog) {
      parts.push(notice('info', `No catalog yet: s3://${result.bucket}/catalog.json is written by the first activator run.`));
    } else if (items.length === 0) {
      parts.push(notice('info', execution ? 'This execution published no catalog item.' : 'No items in this collection yet.'));
    }
    parts.push(items.map(card));
    replace(list, parts);
  }

  return () => { disposed = true; };
}

function card(item) {
  const props = item.properties || {};
  const urls = (item.console && item.console.assets) || {};
  const assets = item.assets || {};
  const thumbKey = Object.keys(assets).find((k) => (assets[k].roles || []).includes('thumbnail'))
    || Object.keys(assets).find((k) => (assets[k].roles || []).includes('overview') && /png|jpeg/.test(assets[k].type || ''));
  const thumb = thumbKey && urls[thumbKey]
    ? h('img', { class: 'thumb', src: urls[thumbKey], alt: `Quicklook of ${item.id}`, loading: 'lazy' })
    : h('div', { class: 'thumb placeholder' }, 'no quicklook');
  const arn = props['hsi:execution_arn'];
  const derived = item.console && item.console.links && item.console.links.derived_from;
  return h('article', { class: 'product-card panel', dataset: { itemId: item.id } },
    h('div', { class: 'product-media' }, thumb, footprint(item)),
    h('div', { class: 'product-body' },
      h('h2', { class: 'item-id' }, item.id),
      props.title ? h('p', { class: 'muted' }, props.title) : null,
      facts([
        ['Collection', item.collection || (item.console && item.console.collection)],
        ['Acquired', h('span', { class: 'datetime' }, formatTime(props.datetime),
          props['hsi:datetime_source'] ? h('span', { class: 'muted' }, ` (${props['hsi:datetime_source']})`) : null)],
        ['CRS', crsOf(props)],
        ['Size', Array.isArray(props['proj:shape']) ? `${props['proj:shape'][1]} × ${props['proj:shape'][0]} px` : undefined],
        ['Bands', bandsOf(item)],
        ['Produced by', arn
          ? h('a', { class: 'execution-link', href: `#/execution/${encodeURIComponent(arn)}` }, arn.slice(arn.lastIndexOf(':') + 1))
          : 'not recorded'],
        ['Derived from', derived ? h('code', null, derived) : undefined],
      ]),
      h('h3', null, 'Assets'),
      h('ul', { class: 'assets' }, Object.entries(assets).map(([key, a]) => h('li', null,
        urls[key] ? h('a', { href: urls[key], class: 'asset-link', dataset: { asset: key } }, key) : h('code', null, key),
        ' ', h('span', { class: 'muted' }, [a.title, a.type, a['file:size'] !== undefined ? bytes(a['file:size']) : null].filter(Boolean).join(' · ')),
        urls[key] ? null : h('span', { class: 'muted' }, ` ${a.href}`))))));
}

/** EPSG code; else the projection method named in proj:wkt2 (the full WKT2 as tooltip). */
function crsOf(props) {
  if (props['proj:epsg']) return `EPSG:${props['proj:epsg']}`;
  if (props['hsi:georeferenced'] === false) return 'not georeferenced';
  const wkt2 = props['proj:wkt2'];
  if (wkt2) {
    const method = /METHOD\["([^"]+)"/.exec(wkt2);
    return h('span', { class: 'crs-wkt2', title: wkt2 }, `custom: ${method ? method[1] : 'WKT2'}`);
  }
  return props['hsi:wkt1'] ? 'custom (WKT1)' : '—';
}

function bandsOf(item) {
  for (const a of Object.values(item.assets || {})) {
    const eo = a['eo:bands'];
    const raster = a['raster:bands'];
    if (Array.isArray(eo) && eo.length) {
      const w = eo.map((b) => b.center_wavelength).filter((x) => typeof x === 'number');
      const range = w.length ? ` · ${Math.min(...w)}–${Math.max(...w)} µm` : '';
      const names = eo.length <= 6 ? ` (${eo.map((b) => b.name).join(', ')})` : '';
      return h('span', { class: 'bands' }, `${eo.length} band${eo.length === 1 ? '' : 's'}${range}${names}`);
    }
    if (Array.isArray(raster) && raster.length) {
      const st = raster[0].statistics;
      const stats = st ? ` · min ${num(st.minimum)}, max ${num(st.maximum)}, mean ${num(st.mean)}` : '';
      return h('span', { class: 'bands' }, `${raster.length} × ${raster[0].data_type}${stats}`);
    }
  }
  return undefined;
}

const num = (v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : '—');

function bytes(n) {
  if (typeof n !== 'number') return null;
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** The footprint polygon on a graticule, equirectangular with the aspect of its mid-latitude. */
function footprint(item) {
  const geom = item.geometry;
  if (!geom || geom.type !== 'Polygon' || !Array.isArray(item.bbox)) {
    return h('div', { class: 'footprint placeholder', dataset: { georeferenced: 'false' } }, 'not georeferenced: no footprint');
  }
  const [w, south, e, n] = item.bbox;
  const span = Math.max(e - w, n - south, 1e-6);
  const step = niceStep(span / 2);
  const x0 = Math.floor((w - span * 0.25) / step) * step;
  const x1 = Math.ceil((e + span * 0.25) / step) * step;
  const y0 = Math.floor((south - span * 0.25) / step) * step;
  const y1 = Math.ceil((n + span * 0.25) / step) * step;
  const k = Math.cos(((south + n) / 2) * Math.PI / 180) || 1;
  const W = 220;
  const H = Math.max(80, Math.min(260, Math.round(W * (y1 - y0) / ((x1 - x0) * k))));
  const px = (lon) => ((lon - x0) / (x1 - x0)) * W;
  const py = (lat) => H - ((lat - y0) / (y1 - y0)) * H;
  const lines = [];
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let lon = x0; lon <= x1 + step / 2; lon += step) {
    lines.push(s('line', { x1: px(lon), y1: 0, x2: px(lon), y2: H, class: 'grid' }),
      s('text', { x: px(lon) + 2, y: H - 3, class: 'grid-label' }, `${lon.toFixed(decimals)}°`));
  }
  for (let lat = y0; lat <= y1 + step / 2; lat += step) {
    lines.push(s('line', { x1: 0, y1: py(lat), x2: W, y2: py(lat), class: 'grid' }));
    // the bottom row carries the longitude labels
    if (py(lat) < H - 14) lines.push(s('text', { x: 2, y: py(lat) - 2, class: 'grid-label' }, `${lat.toFixed(decimals)}°`));
  }
  const ring = geom.coordinates[0] || [];
  const points = ring.map(([lon, lat]) => `${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join(' ');
  return s('svg', {
    class: 'footprint', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `Footprint of ${item.id}: ${w.toFixed(4)}° to ${e.toFixed(4)}° E, ${south.toFixed(4)}° to ${n.toFixed(4)}° N`,
  }, lines, s('polygon', { points, class: 'footprint-shape' }));
}

function niceStep(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
