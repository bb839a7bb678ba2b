// One job: header with status, progress, ETA and why it waits; the controls the state machine
// allows; tabs for timeline, tasks, logs, errors, metrics, checkpoints and output.
import { html } from 'lit';
import { api, apiText, query, stream, Problem } from './api.js';
import {
  LightElement, EndpointView, isTerminal, time, duration, eta, statusBadge, progress, problemBanner, loading, empty,
} from './format.js';

const REFRESH_MS = 2000;
const TABS = ['timeline', 'tasks', 'logs', 'errors', 'metrics', 'checkpoints', 'output'];

/** Which controls a status allows, as the API's state machine does (JobStatus.successors). */
export function allowed(status) {
  return {
    stop: ['PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING'].includes(status),
    restart: isTerminal(status) && status !== 'REJECTED',
    suspend: ['PENDING', 'QUEUED'].includes(status),
    resume: status === 'SUSPENDED',
  };
}

class JpJob extends LightElement {
  static properties = {
    jobId: {},
    job: { state: true },
    problem: { state: true },
    actionProblem: { state: true },
    tab: { state: true },
    confirmStop: { state: true },
  };

  constructor() {
    super();
    this.tab = 'timeline';
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  async load() {
    clearTimeout(this.timer);
    try {
      this.job = await api(`/api/v1/jobs/${this.jobId}`);
      this.problem = null;
    } catch (p) {
      if (!(p instanceof Problem)) throw p;
      this.problem = p;
    }
    // progress, ETA and the waiting reason are no timeline events: re-read them while the job is
    // unfinished (a finished job changes only through the controls, which read it again)
    if (!this.job || !isTerminal(this.job.status)) {
      this.timer = setTimeout(() => this.load(), REFRESH_MS);
    }
  }

  async control(action, body) {
    this.actionProblem = null;
    this.confirmStop = false;
    try {
      this.job = await api(`/api/v1/jobs/${this.jobId}/${action}`, { method: 'POST', body: body ?? {} });
      this.load();
    } catch (p) {
      if (!(p instanceof Problem)) throw p;
      this.actionProblem = { action, problem: p };
    }
  }

  renderControls() {
    const can = allowed(this.job.status);
    const problemFor = (action) =>
      this.actionProblem?.action === action
        ? html`<span class="field-error" role="alert" id="${action}-error"><strong>${this.actionProblem.problem.title}</strong> ${this.actionProblem.problem.detail}</span>`
        : '';
    return html`<div class="controls" role="toolbar" aria-label="job controls">
      <span class="control">
        <label for="stop-mode">Stop mode</label>
        <select id="stop-mode" ?disabled=${!can.stop}>
          <option value="graceful">graceful</option><option value="immediate">immediate</option><option value="force">force</option>
        </select>
        ${this.confirmStop
          ? html`<button id="confirm-stop" class="danger" @click=${() => this.control('stop', { mode: this.querySelector('#stop-mode').value })}>Yes, stop</button>
                 <button class="secondary" @click=${() => (this.confirmStop = false)}>Cancel</button>`
          : html`<button id="stop" class="danger" ?disabled=${!can.stop} @click=${() => (this.confirmStop = true)}>Stop</button>`}
        ${problemFor('stop')}
      </span>
      <span class="control"><button id="restart" ?disabled=${!can.restart} @click=${() => this.control('restart')}>Restart</button>${problemFor('restart')}</span>
      <span class="control"><button id="suspend" ?disabled=${!can.suspend} @click=${() => this.control('suspend')}>Suspend</button>${problemFor('suspend')}</span>
      <span class="control"><button id="resume" ?disabled=${!can.resume} @click=${() => this.control('resume')}>Resume</button>${problemFor('resume')}</span>
    </div>`;
  }

  renderHeader() {
    const j = this.job;
    const w = j.waiting;
    return html`<header class="job-header">
      <p><a href="#/jobs">← Jobs</a></p>
      <h1>${j.name} <span id="job-status">${statusBadge(j.status)}</span></h1>
      <dl class="facts">
        <div><dt>Progress</dt><dd id="job-progress">${progress(j)}</dd></div>
        ${j.estimated_seconds_remaining != null ? html`<div><dt>ETA</dt><dd>${eta(j.estimated_seconds_remaining)}</dd></div>` : ''}
        <div><dt>Project</dt><dd>${j.project}</dd></div>
        <div><dt>Type</dt><dd>${j.type}</dd></div>
        <div><dt>Queue</dt><dd>${j.queue}</dd></div>
        <div><dt>Run / attempt</dt><dd>${j.run_id} / ${j.attempt} of ${j.max_attempts}</dd></div>
        <div><dt>Created</dt><dd>${time(j.created_at)}</dd></div>
        <div><dt>Elapsed</dt><dd>${duration(j.elapsed_time_ms)}</dd></div>
      </dl>
      ${w ? html`<p class="waiting" id="waiting" role="status"><strong>Waiting: ${w.reason.replace('_', ' ').toLowerCase()}</strong>
          ${w.position != null ? html` · position ${w.position}${w.position_is_lower_bound ? '+' : ''}` : ''}
          · ${w.active_workers} active worker${w.active_workers === 1 ? '' : 's'} · ${w.message}
          ${w.waiting_for ? html`<span class="waiting-for"> · waits for
            ${w.waiting_for.map((id) => html`<a href="#/jobs/${id}">${id.slice(0, 8)}</a> `)}</span>` : ''}</p>` : ''}
      ${j.error ? html`<p class="problem" role="alert"><strong>${j.error.type || 'error'}</strong> ${j.error.message}</p>` : ''}
    </header>`;
  }

  renderTab() {
    const id = this.jobId;
    switch (this.tab) {
      case 'timeline': return html`<jp-timeline .jobId=${id}></jp-timeline>`;
      case 'tasks': return html`<jp-tasks .jobId=${id}></jp-tasks>`;
      case 'logs': return html`<jp-logs .jobId=${id}></jp-logs>`;
      case 'errors': return html`<jp-errors .jobId=${id}></jp-errors>`;
      case 'metrics': return html`<jp-metrics .jobId=${id}></jp-metrics>`;
      case 'checkpoints': return html`<jp-checkpoints .jobId=${id} .onRestart=${(c) => this.control('restart', { checkpoint_id: c })}></jp-checkpoints>`;
      default: return html`<jp-output .jobId=${id}></jp-output>`;
    }
  }

  tabKeys(e) {
    const i = TABS.indexOf(this.tab);
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : -1;
    if (next >= 0) {
      this.tab = TABS[next];
      this.updateComplete.then(() => this.querySelector(`#tab-${this.tab}`).focus());
    }
  }

  render() {
    if (!this.job) {
      return html`<main id="main">${this.problem ? html`${problemBanner(this.problem)}<p><a href="#/jobs">Back to the jobs</a></p>` : loading('the job')}</main>`;
    }
    return html`<main id="main" class="job-page">
      ${this.renderHeader()}
      ${this.problem ? problemBanner(this.problem) : ''}
      ${this.renderControls()}
      <div role="tablist" aria-label="job details" @keydown=${this.tabKeys}>
        ${TABS.map((t) => html`<button role="tab" id="tab-${t}" aria-selected=${this.tab === t ? 'true' : 'false'}
            aria-controls="panel" tabindex=${this.tab === t ? '0' : '-1'} @click=${() => (this.tab = t)}>${t}</button>`)}
      </div>
      <section id="panel" role="tabpanel" aria-labelledby="tab-${this.tab}">${this.renderTab()}</section>
    </main>`;
  }
}
customElements.define('jp-job', JpJob);

/** A tab that reads one endpoint of the job. */
class Reader extends EndpointView {
  static properties = { ...EndpointView.properties, jobId: {} };
}

class JpTimeline extends LightElement {
  static properties = { jobId: {}, events: { state: true }, problem: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    // the stream replays the timeline from the start (Last-Event-ID 0) and then follows it
    this.events = [];
    this.watch = stream(`/api/v1/jobs/${this.jobId}/events`, {
      onEvent: (e) => (this.events = [...this.events, e.data.event]),
      onProblem: (p) => (this.problem = p),
    });
  }

