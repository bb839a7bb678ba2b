// Queues overview: per queue, what waits, what runs, since when, who polls, why jobs wait, and the
// project's limits over it (docs/limits.md).
import { html } from 'lit';
import { EndpointView, duration, empty } from './format.js';

const REFRESH_MS = 5000;

// "running ≤ 2 · queued ≤ 1000", the queue's own limits first, then the whole project's
function limitsText(l) {
  if (!l) return '—';
  const parts = [];
  if (l.max_running != null) parts.push(`running ≤ ${l.max_running} here`);
  if (l.max_queued != null) parts.push(`queued ≤ ${l.max_queued} here`);
  if (l.project_max_running != null) parts.push(`running ≤ ${l.project_max_running} in project`);
  if (l.project_max_queued != null) parts.push(`queued ≤ ${l.project_max_queued} in project`);
  if (l.weight !== 1) parts.push(`weight ${l.weight}`);
  return parts.length ? parts.join(' · ') : '—';
}

class JpQueues extends EndpointView {
  what = 'queues';
  refreshMs = REFRESH_MS;

  path() {
    return '/api/v1/queues';
  }

  view(data) {
    if (!data.items.length) return empty('No queue has unfinished jobs.');
    return html`<table class="queues"><thead><tr><th scope="col">Project</th><th scope="col">Queue</th><th scope="col">Queued</th><th scope="col">Running</th>
        <th scope="col">Oldest waiting</th><th scope="col">Active workers</th><th scope="col">Why jobs wait</th><th scope="col">Limits</th></tr></thead>
        <tbody>${data.items.map((q) => html`<tr data-queue=${q.queue}>
          <td>${q.project}</td><td><a href="#/jobs?queue=${encodeURIComponent(q.queue)}&project=${encodeURIComponent(q.project)}">${q.queue}</a></td>
          <td>${q.queued}</td><td>${q.running}</td>
          <td>${q.oldest_waiting_seconds == null ? '—' : duration(q.oldest_waiting_seconds * 1000)}</td>
          <td>${q.active_workers}</td>
          <td>${q.waiting_reasons.length ? q.waiting_reasons.map((r) => html`<span class="reason reason-${r.reason.toLowerCase()}">${r.reason.replace('_', ' ').toLowerCase()}: ${r.jobs}</span> `) : '—'}</td>
          <td class="limits">${limitsText(q.limits)}</td>
        </tr>`)}</tbody></table>
      ${data.truncated ? html`<p class="muted">Only the first ${data.items.length} queues are shown.</p>` : ''}`;
  }

  render() {
    return html`<main id="main"><h1>Queues</h1>${super.render()}</main>`;
  }
}
customElements.define('jp-queues', JpQueues);
