// The jobs list: the API's filters as controls, sort by column, cursor paging, live rows and bulk
// actions. Filters live in the URL (#/jobs?status=running&labels=...) so a view can be shared.
import { html } from 'lit';
import { api, query, stream, Problem } from './api.js';
import {
  LightElement, STATUSES, isTerminal, time, statusBadge, progress, problemBanner, loading, empty,
} from './format.js';

const TEXT_FILTERS = [
  ['search', 'Name', 'text', 'part of the name'],
  ['project', 'Project', 'text', ''],
  ['type', 'Type', 'text', ''],
  ['queue', 'Queue', 'text', ''],
  ['labels', 'Labels', 'text', 'env=prod,tier!=web'],
  ['created_after', 'Created from', 'datetime-local', ''],
  ['created_before', 'Created before', 'datetime-local', ''],
];
const FILTER_NAMES = ['status', 'sort', 'limit', 'cursor', ...TEXT_FILTERS.map((f) => f[0])];
const SORTABLE = { name: 'name', status: 'status', progress: 'progress', created_at: 'created_at', updated_at: 'updated_at' };
// the list stream takes these of the list's filters; the others only narrow the page
const STREAM_FILTERS = ['project', 'status', 'type', 'queue', 'labels'];
/** How often visible unfinished jobs are re-read: progress is a sample, not a timeline event. */
const PROGRESS_REFRESH_MS = 2000;

const BULK = {
  stop: { label: 'Stop', verb: 'stopped', call: (id, mode) => api(`/api/v1/jobs/${id}/stop`, { method: 'POST', body: { mode } }) },
  restart: { label: 'Restart', verb: 'restarted', call: (id) => api(`/api/v1/jobs/${id}/restart`, { method: 'POST', body: {} }) },
  delete: { label: 'Delete', verb: 'deleted', call: (id) => api(`/api/v1/jobs/${id}`, { method: 'DELETE' }) },
};

function filtersFromHash() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const f = {};
  for (const [k, v] of q) f[k] = v;
  return f;
}

/** datetime-local values are local wall time; the API wants RFC 3339. */
function toInstant(local) {
  return local ? new Date(local).toISOString() : '';
}

class JpJobs extends LightElement {
  static properties = {
    filters: { state: true },
    page: { state: true },
    problem: { state: true },
    busy: { state: true },
    selected: { state: true },
    confirming: { state: true },
    results: { state: true },
    live: { state: true },
  };

