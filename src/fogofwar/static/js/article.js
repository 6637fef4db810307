// The article view: full text with quotes and claim evidence highlighted from their offsets.

import { getJSON } from './api.js';
import {
  articleHref, clear, el, eventLabel, human, placeLink, sideChip, statusBadge,
} from './dom.js';

/** Offsets from the server count code points; JS strings count UTF-16 units. */
function unitIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => Math.max(0, Math.min(i, text.length));
  const map = [];
  let unit = 0;
  for (const ch of text) {
    map.push(unit);
    unit += ch.length;
  }
  map.push(unit);
  return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
}

function quoteTitle(q) {
  const who = q.speaker || 'unattributed';
  const side = q.speaker_side ? ` (${q.speaker_side})` : '';
  const how = [q.kind, q.cue ? `“${q.cue}”` : null].filter(Boolean).join(', ');
  return `${who}${side}${how ? ` — ${how} quote` : ''}`;
}

/**
 * The text as nodes: split at every span boundary, so overlapping quotes and evidence nest
 * cleanly; each piece is wrapped in one <span class="quote"> per quote covering it, inside one
 * <mark class="evidence"> per claim covering it.
 */
export function highlightedText(text, quotes, claims) {
  const at = unitIndex(text);
  const spans = [];
  for (const q of quotes) {
    const start = at(q.start);
    const end = at(q.end);
    if (end > start) spans.push({ start, end, quote: q });
  }
  for (const c of claims) {
    const start = at(c.evidence_start);
    const end = at(c.evidence_end);
    if (end > start) spans.push({ start, end, claim: c });
  }
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    if (b <= a) continue;
    let node = document.createTextNode(text.slice(a, b));
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    // quotes innermost (their tint shows inside the evidence), claims around them, the
    // shortest claim innermost
    for (const s of covering.filter((x) => x.quote)) {
      const span = el('span', { class: 'quote', title: quoteTitle(s.quote), dataset: { quoteId: s.quote.id } });
      span.append(node);
      node = span;
    }
    const claimSpans = covering.filter((s) => s.claim).sort((x, y) => (x.end - x.start) - (y.end - y.start));
    for (const s of claimSpans) {
      const mark = el('mark', {
        class: 'evidence', tabindex: '0', dataset: { claimId: s.claim.id },
        title: `${s.claim.source || 'unnamed source'} (${s.claim.source_side}): ${s.claim.event}${s.claim.polarity === 'denied' ? ' denied' : ''} — click for details`,
      });
      mark.append(node);
      node = mark;
    }
    out.append(node);
  }
  return out;
}

function detailRow(label, ...value) {
  return [el('dt', {}, label), el('dd', {}, ...value)];
}

export function claimDetails(c) {
  const magnitude = c.magnitude != null && c.magnitude !== '' ? String(c.magnitude) : null;
  return el('article', { class: 'claim-card', dataset: { claimId: c.id } },
    el('header', {}, eventLabel(c), ' by ', sideChip(c.actor_side, `acting side: ${c.actor_side}`),
      c.actor ? el('span', { class: 'muted' }, ` ${c.actor}`) : null),
    el('dl', { class: 'details' },
      detailRow('Source', c.source || 'unnamed', ' ', sideChip(c.source_side),
        c.source_kind ? el('span', { class: 'muted' }, ` ${human(c.source_kind)}`) : null),
      detailRow('Place', placeLink(c.place, c.place_relation),
        c.geo_reason ? el('div', { class: 'muted small' }, c.geo_reason) : null),
      detailRow('Date', c.date || 'undated'),
      detailRow('Interest', human(c.interest)),
      detailRow('Modality', human(c.modality), c.quote ? el('span', { class: 'muted' }, ` · ${human(c.quote)} quote`) : null),
      magnitude ? detailRow('Magnitude', magnitude) : null,
      c.weapon ? detailRow('Weapon', human(c.weapon)) : null,
      detailRow('Status', statusBadge(c.status, c.incident_id, c.status_reason),
        c.status_reason ? el('div', { class: 'reason' }, c.status_reason) : null),
      detailRow('Incident', c.incident_id
        ? el('a', { href: `#incident/${encodeURIComponent(c.incident_id)}`, class: 'incident-link' }, 'open the incident')
        : el('span', { class: 'muted' }, 'none'))),
    el('blockquote', { class: 'evidence-text' }, c.evidence || ''));
}

