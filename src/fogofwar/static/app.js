// fogofwar dashboard: filters in the URL, map + timeline + claims table, and the article,
// incident and control views. No framework, no build step; data only ever becomes text nodes.

import { getJSON, isAbort, query } from './js/api.js';
import { articleView } from './js/article.js';
import {
  clear, el, fmtInt, message, sideSwatch, sortSides,
} from './js/dom.js';
import { ClaimMap } from './js/map.js';
import {
  FILTER_KEYS, parseRoute, readState, stateSearch, withoutRange,
} from './js/state.js';
import { ClaimsTable } from './js/table.js';
import { Timeline } from './js/timeline.js';
import { controlView, incidentsView, incidentView } from './js/views.js';

const $ = (id) => document.getElementById(id);
const MAX_POINTS = 2000;

let state = readState();
let summary = null;
let generation = 0;
let controller = null;
let dashboardScroll = 0;
let lastView = null;
let lastHref = null; // the address render() last showed
const loaded = { map: null, timeline: null, table: null };
let resolveFirst;
const firstLoad = new Promise((resolve) => {
  resolveFirst = resolve;
});

const api = {
  markers: [],
  map: null,
  state: () => JSON.parse(JSON.stringify(state)),
  ready: firstLoad,
  generation: 0,
  refresh: () => render({ force: true }),
  navigate,
};
window.fogofwar = api;

// ---------------------------------------------------------------------------------------------
// Busy / ready: body[data-ready] is "0" while anything loads and "1" once the view is complete.

function busy() {
  document.body.dataset.ready = '0';
  document.body.setAttribute('aria-busy', 'true');
}

function done(gen) {
  if (gen !== generation) return;
  document.body.dataset.ready = '1';
  document.body.removeAttribute('aria-busy');
  api.generation = gen;
  resolveFirst(true);
}

function banner(text, kind = 'error') {
  const node = $('banner');
  node.textContent = text || '';
  node.className = `banner ${kind}`;
  node.hidden = !text;
}

// ---------------------------------------------------------------------------------------------
// Navigation: views in the hash, filters in the query string; both go through history.

function currentUrl(search, hash) {
  return `${location.pathname}${search}${hash && hash !== '#' ? hash : ''}`;
}

/** Go to a view (a hash such as "#article/ID/CLAIM"; "#" is the dashboard). */
function navigate(hash, { replace = false } = {}) {
  busy();
  const url = currentUrl(location.search, hash);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

/** Change the dashboard state (filters, sort, paging) and reload what depends on it. */
function update(patch, { resetOffset = true } = {}) {
  busy();
  state = { ...state, ...patch, filters: { ...state.filters, ...(patch.filters || {}) } };
  for (const key of Object.keys(state.filters)) if (!state.filters[key]) delete state.filters[key];
  if (resetOffset && !('offset' in patch)) state.offset = 0;
  history.pushState(null, '', currentUrl(stateSearch(state), ''));
  syncForm();
  render();
}

function replaceHash(hash) {
  history.replaceState(null, '', currentUrl(location.search, hash));
}

document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const link = ev.target.closest('a[href^="#"], a[href^="?"]');
  if (!link || link.target) return;
  ev.preventDefault();
  const href = link.getAttribute('href');
  if (href.startsWith('?')) {
    // a dashboard with other filters (e.g. "all claims about this place")
    busy();
    history.pushState(null, '', `${location.pathname}${href}`);
    state = readState();
    syncForm();
    render();
  } else {
    navigate(href);
  }
});
window.addEventListener('popstate', () => {
  busy();
  state = readState();
  syncForm();
  render();
});
window.addEventListener('hashchange', () => {
  // typed in the address bar (in-page links go through navigate())
  if (location.href !== lastHref) render();
});

// ---------------------------------------------------------------------------------------------
// Rendering

const VIEWS = {
  article: articleView,
  incident: incidentView,
  incidents: incidentsView,
  control: controlView,
};

