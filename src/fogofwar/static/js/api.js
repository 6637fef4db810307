// JSON API access: one place for URLs, errors and aborting superseded requests.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** The query string of the non-empty entries of params. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value != null && value !== '') q.set(key, String(value));
  }
  return q.toString();
}

export function apiUrl(path, params) {
  const q = query(params);
  return q ? `${path}?${q}` : path;
}

/** GET a JSON endpoint; errors become ApiError with the server's one-line detail. */
export async function getJSON(path, params, { signal } = {}) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the server (${err.message})`, 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === 'string' ? body.detail : response.statusText;
    throw new ApiError(`${response.status}: ${detail || 'request failed'}`, response.status);
  }
  return body;
}

export function isAbort(err) {
  return err && err.name === 'AbortError';
}
