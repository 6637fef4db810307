// DOM helpers: every piece of data goes in as a text node or an attribute value, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A URL safe to put in href: http(s) or a same-site path/hash; anything else gives null. */
export function safeHref(value) {
  if (value == null) return null;
  const text = String(value).trim();
  if (text.startsWith('#') || (text.startsWith('/') && !text.startsWith('//'))) return text;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v != null) node.dataset[k] = String(v);
    } else if (key === 'style') {
      for (const [k, v] of Object.entries(value)) if (v != null) node.style[k] = v;
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'href') {
      const href = safeHref(value);
      if (href) node.setAttribute('href', href);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** el('a', {href: '#x', class: 'c'}, 'text', child…) */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  return append(node, children);
}

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return append(node, children);
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function show(node, visible = true) {
  node.hidden = !visible;
  return node;
}

/** A message in a panel's message slot (kind: info | empty | error). */
export function message(node, text, kind = 'info') {
  node.textContent = text || '';
  node.className = `panel-msg ${kind}`;
  node.hidden = !text;
}

// ---------------------------------------------------------------------------------------------
// Sides, statuses and formatting

export const SIDE_COLOURS = {
  UA: '#1f5fbf',
  RU: '#c0392b',
  THIRD: '#6f8f72',
  UNKNOWN: '#8f8f8f',
  CIVILIAN: '#8e44ad',
};
const EXTRA_COLOURS = ['#d68910', '#16a085', '#7f5539', '#c2185b', '#2e4053', '#9e9d24'];

const SIDE_ORDER = ['UA', 'RU', 'THIRD', 'CIVILIAN', 'UNKNOWN'];

/** Sides in a fixed order (the two belligerents first, unknown last), others alphabetically. */
export function sortSides(sides) {
  const rank = (s) => (SIDE_ORDER.includes(s) ? SIDE_ORDER.indexOf(s) : SIDE_ORDER.length - 1.5);
  return [...sides].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A stable colour for a side (profiles other than Russia–Ukraine have other sides). */
export function sideColour(side) {
  if (!side) return SIDE_COLOURS.UNKNOWN;
  if (SIDE_COLOURS[side]) return SIDE_COLOURS[side];
  let hash = 0;
  for (const ch of side) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return EXTRA_COLOURS[hash % EXTRA_COLOURS.length];
}

export function sideChip(side, title) {
  const chip = el('span', { class: 'side-chip', title: title || `side: ${side || 'UNKNOWN'}` },
    side || 'UNKNOWN');
  chip.style.backgroundColor = sideColour(side);
  return chip;
}

export function sideSwatch(side) {
  const sw = el('span', { class: 'swatch' });
  sw.style.backgroundColor = sideColour(side);
  return sw;
}

const STATUS_CLASS = { corroborated: 'st-corroborated', contested: 'st-contested' };

/** A status badge; a link to the incident view when the claim belongs to an incident. */
export function statusBadge(status, incidentId, reason) {
  const cls = `status-badge ${STATUS_CLASS[status] || 'st-single'}`;
  const label = status || 'single-source';
  if (incidentId) {
    return el('a', {
      class: cls, href: `#incident/${encodeURIComponent(incidentId)}`,
      title: reason ? `${reason} — open the incident` : 'open the incident',
    }, label);
  }
  return el('span', { class: cls, title: reason || null }, label);
}

export function human(value) {
  return value == null || value === '' ? '—' : String(value).replaceAll('_', '-');
}

export function placeLink(place, relation) {
  if (!place) return el('span', { class: 'muted' }, '—');
  const link = el('a', {
    href: `#control/${encodeURIComponent(place)}`, class: 'place-link',
    title: `Who holds ${place}? (control estimate)`,
  }, place);
  return relation ? [el('span', { class: 'muted' }, `${relation} `), link] : link;
}

export function articleHref(articleId, claimId) {
  const base = `#article/${encodeURIComponent(articleId)}`;
  return claimId ? `${base}/${encodeURIComponent(claimId)}` : base;
}

export function eventLabel(claim) {
  const denied = claim.polarity === 'denied';
  return el('span', { class: denied ? 'event denied' : 'event' },
    claim.event || '—',
    denied ? el('span', { class: 'pol', title: 'the source denies this' }, ' denied') : null,
    claim.modality && claim.modality !== 'factual'
      ? el('span', { class: 'pol', title: `modality: ${claim.modality}` }, ` ${claim.modality}`) : null);
}

export function fmtInt(n) {
  return typeof n === 'number' ? n.toLocaleString('en-GB') : '—';
}

export function truncate(text, max) {
  if (!text) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