async function render({ force = false } = {}) {
  const gen = ++generation;
  busy();
  lastHref = location.href;
  if (controller) controller.abort();
  controller = new AbortController();
  const { signal } = controller;
  const route = parseRoute();
  document.body.dataset.view = route.view;
  for (const tab of document.querySelectorAll('[data-tab]')) {
    const active = tab.dataset.tab === (route.view === 'incidents' || route.view === 'incident' ? 'incidents' : 'dashboard');
    tab.classList.toggle('active', active);
    if (active) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  if (lastView === 'dashboard' && route.view !== 'dashboard') dashboardScroll = window.scrollY;
  const dashboard = $('dashboard');
  const detail = $('detail');
  banner('');
  try {
    if (route.view === 'dashboard') {
      detail.hidden = true;
      clear(detail);
      dashboard.hidden = false;
      document.title = 'fogofwar — claims dashboard';
      if (lastView !== 'dashboard') requestAnimationFrame(() => window.scrollTo(0, dashboardScroll));
      lastView = 'dashboard';
      await loadDashboard(signal, force);
    } else {
      dashboard.hidden = true;
      detail.hidden = false;
      if (lastView !== route.view) window.scrollTo(0, 0);
      lastView = route.view;
      const view = VIEWS[route.view];
      clear(detail).append(el('p', { class: 'panel-msg info' }, 'Loading…'));
      delete detail.dataset.articleId;
      delete detail.dataset.incidentId;
      if (!view) {
        clear(detail).append(el('div', { class: 'view-head' }, el('a', { href: '#', class: 'back' }, '← Claims'),
          el('p', { class: 'panel-msg error' }, 'There is no such page here.')));
      } else {
        await view(detail, route, {
          signal,
          summary,
          replaceHash,
          setTitle: (title) => {
            document.title = `${title} — fogofwar`;
          },
        });
      }
    }
  } catch (err) {
    if (isAbort(err)) return;
    if (route.view === 'dashboard') {
      banner(err.message);
    } else {
      const what = { article: 'article', incident: 'incident', control: 'place', incidents: 'incidents' }[route.view];
      const text = err.status === 404 ? `No such ${what || 'page'}: ${err.message.replace(/^404: /, '')}` : `Could not load the ${what}: ${err.message}`;
      clear(detail).append(el('div', { class: 'view-head' }, el('a', { href: '#', class: 'back' }, '← Claims'),
        el('p', { class: 'panel-msg error', role: 'alert' }, text)));
    }
  } finally {
    done(gen);
  }
}

// ---------------------------------------------------------------------------------------------
// Header: corpus summary and facets (once)

async function loadSummary() {
  try {
    summary = await getJSON('/api/summary');
  } catch (err) {
    clear($('summary')).append(el('div', { class: 'error' }, `summary unavailable: ${err.message}`));
    return;
  }
  const inc = summary.incidents || {};
  const item = (label, ...value) => el('div', { class: 'stat' }, el('dt', {}, label), el('dd', {}, ...value));
  clear($('summary')).append(
    item('articles', fmtInt(summary.articles),
      summary.wire_copies ? el('span', { class: 'muted', title: 'wire copies: reprints of an earlier article, never counted as corroboration' },
        ` (${fmtInt(summary.wire_copies)} wire ${summary.wire_copies === 1 ? 'copy' : 'copies'})`) : null),
    item('claims', fmtInt(summary.claims)),
    item('incidents',
      el('a', { href: '#incidents/contested', class: 'st-text contested', title: 'contested incidents' }, `${fmtInt(inc.contested || 0)} contested`), ' · ',
      el('a', { href: '#incidents/corroborated', class: 'st-text corroborated', title: 'corroborated incidents' }, `${fmtInt(inc.corroborated || 0)} corroborated`), ' · ',
      el('a', { href: '#incidents/single-source', class: 'st-text', title: 'single-source incidents' }, `${fmtInt(inc['single-source'] || 0)} single`)),
    item('dates', summary.first ? `${summary.first} – ${summary.last}` : '—'));
  if (!summary.claims) {
    const notice = $('notice');
    notice.hidden = false;
    notice.textContent = (summary.articles
      ? 'The store has articles but no claims yet.'
      : 'The store is empty. Add articles with "fogofwar ingest FILES --db STORE" (e.g. examples/corpus.jsonl), then reload this page.');
  }
}

function fillSelect(select, values, labels = {}) {
  const current = select.value;
  const keep = select.options[0];
  clear(select).append(keep);
  for (const value of values) select.append(el('option', { value }, labels[value] || value));
  select.value = current;
}

async function loadFacets() {
  let facets;
  try {
    facets = await getJSON('/api/facets');
  } catch {
    facets = {
      sides: ['UA', 'RU', 'THIRD', 'UNKNOWN'], events: [], statuses: ['corroborated', 'contested', 'single-source'], sources: [],
    };
  }
  api.sides = sortSides(facets.sides || []);
  fillSelect($('f-side'), api.sides);
  fillSelect($('f-event'), facets.events || []);
  fillSelect($('f-status'), facets.statuses || []);
  const list = clear($('source-list'));
  for (const s of facets.sources || []) {
    list.append(el('option', { value: s.name }, `${s.side} · ${fmtInt(s.claims)} claims`));
  }
  for (const input of [$('f-since'), $('f-until')]) {
    if (facets.first) input.min = facets.first;
    if (facets.last) input.max = facets.last;
  }
  syncForm();
}

// ---------------------------------------------------------------------------------------------
// Filter bar

function syncForm() {
  for (const key of FILTER_KEYS) {
    const input = $(`f-${key}`);
    if (!input) continue;
    const value = state.filters[key] || '';
    if (input.tagName === 'SELECT' && value && ![...input.options].some((o) => o.value === value)) {
      input.append(el('option', { value }, value));
    }
    if (input.value !== value && document.activeElement !== input) input.value = value;
  }
  $('timeline-by').value = state.by;
  const near = $('near-note');
  near.hidden = !state.filters.near;
  if (state.filters.near) {
    clear(near).append(`Area filter: within ${state.filters.near.split(',')[2] || '?'} km of ${state.filters.near.split(',').slice(0, 2).join(', ')} `,
      el('button', { type: 'button', class: 'link', onclick: () => update({ filters: { near: '' } }) }, 'remove'));
  }
  const active = Object.keys(state.filters).length;
  $('clear-filters').disabled = !active;
  $('clear-range').disabled = !state.filters.since && !state.filters.until;
  const q = query({ ...state.filters, sort: state.sort });
  $('download-csv').href = `/api/claims.csv${q ? `?${q}` : ''}`;
  $('download-json').href = `/api/claims.json${q ? `?${q}` : ''}`;
  $('download-csv').title = active ? 'every claim of this filter as CSV' : 'every claim as CSV';
  $('download-json').title = active ? 'every claim of this filter as JSON' : 'every claim as JSON';
}

function setupForm() {
  const form = $('filters');
  form.addEventListener('submit', (ev) => ev.preventDefault());
  for (const key of ['side', 'event', 'status']) {
    $(`f-${key}`).addEventListener('change', (ev) => update({ filters: { [key]: ev.target.value } }));
  }
  for (const key of ['since', 'until']) {
    $(`f-${key}`).addEventListener('change', (ev) => {
      const { value } = ev.target;
      if (!value || /^\d{4}-\d{2}-\d{2}$/.test(value)) update({ filters: { [key]: value } });
    });
  }
  for (const key of ['source', 'place']) {
    const input = $(`f-${key}`);
    let timer = null;
    const apply = () => {
      clearTimeout(timer);
      const value = input.value.trim();
      if (value !== (state.filters[key] || '')) update({ filters: { [key]: value } });
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(apply, 400);
    });
    input.addEventListener('change', apply);
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') apply();
    });
  }
  $('clear-range').addEventListener('click', () => update({ filters: { since: '', until: '' } }));
  $('clear-filters').addEventListener('click', () => {
    const filters = {};
    for (const key of FILTER_KEYS) filters[key] = '';
    update({ filters });
  });
  $('timeline-by').addEventListener('change', (ev) => update({ by: ev.target.value }, { resetOffset: false }));
}