  constructor() {
    super();
    this.filters = filtersFromHash();
    this.cursors = [];
    this.page = null;
    this.selected = new Set();
    this.live = 'connecting';
    this.stopMode = 'graceful';
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  disconnectedCallback() {
    this.watch?.close();
    clearTimeout(this.refreshTimer);
    super.disconnectedCallback();
  }

  apiParams() {
    const f = this.filters;
    return {
      status: f.status,
      search: f.search,
      project: f.project,
      type: f.type,
      queue: f.queue,
      labels: f.labels,
      created_after: toInstant(f.created_after),
      created_before: toInstant(f.created_before),
      sort: f.sort,
      limit: f.limit || 20,
      cursor: f.cursor,
    };
  }

  /** Reads the current page; `quiet` keeps the table on screen (live refreshes). */
  async load({ quiet = false } = {}) {
    clearTimeout(this.refreshTimer);
    const params = this.apiParams();
    const key = JSON.stringify(params);
    if (!quiet) this.busy = true;
    try {
      const page = await api(`/api/v1/jobs${query(params)}`);
      if (JSON.stringify(this.apiParams()) !== key) return; // the filters changed meanwhile
      this.page = page;
      this.problem = null;
      if (!this.firstPageMarked) {
        // a User Timing mark: how long the first page took, from navigation to rows on screen
        this.firstPageMarked = true;
        this.updateComplete.then(() => performance.mark('jobplane:first-page'));
      }
      this.watchFor(params);
    } catch (p) {
      if (p instanceof Problem) {
        this.problem = p;
        if (!quiet) this.page = null;
        this.watch?.close();
        this.watchKey = null;
      } else throw p;
    } finally {
      this.busy = false;
    }
    if (this.page?.items.some((j) => !isTerminal(j.status))) {
      this.refreshTimer = setTimeout(() => this.load({ quiet: true }), PROGRESS_REFRESH_MS);
    }
  }

  /** One live stream for the current filters: any change to a matching job re-reads the page. */
  watchFor(params) {
    const streamParams = Object.fromEntries(STREAM_FILTERS.map((k) => [k, params[k]]));
    const key = JSON.stringify(streamParams);
    if (key === this.watchKey) return;
    this.watch?.close();
    this.watchKey = key;
    this.watch = stream(`/api/v1/jobs${query(streamParams)}`, {
      onEvent: () => this.soon(),
      onState: (s) => (this.live = s),
      onProblem: (p) => ((this.live = 'off'), (this.problem = p)),
    });
  }

  soon() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.load({ quiet: true }), 250);
  }

  apply(changes, { keepCursor = false } = {}) {
    const next = { ...this.filters, ...changes };
    if (!keepCursor) {
      delete next.cursor;
      this.cursors = [];
    }
    for (const k of Object.keys(next)) if (next[k] === '' || next[k] === undefined) delete next[k];
    this.filters = next;
    this.selected = new Set();
    this.results = null;
    const q = new URLSearchParams(Object.entries(next).filter(([k]) => FILTER_NAMES.includes(k)));
    history.replaceState(null, '', `#/jobs${q.toString() ? `?${q}` : ''}`);
    this.load();
  }

  submitFilters(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const changes = {};
    for (const [name] of TEXT_FILTERS) changes[name] = (form.get(name) || '').trim();
    this.apply(changes);
  }

  toggleStatus(status) {
    const current = new Set((this.filters.status || '').split(',').filter(Boolean));
    current.has(status) ? current.delete(status) : current.add(status);
    this.apply({ status: [...current].map((s) => s.toLowerCase()).join(',') });
  }

  sortBy(field) {
    const current = this.filters.sort || '-created_at';
    const next = current === field ? `-${field}` : current === `-${field}` ? field : `-${field}`;
    this.apply({ sort: next });
  }

  next() {
    this.cursors.push(this.filters.cursor || '');
    this.apply({ cursor: this.page.next_cursor }, { keepCursor: true });
  }

  previous() {
    this.apply({ cursor: this.cursors.pop() || '' }, { keepCursor: true });
  }

  toggle(id) {
    const s = new Set(this.selected);
    s.has(id) ? s.delete(id) : s.add(id);
    this.selected = s;
  }

  toggleAll(e) {
    this.selected = e.target.checked ? new Set(this.page.items.map((j) => j.id)) : new Set();
  }

  async runBulk(action) {
    const ids = [...this.selected];
    const names = Object.fromEntries(this.page.items.map((j) => [j.id, j.name]));
    this.confirming = null;
    this.results = { action, rows: ids.map((id) => ({ id, name: names[id] || id, pending: true })) };
    const rows = await Promise.all(
      ids.map(async (id) => {
        try {
          await BULK[action].call(id, this.stopMode);
          return { id, name: names[id] || id, ok: true };
        } catch (p) {
          return { id, name: names[id] || id, ok: false, problem: p };
        }
      }),
    );
    this.results = { action, rows };
    this.selected = new Set();
    this.load({ quiet: true });
  }

  renderFilters() {
    const p = this.problem;
    const statusSet = new Set((this.filters.status || '').toUpperCase().split(',').filter(Boolean));
    const counts = this.page?.status_counts || {};
    const fieldError = (name) => p?.about(name);
    return html`<section class="filters" aria-label="filters">
      <div class="chips" role="group" aria-label="status" aria-describedby="filter-status-error">
        ${STATUSES.map((s) => html`<button type="button" class="chip status-${s.toLowerCase()}" data-status=${s}
            aria-pressed=${statusSet.has(s) ? 'true' : 'false'} @click=${() => this.toggleStatus(s)}>
            ${s.replace('_', ' ')} <span class="count" data-count=${s}>${counts[s] ?? 0}</span></button>`)}
        <span id="filter-status-error" class="field-error" role="alert">${fieldError('status') || ''}</span>
      </div>
      <form class="filter-form" @submit=${this.submitFilters}>
        ${TEXT_FILTERS.map(([name, label, type, placeholder]) => {
          const error = fieldError(name);
          return html`<div class="field">
            <label for="filter-${name}">${label}</label>
            <input id="filter-${name}" name=${name} type=${type} .value=${this.filters[name] || ''}
                   placeholder=${placeholder} aria-invalid=${error ? 'true' : 'false'}
                   aria-describedby="filter-${name}-error">
            <span id="filter-${name}-error" class="field-error" role="alert">${error || ''}</span>
          </div>`;
        })}
        <div class="field actions">
          <button type="submit" id="apply-filters">Apply</button>
          <button type="button" class="secondary" @click=${() => ((this.cursors = []), (this.filters = {}), this.apply({}))}>Clear</button>
        </div>
      </form>
    </section>`;
  }

  renderBulk() {
    const n = this.selected.size;
    if (this.confirming) {
      const action = BULK[this.confirming];
      return html`<div class="bulk confirm" role="alertdialog" aria-labelledby="confirm-title">
        <span id="confirm-title"><strong>${action.label} ${n} job${n === 1 ? '' : 's'}?</strong></span>
        ${this.confirming === 'stop' ? html`<label>mode
          <select id="bulk-stop-mode" @change=${(e) => (this.stopMode = e.target.value)}>
            <option value="graceful">graceful</option><option value="immediate">immediate</option><option value="force">force</option>
          </select></label>` : ''}
        <button id="confirm-bulk" class="danger" @click=${() => this.runBulk(this.confirming)}>Yes, ${action.label.toLowerCase()}</button>
        <button class="secondary" @click=${() => (this.confirming = null)}>Cancel</button>
      </div>`;
    }
    return html`<div class="bulk" role="toolbar" aria-label="selected jobs">
      <span>${n} selected</span>
      ${Object.entries(BULK).map(([key, a]) => html`<button id="bulk-${key}" ?disabled=${n === 0}
          @click=${() => (this.confirming = key)}>${a.label}</button>`)}
    </div>`;
  }

  renderResults() {
    if (!this.results) return '';
    const { action, rows } = this.results;
    return html`<section class="results" aria-live="polite" aria-label="bulk results">
      <h2>${BULK[action].label}: results</h2>
      <ul>${rows.map((r) => html`<li class=${r.pending ? 'pending' : r.ok ? 'ok' : 'failed'} data-job=${r.id}>
        <a href="#/jobs/${r.id}">${r.name}</a>:
        ${r.pending ? 'working…' : r.ok ? BULK[action].verb : html`<strong>${r.problem.title}</strong> ${r.problem.detail}`}
      </li>`)}</ul>
      <button class="link" @click=${() => (this.results = null)}>Dismiss</button>
    </section>`;
  }

  header(label, field) {
    const sort = this.filters.sort || '-created_at';
    const dir = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : 'none';
    return html`<th scope="col" aria-sort=${dir}>
      <button class="sort" id="sort-${field}" @click=${() => this.sortBy(field)}>${label}
        <span aria-hidden="true">${dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : ''}</span></button></th>`;
  }

  renderTable() {
    if (!this.page) return this.busy ? loading('jobs') : '';
    const items = this.page.items;
    if (!items.length) {
      return empty(Object.keys(this.filters).length ? 'No job matches these filters.' : 'No jobs yet. Submit one with the API or `jobplane submit`.');
    }
    const all = items.every((j) => this.selected.has(j.id));
    return html`<table class="jobs" aria-busy=${this.busy ? 'true' : 'false'}>
      <thead><tr>
        <th scope="col"><input type="checkbox" id="select-all" aria-label="select every job on this page" .checked=${all} @change=${this.toggleAll}></th>
        ${this.header('Name', SORTABLE.name)} ${this.header('Status', SORTABLE.status)} ${this.header('Progress', SORTABLE.progress)}
        <th scope="col">Project</th><th scope="col">Type</th><th scope="col">Queue</th><th scope="col">Labels</th>
        ${this.header('Created', SORTABLE.created_at)}
      </tr></thead>
      <tbody>${items.map((j) => html`<tr data-job=${j.id} data-status=${j.status}>
        <td><input type="checkbox" class="select" aria-label="select ${j.name}" .checked=${this.selected.has(j.id)} @change=${() => this.toggle(j.id)}></td>
        <td><a href="#/jobs/${j.id}">${j.name}</a></td>
        <td>${statusBadge(j.status)}</td>
        <td>${progress(j)}</td>
        <td>${j.project}</td><td>${j.type}</td><td>${j.queue}</td>
        <td>${Object.entries(j.labels || {}).map(([k, v]) => html`<span class="label">${k}=${v}</span> `)}</td>
        <td>${time(j.created_at)}</td>
      </tr>`)}</tbody>
    </table>
    <nav class="pager" aria-label="pages">
      <button id="previous-page" ?disabled=${!this.filters.cursor} @click=${this.previous}>Previous</button>
      <span>${this.page.total.toLocaleString()} job${this.page.total === 1 ? '' : 's'}</span>
      <button id="next-page" ?disabled=${!this.page.has_more} @click=${this.next}>Next</button>
    </nav>`;
  }

  render() {
    const placed = ['status', ...TEXT_FILTERS.map((f) => f[0])];
    return html`<main id="main" class="jobs-page">
      <div class="title-row"><h1>Jobs</h1>
        <span class="live live-${this.live}" role="status" title="live updates">${this.live === 'live' ? '● live' : this.live === 'reconnecting' ? '○ reconnecting' : this.live === 'off' ? 'not live' : '○ connecting'}</span></div>
      ${this.renderFilters()}
      ${this.problem ? problemBanner(this.problem, this.problem.unplaced(placed)) : ''}
      ${this.renderBulk()}
      ${this.renderResults()}
      ${this.renderTable()}
    </main>`;
  }
}
customElements.define('jp-jobs', JpJobs);
