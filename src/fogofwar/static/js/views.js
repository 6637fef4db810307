// Incident, incident list and place-control views.

import { getJSON } from './api.js';
import {
  articleHref, clear, el, eventLabel, fmtInt, human, placeLink, sideChip, sideColour, sideSwatch,
  statusBadge, truncate,
} from './dom.js';

function dateRange(a, b) {
  if (!a && !b) return 'undated';
  return a === b || !b ? a : `${a || '…'} – ${b}`;
}

function claimSummary(c) {
  return el('li', { class: 'claim-item', dataset: { claimId: c.id } },
    el('div', { class: 'claim-item-head' },
      el('strong', {}, c.source || 'unnamed source'), ' ', sideChip(c.source_side, `claimant: ${c.source_side}`),
      ' ', eventLabel(c), ' by ', sideChip(c.actor_side, `acting side: ${c.actor_side}`),
      ' ', el('span', { class: 'muted' }, c.date || 'undated')),
    el('div', { class: 'muted small' }, `interest: ${human(c.interest)}`,
      c.outlet ? ` · ${c.outlet}` : '', c.wire_copy_of ? ' · wire copy (not counted)' : ''),
    el('blockquote', { class: 'evidence-text' }, c.evidence || ''),
    el('a', { href: articleHref(c.article_id, c.id), class: 'open-article' }, 'open in article'));
}

export async function incidentView(root, route, ctx) {
  const inc = await getJSON(`/api/incidents/${encodeURIComponent(route.id)}`, null, { signal: ctx.signal });
  const supporting = inc.supporting || [];
  const opposing = inc.opposing || [];
  const column = (title, hint, claims, cls, total) => el('section', { class: `incident-col ${cls}` },
    el('h3', {}, `${title} (${fmtInt(Math.max(total || 0, claims.length))})`),
    el('p', { class: 'muted small' }, hint,
      total > claims.length ? ` · the first ${fmtInt(claims.length)} shown, oldest first` : ''),
    claims.length ? el('ul', { class: 'claim-list' }, claims.map(claimSummary))
      : el('p', { class: 'panel-msg empty' }, 'None.'));
  clear(root).append(
    el('div', { class: 'view-head' },
      el('a', { href: '#incidents', class: 'back' }, '← Incidents'),
      el('h2', {}, `${human(inc.family)} · `, sideChip(inc.side, `side: ${inc.side}`), ' · ',
        placeLink(inc.place)),
      el('p', { class: 'meta' }, dateRange(inc.date_start, inc.date_end), ' · ',
        `${fmtInt(inc.claims_count)} claims`, ' · ', statusBadge(inc.status)),
      el('p', { class: 'reason incident-reason' }, inc.reason || 'no reason recorded')),
    el('div', { class: 'incident-cols' },
      column('For', `claims that support the incident (${inc.side} ${human(inc.family)} at ${inc.place || 'no place'})`,
        supporting, 'supporting', inc.supporting_total),
      column('Against', 'claims that deny it or say the opposite', opposing, 'opposing',
        inc.opposing_total)));
  root.dataset.incidentId = inc.id;
  ctx.setTitle(`incident ${inc.place || inc.id}`);
}

const INCIDENT_STATUSES = [['contested', 'Contested'], ['corroborated', 'Corroborated'], ['single-source', 'Single source'], ['all', 'All']];
const INCIDENT_PAGE = 50;

