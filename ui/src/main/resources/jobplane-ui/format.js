// Small renderers shared by the views: times, durations, status badges and progress bars.
import { html, LitElement } from 'lit';
import { api, Problem } from './api.js';

/** Components render into the page itself, so one stylesheet and the tests see every element. */
export class LightElement extends LitElement {
  createRenderRoot() {
    return this;
  }
}

export const STATUSES = [
  'PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING',
  'SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'PARTIALLY_FAILED', 'REJECTED', 'SKIPPED',
];

const TERMINAL = new Set([
  'SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'PARTIALLY_FAILED', 'REJECTED', 'SKIPPED',
]);
export const isTerminal = (status) => TERMINAL.has(status);

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return html`<time datetime=${iso} title=${iso}>${d.toLocaleString()}</time>`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

export const eta = (seconds) =>
  seconds === null || seconds === undefined ? '' : `ETA ${duration(seconds * 1000)}`;

export const statusBadge = (status) =>
  html`<span class="badge status-${status.toLowerCase()}" data-status=${status}>${status.replace('_', ' ')}</span>`;

/** A native progress bar: accessible as it is, and styled without inline styles (CSP). */
export function progress(job) {
  if (job.progress === null || job.progress === undefined) {
    return html`<span class="muted">—</span>`;
  }
  return html`<span class="progress">
    <progress max="100" value=${job.progress} aria-label="progress of ${job.name}">${job.progress}%</progress>
    <span class="pct">${job.progress}%</span>
    ${job.estimated_seconds_remaining != null ? html`<span class="muted eta">${eta(job.estimated_seconds_remaining)}</span>` : ''}
  </span>`;
}

export const problemBanner = (problem, extra = []) =>
  problem
    ? html`<div class="problem" role="alert">
        <strong>${problem.title}</strong>${problem.detail ? html`: ${problem.detail}` : ''}
        ${extra.length ? html`<ul>${extra.map((e) => html`<li>${e.parameter ?? e.field ?? ''} ${e.message}</li>`)}</ul>` : ''}
      </div>`
    : '';

export const loading = (what) => html`<p class="state" role="status"><span class="spinner" aria-hidden="true"></span>Loading ${what}…</p>`;
export const empty = (text) => html`<p class="state empty">${text}</p>`;

/**
 * A view of one endpoint: read when shown and again every `refreshMs` (0: once), with designed
 * loading and error states. Subclasses give `path()`, `what` and `view(data)`; `received(data)`
 * sees each answer.
 */
export class EndpointView extends LightElement {
  static properties = { data: { state: true }, problem: { state: true } };

  refreshMs = 0;

  connectedCallback() {
    super.connectedCallback();
    this.read();
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  received() {}

  async read() {
    try {
      this.data = await api(this.path());
      this.problem = null;
      this.received(this.data);
    } catch (p) {
      if (!(p instanceof Problem)) throw p;
      this.problem = p;
    }
    if (this.refreshMs && this.isConnected) {
      this.timer = setTimeout(() => this.read(), this.refreshMs);
    }
  }

  render() {
    if (!this.data) return this.problem ? problemBanner(this.problem) : loading(this.what);
    return html`${problemBanner(this.problem)}${this.view(this.data)}`;
  }
}