// ---------------------------------------------------------------------------------------------
// Dashboard: map, timeline and table, each reloaded only when its inputs changed

let claimMap = null;
let timeline = null;
let table = null;

function setupDashboard() {
  claimMap = new ClaimMap($('map'), {
    filters: () => state.filters,
    filterTo: (filters) => update({ filters }),
  });
  api.map = claimMap.map;
  timeline = new Timeline($('timeline'), $('timeline-legend'), (since, until) => update({ filters: { since, until } }));
  table = new ClaimsTable($('claims-table'), [$('pager-top'), $('pager-bottom')], $('table-count'), {
    onSort: (sort) => update({ sort }),
    onPage: (offset) => {
      update({ offset }, { resetOffset: false });
      $('claims-table').scrollIntoView({ block: 'start' });
    },
    onLimit: (limit) => update({ limit }),
    navigate,
  });
  renderMapLegend(api.sides && api.sides.length ? api.sides : undefined);
}

function renderMapLegend(sides = ['UA', 'RU', 'THIRD', 'UNKNOWN']) {
  const legend = clear($('map-legend'));
  for (const side of sides) {
    legend.append(el('span', { class: 'legend-item' }, sideSwatch(side), side));
  }
  legend.append(
    el('span', { class: 'legend-item', title: 'thick solid outline' }, el('span', { class: 'ring corroborated' }), 'corroborated'),
    el('span', { class: 'legend-item', title: 'dashed outline' }, el('span', { class: 'ring contested' }), 'contested'),
    el('span', { class: 'legend-item', title: 'thin outline, pale fill' }, el('span', { class: 'ring single' }), 'single source'));
}