export async function incidentsView(root, route, ctx) {
  const status = INCIDENT_STATUSES.some(([s]) => s === route.status) ? route.status : 'contested';
  const offset = route.offset || 0;
  const data = await getJSON('/api/incidents', {
    status: status === 'all' ? null : status, limit: INCIDENT_PAGE, offset,
  }, { signal: ctx.signal });
  const counts = ctx.summary && ctx.summary.incidents ? ctx.summary.incidents : {};
  const allCount = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = el('nav', { class: 'segmented', 'aria-label': 'incident status' },
    INCIDENT_STATUSES.map(([s, label]) => el('a', {
      href: `#incidents/${s}`, class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null,
    }, label, el('span', { class: 'count' }, ` ${fmtInt(s === 'all' ? allCount : counts[s] || 0)}`))));
  const rows = data.incidents.map((inc) => el('tr', { dataset: { incidentId: inc.id } },
    el('td', {}, statusBadge(inc.status, inc.id, inc.reason)),
    el('td', {}, el('a', { href: `#incident/${encodeURIComponent(inc.id)}` }, human(inc.family))),
    el('td', {}, sideChip(inc.side)),
    el('td', {}, placeLink(inc.place)),
    el('td', { class: 'date' }, dateRange(inc.date_start, inc.date_end)),
    el('td', { class: 'num' }, fmtInt(inc.claims_count)),
    el('td', { class: 'evidence', title: inc.reason || '' }, truncate(inc.reason || '', 160))));
  const total = typeof data.total === 'number' ? data.total : null;
  const shown = `${fmtInt(offset + (rows.length ? 1 : 0))}–${fmtInt(offset + rows.length)}${total != null ? ` of ${fmtInt(total)}` : ''}`;
  const more = total != null ? offset + rows.length < total : rows.length === INCIDENT_PAGE;
  const pager = el('div', { class: 'pager' },
    el('a', { class: `button secondary${offset ? '' : ' disabled'}`, href: offset ? `#incidents/${status}/${Math.max(0, offset - INCIDENT_PAGE)}` : null }, '‹ Prev'),
    el('span', { class: 'page-info' }, rows.length ? shown : ''),
    el('a', { class: `button secondary${more ? '' : ' disabled'}`, href: more ? `#incidents/${status}/${offset + INCIDENT_PAGE}` : null }, 'Next ›'));
  clear(root).append(
    el('div', { class: 'view-head' },
      el('h2', {}, 'Incidents'),
      el('p', { class: 'muted' }, 'Claims about the same event (place, side, family, dates) grouped across sources: contested when sides disagree, corroborated when independent sources of different sides agree.'),
      tabs),
    el('section', { class: 'panel' },
      rows.length
        ? el('div', { class: 'table-wrap' }, el('table', { class: 'claims incidents', id: 'incidents-table' },
          el('thead', {}, el('tr', {}, ['Status', 'Family', 'Side', 'Place', 'Dates', 'Claims', 'Reason'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rows)))
        : el('p', { class: 'panel-msg empty' }, `No ${status === 'all' ? '' : `${status} `}incidents.`),
      pager));
  ctx.setTitle('incidents');
}

/** Dates under the strip: its ends and the days the estimated holder changes. */
function stripAxis(days, changes) {
  const axis = el('div', { class: 'strip-axis muted small' });
  const index = new Map(days.map((d, i) => [d.date, i]));
  const at = (date, cls) => {
    const i = index.get(date);
    if (i === undefined) return null;
    const label = el('span', { class: cls }, date);
    label.style.left = `${((i + 0.5) / days.length) * 100}%`;
    return label;
  };
  axis.append(el('span', { class: 'end start' }, days[0].date), el('span', { class: 'end stop' }, days[days.length - 1].date));
  for (const c of changes) {
    const label = at(c.date, 'change');
    if (label && c.date !== days[0].date && c.date !== days[days.length - 1].date) {
      label.title = `holder: ${c.holder || 'unknown'}`;
      axis.append(label);
    }
  }
  return axis;
}

export async function controlView(root, route, ctx) {
  const data = await getJSON(`/api/places/${encodeURIComponent(route.place)}/control`, null, { signal: ctx.signal });
  const days = data.days || [];
  const changes = data.changes || [];
  const claims = data.claims || [];

  const strip = el('div', { class: 'control-strip', role: 'img', 'aria-label': `daily control estimate of ${data.place}` });
  for (const d of days) {
    const cell = el('div', { class: 'control-day', title: `${d.date}: ${d.holder || 'unknown'} (confidence ${Number(d.confidence || 0).toFixed(2)})` });
    cell.style.backgroundColor = d.holder ? sideColour(d.holder) : '#d0d0d0';
    cell.style.opacity = String(0.15 + 0.85 * Math.max(0, Math.min(1, Number(d.confidence) || 0)));
    strip.append(cell);
  }
  const holders = [...new Set(days.map((d) => d.holder).filter(Boolean))];
  const weights = (w) => Object.entries(w || {}).map(([s, v]) => `${s} ${Number(v).toFixed(2)}`).join(', ');

  const changeRows = changes.map((c) => el('tr', {},
    el('td', { class: 'date' }, c.date), el('td', {}, c.holder ? sideChip(c.holder) : 'unknown'),
    el('td', { class: 'num' }, Number(c.confidence || 0).toFixed(2)), el('td', { class: 'muted' }, weights(c.weights))));
  const claimRows = claims.map((c) => el('tr', { dataset: { claimId: c.claim_id } },
    el('td', { class: 'date' }, c.date || 'undated'),
    el('td', {}, c.source || 'unnamed', ' ', sideChip(c.source_side)),
    el('td', {}, eventLabel(c), ' by ', sideChip(c.actor_side)),
    el('td', {}, c.holder ? sideChip(c.holder, `read as: ${c.holder} holds it`) : '—'),
    el('td', { class: 'num' }, Number(c.weight || 0).toFixed(2)),
    el('td', { class: 'muted small' }, c.why || ''),
    el('td', { class: 'evidence', title: c.evidence || '' }, truncate(c.evidence || '', 160)),
    el('td', {}, el('a', { href: articleHref(c.article_id, c.claim_id), class: 'open-article' }, 'article'))));

  clear(root).append(
    el('div', { class: 'view-head' },
      el('a', { href: '#', class: 'back' }, '← Claims'),
      el('h2', {}, 'Control of ', el('span', { class: 'place-name' }, data.place)),
      el('p', { class: 'meta' }, el('a', { href: `?place=${encodeURIComponent(data.place)}`, class: 'filter-link', dataset: { place: data.place } },
        `All claims about ${data.place}`)),
      el('p', { class: 'muted' }, 'Capture and withdrawal claims read as evidence of who holds the place; the daily estimate weighs them by source interest and corroboration.')),
    days.length
      ? el('section', { class: 'panel' },
        el('h3', {}, 'Daily estimate'),
        strip,
        stripAxis(days, changes),
        el('div', { class: 'legend' }, holders.map((h) => el('span', { class: 'legend-item' }, sideSwatch(h), h)),
          el('span', { class: 'legend-item muted' }, 'paler = less confident')))
      : el('p', { class: 'panel-msg empty' }, `No capture or withdrawal claims about ${data.place}: no control estimate.`),
    changes.length ? el('section', { class: 'panel' }, el('h3', {}, `Changes (${changes.length})`),
      el('table', { class: 'claims compact', id: 'control-changes' },
        el('thead', {}, el('tr', {}, ['Date', 'Holder', 'Confidence', 'Weights'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, changeRows))) : null,
    claims.length ? el('section', { class: 'panel' }, el('h3', {}, `Evidence (${claims.length} claims)`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'claims', id: 'control-claims' },
        el('thead', {}, el('tr', {}, ['Date', 'Source', 'Claim', 'Read as', 'Weight', 'Why', 'Evidence', ''].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, claimRows)))) : null);
  ctx.setTitle(`control of ${data.place}`);
}