  disconnectedCallback() {
    this.watch?.close();
    super.disconnectedCallback();
  }

  render() {
    if (this.problem) return problemBanner(this.problem);
    if (!this.events.length) return loading('the timeline');
    return html`<ol class="timeline" aria-live="polite">${[...this.events].reverse().map((e) => html`<li>
      ${time(e.timestamp)} <strong>${e.event}</strong>
      ${e.from_status ? html`${statusBadge(e.from_status)} →` : ''} ${statusBadge(e.to_status)}
      <span class="muted">run ${e.run_id}, attempt ${e.attempt}, ${e.source}</span>
      ${e.message ? html`<div>${e.message}</div>` : ''}
      ${e.error ? html`<div class="field-error">${e.error.message}</div>` : ''}
    </li>`)}</ol>`;
  }
}
customElements.define('jp-timeline', JpTimeline);

class JpTasks extends Reader {
  what = 'tasks';
  path() {
    return `/api/v1/jobs/${this.jobId}/tasks`;
  }
  view(d) {
    if (!d.tasks.length) return empty('No tasks yet: they are created when the job is queued.');
    return html`<table><thead><tr><th scope="col">Task</th><th scope="col">State</th><th scope="col">Attempt</th>
      <th scope="col">Worker</th><th scope="col">Host</th><th scope="col">Duration</th><th scope="col">Progress</th><th scope="col">Error</th></tr></thead>
      <tbody>${d.tasks.map((t) => html`<tr><td>${t.index}</td><td>${t.status}</td><td>${t.attempt}</td>
        <td>${t.worker_id || '—'}</td><td>${t.hostname || '—'}</td><td>${duration(t.duration_ms)}</td>
        <td>${t.progress == null ? '—' : `${t.progress}%`}</td><td>${t.error ? t.error.message : ''}${t.exit_code != null ? ` (exit ${t.exit_code})` : ''}</td></tr>`)}</tbody></table>`;
  }
}
customElements.define('jp-tasks', JpTasks);

class JpLogs extends LightElement {
  static properties = {
    jobId: {}, lines: { state: true }, level: { state: true }, text: { state: true },
    tail: { state: true }, follow: { state: true }, problem: { state: true }, state: { state: true },
  };

