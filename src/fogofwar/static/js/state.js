// Filter state in the URL query string (linkable views, back button), the view in the hash.

export const FILTER_KEYS = ['side', 'event', 'source', 'status', 'since', 'until', 'place', 'near'];
export const PAGE_SIZES = [25, 50, 100, 250];
export const SORT_KEYS = ['date', 'source', 'source_side', 'actor_side', 'event', 'place', 'interest', 'status'];
const DEFAULTS = { sort: '-date', offset: 0, limit: 100, by: 'source_side' };

/** The dashboard state read from location.search. */
export function readState(search = location.search) {
  const q = new URLSearchParams(search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = (q.get(key) || '').trim();
    if (value) filters[key] = value;
  }
  const sort = q.get('sort') || DEFAULTS.sort;
  const offset = Math.max(0, parseInt(q.get('offset') || '0', 10) || 0);
  const limit = PAGE_SIZES.includes(Number(q.get('limit'))) ? Number(q.get('limit')) : DEFAULTS.limit;
  const by = q.get('by') === 'actor_side' ? 'actor_side' : DEFAULTS.by;
  return {
    filters,
    sort: SORT_KEYS.includes(sort.replace(/^-/, '')) ? sort : DEFAULTS.sort,
    offset,
    limit,
    by,
  };
}

/** location.search for a state (defaults left out, so plain views have plain URLs). */
export function stateSearch(state) {
  const q = new URLSearchParams();
  for (const key of FILTER_KEYS) if (state.filters[key]) q.set(key, state.filters[key]);
  if (state.sort !== DEFAULTS.sort) q.set('sort', state.sort);
  if (state.offset) q.set('offset', String(state.offset));
  if (state.limit !== DEFAULTS.limit) q.set('limit', String(state.limit));
  if (state.by !== DEFAULTS.by) q.set('by', state.by);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The view named by location.hash: dashboard, article, incident, incidents or control. */
export function parseRoute(hash = location.hash) {
  const text = hash.replace(/^#\/?/, '');
  if (!text) return { view: 'dashboard' };
  const [name, ...rest] = text.split('/');
  let parts;
  try {
    parts = rest.map((p) => decodeURIComponent(p));
  } catch {
    return { view: 'notfound', hash: text };
  }
  switch (name) {
    case 'article':
      return parts[0] ? { view: 'article', id: parts[0], claim: parts[1] || null } : { view: 'notfound' };
    case 'incident':
      return parts[0] ? { view: 'incident', id: parts[0] } : { view: 'incidents', status: 'contested' };
    case 'incidents':
      return { view: 'incidents', status: parts[0] || 'contested', offset: Number(parts[1]) || 0 };
    case 'control':
      return parts[0] ? { view: 'control', place: parts.join('/') } : { view: 'notfound' };
    default:
      return { view: 'notfound', hash: text };
  }
}

/** The claim filters without the date range (the timeline keeps its full context). */
export function withoutRange(filters) {
  const { since, until, ...rest } = filters;
  return rest;
}
