// The claims table: server-side sort and paging; a row opens its article at the claim.

import {
  articleHref, clear, el, eventLabel, fmtInt, human, placeLink, sideChip, statusBadge, truncate,
} from './dom.js';
import { PAGE_SIZES } from './state.js';

const COLUMNS = [
  { label: 'Source', sort: 'source' },
  {
    label: 'Sides',
    title: "claimant's side → acting side",
    sorts: [{ key: 'source_side', label: 'Claimant' }, { key: 'actor_side', label: 'Actor' }],
  },
  { label: 'Event', sort: 'event' },
  { label: 'Place', sort: 'place' },
  { label: 'Date', sort: 'date', first: 'desc' },
  { label: 'Interest', sort: 'interest', title: "self-serving, against the claimant's interest, independent…" },
  { label: 'Status', sort: 'status' },
  { label: 'Evidence' },
  { label: '', title: 'open the article' },
];

export class ClaimsTable {
  /**
   * @param {HTMLTableElement} table
   * @param {{onSort: Function, onPage: Function, onLimit: Function, navigate: Function}} hooks
   */
  constructor(table, pagers, count, hooks) {
    this.table = table;
    this.pagers = pagers;
    this.count = count;
    this.hooks = hooks;
    table.tBodies[0].addEventListener('click', (ev) => {
      if (ev.target.closest('a, button')) return;
      const row = ev.target.closest('tr[data-claim-id]');
      if (row) hooks.navigate(articleHref(row.dataset.articleId, row.dataset.claimId));
    });
    table.tBodies[0].addEventListener('keydown', (ev) => {
      const row = ev.target.closest('tr[data-claim-id]');
      if (row && ev.target === row && ev.key === 'Enter') {
        hooks.navigate(articleHref(row.dataset.articleId, row.dataset.claimId));
      }
    });
  }

  renderHead(sort) {
    const key = sort.replace(/^-/, '');
    const desc = sort.startsWith('-');
    const row = el('tr');
    const sortButton = (sortKey, label, title, first) => {
      const active = key === sortKey;
      const next = active ? (desc ? sortKey : `-${sortKey}`) : (first === 'desc' ? `-${sortKey}` : sortKey);
      return el('button', {
        type: 'button', class: 'sort', title: title ? `${title} — sort` : `sort by ${label.toLowerCase()}`,
        dataset: { sort: sortKey },
        onclick: () => this.hooks.onSort(next),
      }, label, el('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (desc ? '▼' : '▲') : ''));
    };
    for (const col of COLUMNS) {
      if (col.sorts) {
        const active = col.sorts.find((s) => s.key === key);
        row.append(el('th', {
          scope: 'col', class: active ? 'sorted' : null, title: col.title,
          'aria-sort': active ? (desc ? 'descending' : 'ascending') : 'none',
        }, col.sorts.map((s, i) => [i ? el('span', { class: 'arrow-sep' }, '→') : null,
          sortButton(s.key, s.label, `${s.label.toLowerCase()} side`)])));
        continue;
      }
      if (!col.sort) {
        row.append(el('th', { scope: 'col', title: col.title || null }, col.label));
        continue;
      }
      const active = key === col.sort;
      row.append(el('th', {
        scope: 'col', class: active ? 'sorted' : null,
        'aria-sort': active ? (desc ? 'descending' : 'ascending') : 'none',
      }, sortButton(col.sort, col.label, col.title, col.first)));
    }
    clear(this.table.tHead).append(row);
  }

  render(data, state) {
    this.renderHead(state.sort);
    const body = clear(this.table.tBodies[0]);
    for (const c of data.claims) body.append(this.row(c));
    const first = data.total ? data.offset + 1 : 0;
    const last = data.offset + data.claims.length;
    this.count.textContent = data.total ? `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(data.total)}` : '0';
    this.table.dataset.total = String(data.total);
    for (const pager of this.pagers) this.renderPager(pager, data, state);
  }

  row(c) {
    const evidence = c.evidence || '';
    return el('tr', {
      dataset: { claimId: c.id, articleId: c.article_id, sourceSide: c.source_side, actorSide: c.actor_side },
      tabindex: '0', title: 'open the article at this claim',
    },
    el('td', { class: 'source' }, el('div', {}, c.source || el('span', { class: 'muted' }, 'unnamed')),
      c.source_kind ? el('div', { class: 'muted small' }, human(c.source_kind)) : null),
    el('td', { class: 'sides' }, sideChip(c.source_side, `claimant: ${c.source_side}`),
      el('span', { class: 'arrow-sep', 'aria-label': 'says about' }, '→'),
      sideChip(c.actor_side, `acting side: ${c.actor_side}`)),
    el('td', { class: 'event-cell' }, eventLabel(c)),
    el('td', { class: 'place' }, placeLink(c.place, c.place_relation)),
    el('td', { class: 'date' }, c.date || el('span', { class: 'muted' }, 'undated')),
    el('td', { class: 'interest' }, human(c.interest)),
    el('td', { class: 'status' }, statusBadge(c.status, c.incident_id, c.status_reason)),
    el('td', { class: 'evidence', title: evidence }, truncate(evidence, 140)),
    el('td', { class: 'open' }, el('a', { href: articleHref(c.article_id, c.id), class: 'open-article' }, 'article')));
  }

  renderPager(pager, data, state) {
    clear(pager);
    if (!data.total) return;
    const prev = el('button', {
      type: 'button', class: 'secondary', disabled: data.offset <= 0,
      onclick: () => this.hooks.onPage(Math.max(0, data.offset - state.limit)),
    }, '‹ Prev');
    const next = el('button', {
      type: 'button', class: 'secondary', disabled: data.offset + data.claims.length >= data.total,
      onclick: () => this.hooks.onPage(data.offset + state.limit),
    }, 'Next ›');
    const size = el('select', { 'aria-label': 'rows per page', onchange: (ev) => this.hooks.onLimit(Number(ev.target.value)) },
      PAGE_SIZES.map((n) => el('option', { value: n, selected: n === state.limit }, `${n} / page`)));
    const first = data.offset + 1;
    const last = data.offset + data.claims.length;
    pager.append(prev, el('span', { class: 'page-info' }, `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(data.total)}`), next, size);
  }
}