  constructor() {
    super();
    this.lines = [];
    this.level = '';
    this.text = '';
    this.tail = 200;
    this.follow = true;
    this.state = 'connecting';
  }

  connectedCallback() {
    super.connectedCallback();
    this.open();
  }

  disconnectedCallback() {
    this.watch?.close();
    super.disconnectedCallback();
  }

  /** Lines stay readable after the pod or worker is gone: they are read from the store. */
  open() {
    this.watch?.close();
    this.lines = [];
    this.problem = null;
    const q = query({ follow: 'true', tail: this.tail, level: this.level });
    this.watch = stream(`/api/v1/jobs/${this.jobId}/logs${q}`, {
      onEvent: (e) => {
        if (e.event !== 'log') return;
        this.lines = [...this.lines, e.data].slice(-5000);
      },
      onState: (s) => (this.state = s),
      onProblem: (p) => (this.problem = p),
    });
  }

  updated() {
    const box = this.querySelector('.log-lines');
    if (this.follow && box) box.scrollTop = box.scrollHeight;
  }

  render() {
    const needle = this.text.toLowerCase();
    const shown = needle ? this.lines.filter((l) => l.message.toLowerCase().includes(needle)) : this.lines;
    return html`<div class="log-controls">
        <label>Level <select id="log-level" @change=${(e) => ((this.level = e.target.value), this.open())}>
          <option value="">all</option><option value="info">info+</option><option value="warn">warn+</option><option value="error">error</option></select></label>
        <label>Filter <input id="log-filter" type="search" placeholder="text in the line" @input=${(e) => (this.text = e.target.value)}></label>
        <label>Tail <input id="log-tail" type="number" min="0" max="10000" .value=${String(this.tail)}
          @change=${(e) => ((this.tail = Number(e.target.value) || 0), this.open())}></label>
        <label><input id="log-follow" type="checkbox" .checked=${this.follow} @change=${(e) => (this.follow = e.target.checked)}> Follow</label>
        <span class="live live-${this.state}" role="status">${this.state === 'live' ? '● following' : this.state}</span>
      </div>
      ${this.problem ? problemBanner(this.problem) : ''}
      ${shown.length
        ? html`<pre class="log-lines" id="log-lines" tabindex="0" aria-label="log lines" aria-live="off">${shown.map((l) => html`<span class="log-${l.level}">${new Date(l.timestamp).toLocaleTimeString()} [${l.stream}] ${l.message}
</span>`)}</pre>`
        : empty(this.lines.length ? 'No line matches the filter.' : 'No log lines yet; new ones appear here as the job writes them.')}`;
  }
}
customElements.define('jp-logs', JpLogs);

class JpErrors extends Reader {
  what = 'errors';
  path() {
    return `/api/v1/jobs/${this.jobId}/errors`;
  }
  view(d) {
    if (!d.data.length) return empty('No errors reported.');
    return html`<ul class="errors">${d.data.map((e) => html`<li class="error-${e.level}">
      <strong>${e.level}</strong> task ${e.task_index}${e.operator_id ? `, ${e.operator_id}` : ''}: ${e.message}
      ${e.details ? html`<details><summary>details</summary><pre>${e.details}</pre></details>` : ''}
      ${e.record ? html`<details><summary>record</summary><pre>${e.record}</pre></details>` : ''}</li>`)}</ul>`;
  }
}
customElements.define('jp-errors', JpErrors);

/**
 * Per operator metrics, with throughput charted over the samples this tab has read: the API
 * keeps the latest snapshot per task, so the series is the one seen while watching.
 */
class JpMetrics extends Reader {
  what = 'metrics';
  refreshMs = REFRESH_MS;
  samples = [[], []];

