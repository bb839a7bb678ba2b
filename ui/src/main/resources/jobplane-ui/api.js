// The dashboard's only way to the server: the documented REST and SSE endpoints, each call
// carrying the user's token. The token lives in sessionStorage: it is gone when the tab closes
// and is never sent anywhere but this origin's /api.

const TOKEN_KEY = 'jobplane.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    window.dispatchEvent(new CustomEvent('jp-signed-out'));
  },
};

/** An RFC 9457 problem the API answered, or a network failure shaped like one. */
export class Problem extends Error {
  constructor(status, body) {
    const title = body?.title || (status ? `HTTP ${status}` : 'The server could not be reached');
    super(title);
    this.status = status;
    this.title = title;
    this.detail = body?.detail || '';
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }

  /** The message for one query parameter or body field, if the problem names it. */
  about(name) {
    const e = this.errors.find((x) => x.parameter === name || x.field === name);
    return e ? e.message : null;
  }

  /** The problem's parts that name no control in `names`, for a banner. */
  unplaced(names) {
    return this.errors.filter((x) => !names.includes(x.parameter ?? x.field));
  }
}

function headers(accept, extra = {}) {
  return { Authorization: `Bearer ${session.token()}`, Accept: accept, ...extra };
}

async function problemOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not a problem document (a proxy's page, say): the status alone must do
  }
  if (response.status === 401) {
    session.signOut();
  }
  return new Problem(response.status, body);
}

/** A JSON call; resolves to the answer's body, rejects with a Problem. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: headers(
        'application/json',
        body === undefined ? {} : { 'Content-Type': 'application/json' },
      ),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Problem(0, { detail: String(e.message || e) });
  }
  if (!response.ok) throw await problemOf(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The same call as text (CSV downloads). */
export async function apiText(path, accept) {
  const response = await fetch(path, { headers: headers(accept) });
  if (!response.ok) throw await problemOf(response);
  return response.text();
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A server-sent event stream over fetch (EventSource cannot send an Authorization header). It
 * reconnects after a dropped connection with Last-Event-ID, so no event is missed or repeated;
 * a refusal (4xx) ends it with the problem.
 *
 * @returns {{close: () => void}}
 */
export function stream(path, { onEvent, onState = () => {}, onProblem = () => {} }) {
  const abort = new AbortController();
  let lastId = null;
  let closed = false;

  async function readOnce() {
    const extra = lastId === null ? {} : { 'Last-Event-ID': lastId };
    const response = await fetch(path, {
      headers: headers('text/event-stream', extra),
      signal: abort.signal,
      cache: 'no-store',
    });
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status < 500) {
        onProblem(problem);
        return false;
      }
      throw problem;
    }
    onState('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  }

  function dispatch(block) {
    let id = null;
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) lastId = id;
    if (data.length) onEvent({ id, event, data: JSON.parse(data.join('\n')) });
  }

  (async () => {
    while (!closed) {
      try {
        const again = await readOnce();
        if (!again) return;
      } catch (e) {
        if (closed) return;
      }
      if (closed) return;
      onState('reconnecting');
      await sleep(2000);
    }
  })();

  return {
    close() {
      closed = true;
      abort.abort();
    },
  };
}