export async function articleView(root, route, ctx) {
  const article = await getJSON(`/api/articles/${encodeURIComponent(route.id)}`, null, { signal: ctx.signal });
  const claims = article.claims || [];
  const quotes = article.quotes || [];
  const urlHref = article.url;
  const urlNode = urlHref
    ? el('a', { href: urlHref, target: '_blank', rel: 'noopener noreferrer', class: 'article-url' }, urlHref)
    : el('span', { class: 'muted' }, 'no URL');

  const notices = [];
  if (article.wire_copy_of) {
    notices.push(el('p', { class: 'notice wire' },
      'Wire copy of ', el('a', { href: articleHref(article.wire_copy_of) }, 'an earlier article'),
      article.similarity != null ? ` (similarity ${Number(article.similarity).toFixed(2)})` : '',
      ': its claims are linked to the original and never count as independent corroboration.'));
  }
  if (article.copies && article.copies.length) {
    notices.push(el('p', { class: 'notice' }, 'Reprinted as ',
      article.copies.map((id, i) => [i ? ', ' : '', el('a', { href: articleHref(id) }, `copy ${i + 1}`)]),
      ' (wire copies, not counted as corroboration).'));
  }

  const textNode = el('div', { class: 'article-text', id: 'article-text' },
    highlightedText(article.text || '', quotes, claims));
  const detail = el('div', { class: 'claim-detail', id: 'claim-detail', 'aria-live': 'polite' },
    el('p', { class: 'muted' }, claims.length ? 'Click a highlighted sentence to see its claims.' : 'No claims were found in this article.'));
  const list = el('ol', { class: 'article-claims' });
  const inTextOrder = [...claims].sort((a, b) => a.evidence_start - b.evidence_start || a.evidence_end - b.evidence_end);
  for (const c of inTextOrder) {
    list.append(el('li', {},
      el('a', { href: articleHref(article.id, c.id), dataset: { claimId: c.id }, class: 'claim-jump' },
        eventLabel(c), ' ', c.place || 'no place', ' ', el('span', { class: 'muted' }, c.date || 'undated')),
      ' ', sideChip(c.source_side, `claimant: ${c.source || ''} (${c.source_side})`)));
  }

  clear(root).append(
    el('div', { class: 'view-head' },
      el('a', { href: '#', class: 'back' }, '← Claims'),
      el('h2', { class: 'article-title' }, article.title || '(untitled article)'),
      el('p', { class: 'meta' },
        el('span', { class: 'outlet' }, article.outlet || 'unknown outlet'), ' · ',
        el('span', {}, article.published || 'undated'), ' · ', urlNode),
      el('p', { class: 'meta muted small' },
        `${claims.length} claims · ${quotes.length} quotes · profile ${article.profile || '—'} · `,
        `pipeline ${article.pipeline_version || '—'}`, article.origin ? ` · from ${article.origin}` : ''),
      notices,
      el('p', { class: 'key small' },
        el('span', { class: 'quote sample' }, 'quoted speech'), ' ',
        el('mark', { class: 'evidence sample' }, 'claim evidence'))),
    el('div', { class: 'article-layout' }, textNode,
      el('aside', { class: 'article-side' }, detail,
        el('h3', {}, `Claims in this article (${claims.length})`), list)));
  root.dataset.articleId = article.id;

  const select = (ids, { scroll = true } = {}) => {
    for (const m of textNode.querySelectorAll('mark.selected')) m.classList.remove('selected', 'flash');
    const chosen = claims.filter((c) => ids.includes(c.id));
    clear(detail);
    if (!chosen.length) {
      detail.append(el('p', { class: 'muted' }, 'That claim is not in this article.'));
      return;
    }
    for (const c of chosen) detail.append(claimDetails(c));
    const marks = [...textNode.querySelectorAll('mark.evidence')].filter((m) => m.dataset.claimId === ids[0]);
    for (const m of marks) {
      m.classList.add('selected');
      void m.offsetWidth; // restart the flash animation
      m.classList.add('flash');
    }
    if (scroll && marks[0]) marks[0].scrollIntoView({ block: 'center', behavior: 'auto' });
    for (const a of list.querySelectorAll('a.claim-jump')) a.classList.toggle('current', ids.includes(a.dataset.claimId));
  };

  const pick = (mark) => {
    const ids = [];
    for (let m = mark; m && m !== textNode; m = m.parentElement) {
      if (m.matches('mark.evidence')) ids.push(m.dataset.claimId);
    }
    if (!ids.length) return;
    ctx.replaceHash(articleHref(article.id, ids[0]));
    select(ids, { scroll: false });
  };
  textNode.addEventListener('click', (ev) => {
    const mark = ev.target.closest('mark.evidence');
    if (mark) pick(mark);
  });
  textNode.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.target.matches('mark.evidence')) pick(ev.target);
  });
  list.addEventListener('click', (ev) => {
    const link = ev.target.closest('a.claim-jump');
    if (!link) return;
    ev.preventDefault();
    ctx.replaceHash(articleHref(article.id, link.dataset.claimId));
    select([link.dataset.claimId]);
  });

  ctx.setTitle(article.title || 'article');
  if (route.claim) select([route.claim]);
  else window.scrollTo(0, 0);
}