  path() {
    return `/api/v1/jobs/${this.jobId}/metrics`;
  }

  received(d) {
    if (d.throughput != null) {
      this.samples[0].push(Date.now() / 1000);
      this.samples[1].push(d.throughput);
    }
  }

  disconnectedCallback() {
    this.chart?.destroy();
    super.disconnectedCallback();
  }

  async updated() {
    const box = this.querySelector('#throughput-chart');
    if (!box || this.samples[0].length < 2) return;
    if (!this.chart) {
      // the chart library loads with the first chart, not with the first page
      const { default: uPlot } = await import('uplot');
      if (this.chart || !this.isConnected) return;
      this.chart = new uPlot(
        { width: Math.min(box.clientWidth || 600, 800), height: 180, series: [{}, { label: 'records/s', stroke: '#2563eb' }] },
        this.samples, box);
    } else {
      this.chart.setData(this.samples);
    }
  }

  view(d) {
    return html`<dl class="facts">
        <div><dt>Records in</dt><dd>${d.records_in}</dd></div><div><dt>Records out</dt><dd>${d.records_out}</dd></div>
        <div><dt>Errors</dt><dd>${d.errors}</dd></div><div><dt>Throughput</dt><dd>${d.throughput ?? '—'}</dd></div></dl>
      <div id="throughput-chart" class="chart" role="img" aria-label="throughput over the samples read">${this.samples[0].length < 2 ? html`<p class="muted">The chart starts after two samples of throughput.</p>` : ''}</div>
      ${d.operators.length
        ? html`<table><thead><tr><th scope="col">Operator</th><th scope="col">Kind</th><th scope="col">Subtasks</th><th scope="col">In</th><th scope="col">Out</th><th scope="col">Errors</th><th scope="col">Throughput</th></tr></thead>
          <tbody>${d.operators.map((o) => html`<tr><td>${o.operator_name || o.operator_id}</td><td>${o.kind}</td><td>${o.subtasks}</td><td>${o.records_in}</td><td>${o.records_out}</td><td>${o.errors}</td><td>${o.throughput ?? '—'}</td></tr>`)}</tbody></table>`
        : empty('No operator metrics reported.')}`;
  }
}
customElements.define('jp-metrics', JpMetrics);

class JpCheckpoints extends Reader {
  static properties = { ...Reader.properties, onRestart: {} };
  what = 'checkpoints';
  path() {
    return `/api/v1/jobs/${this.jobId}/checkpoints`;
  }
  view(d) {
    if (!d.data.length) return empty('No checkpoints.');
    return html`<table><thead><tr><th scope="col">Checkpoint</th><th scope="col">State</th><th scope="col">Finished</th><th scope="col">Size</th><th scope="col">Location</th><th scope="col"></th></tr></thead>
      <tbody>${d.data.map((c) => html`<tr><td>${c.id}</td><td>${c.state}</td><td>${time(c.finished_at)}</td><td>${c.size_bytes ?? '—'}</td><td>${c.location ?? '—'}</td>
        <td><button ?disabled=${c.state !== 'completed'} @click=${() => this.onRestart(c.id)}>Restart from here</button></td></tr>`)}</tbody></table>`;
  }
}
customElements.define('jp-checkpoints', JpCheckpoints);

const jsonTree = (value, key) => {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    return html`<details open><summary>${key !== undefined ? html`<span class="json-key">${key}</span>: ` : ''}${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</summary>
      <ul class="json">${entries.map(([k, v]) => html`<li>${jsonTree(v, k)}</li>`)}</ul></details>`;
  }
  return html`${key !== undefined ? html`<span class="json-key">${key}</span>: ` : ''}<span class="json-${typeof value}">${JSON.stringify(value)}</span>`;
};

class JpOutput extends Reader {
  what = 'output';
  path() {
    return `/api/v1/jobs/${this.jobId}/output?limit=1000`;
  }
  async download() {
    const csv = await apiText(`/api/v1/jobs/${this.jobId}/output?format=csv&limit=1000`, 'text/csv');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    a.download = `job-${this.jobId}-output.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  view(d) {
    if (!d.data.length) return empty('No output records yet.');
    return html`<p><button id="download-csv" @click=${this.download}>Download CSV</button> <span class="muted">${d.total_records} record(s)</span></p>
      <div class="json-viewer">${jsonTree(d.data.map((r) => r.record))}</div>`;
  }
}
customElements.define('jp-output', JpOutput);