async function loadMap(signal, filters) {
  const data = await getJSON('/api/map', { ...filters, max_points: MAX_POINTS }, { signal });
  const refit = loaded.map === null || JSON.stringify([filters.place, filters.near]) !== loaded.mapPlace;
  loaded.mapPlace = JSON.stringify([filters.place, filters.near]);
  claimMap.setPoints(data.points, { fit: refit });
  api.markers = claimMap.markers;
  const placed = data.points.reduce((n, p) => n + p.claims, 0);
  $('map-count').textContent = `${fmtInt(placed)} of ${fmtInt(data.total)} claims placed`;
  const places = clear($('place-list'));
  for (const name of [...new Set(data.points.map((p) => p.place))].sort()) places.append(el('option', { value: name }));
  if (data.truncated) {
    message($('map-msg'), `Showing the ${fmtInt(data.points.length)} largest of ${fmtInt(data.points_total)} groups; narrow the filter to see all.`, 'info');
  } else if (!data.points.length) {
    const none = Object.keys(filters).length ? 'No claims match these filters.' : 'No claims in the store yet.';
    message($('map-msg'), data.total ? 'None of the matching claims has a known location.' : none, 'empty');
  } else {
    message($('map-msg'), '');
  }
}

async function loadTimeline(signal, filters) {
  const data = await getJSON('/api/timeline', { ...withoutRange(filters), by: state.by }, { signal });
  timeline.setData(data);
  message($('timeline-msg'), '');
}

async function loadTable(signal, filters) {
  const data = await getJSON('/api/claims', {
    ...filters, sort: state.sort, limit: state.limit, offset: state.offset,
  }, { signal });
  if (!data.claims.length && data.total && state.offset) {
    // past the end (e.g. after a filter change in another tab): back to the first page
    state.offset = 0;
    history.replaceState(null, '', currentUrl(stateSearch(state), location.hash));
    return loadTable(signal, filters);
  }
  table.render({ ...data, offset: data.offset ?? state.offset }, state);
  if (!data.total) {
    const any = Object.keys(filters).length;
    message($('table-msg'), any ? 'No claims match these filters.' : 'No claims in the store yet.', 'empty');
  } else {
    message($('table-msg'), '');
  }
  return data;
}

async function loadDashboard(signal, force) {
  if (!claimMap) setupDashboard();
  claimMap.invalidate();
  const filters = { ...state.filters };
  timeline.setRange(filters.since, filters.until);
  const keys = {
    map: JSON.stringify(filters),
    timeline: JSON.stringify([withoutRange(filters), state.by]),
    table: JSON.stringify([filters, state.sort, state.limit, state.offset]),
  };
  const jobs = [];
  const job = (name, loader, msgNode) => {
    if (!force && loaded[name] === keys[name]) return;
    jobs.push(loader(signal, filters).then(() => {
      loaded[name] = keys[name];
    }).catch((err) => {
      if (isAbort(err)) throw err;
      loaded[name] = null;
      message(msgNode, `Could not load: ${err.message}`, 'error');
      throw err;
    }));
  };
  job('map', loadMap, $('map-msg'));
  job('timeline', loadTimeline, $('timeline-msg'));
  job('table', loadTable, $('table-msg'));
  const results = await Promise.allSettled(jobs);
  if (signal.aborted) throw new DOMException('superseded', 'AbortError');
  const failed = results.find((r) => r.status === 'rejected' && !isAbort(r.reason));
  if (failed) banner(failed.reason.message);
}

// ---------------------------------------------------------------------------------------------

setupForm();
syncForm();
Promise.all([loadSummary(), loadFacets()]).finally(() => render());
