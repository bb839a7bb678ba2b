// Queues overview: per queue, what waits, what runs, since when, who polls and why jobs wait.
import { html } from 'lit';
import { api, Problem } from './api.js';
import { LightElement, duration, problemBanner, loading, empty } from './format.js';

const REFRESH_MS = 5000;

class JpQueues extends LightElement {
  static properties = { data: { state: true }, problem: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.read();
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  async read() {
    try {
      this.data = await api('/api/v1/queues');
      this.problem = null;
    } catch (p) {
      if (!(p instanceof Problem)) throw p;
      this.problem = p;
    }
    this.timer = setTimeout(() => this.read(), REFRESH_MS);
  }

  render() {
    let body;
    if (!this.data) body = this.problem ? '' : loading('queues');
    else if (!this.data.items.length) body = empty('No queue has queued or running jobs, and no worker polls one.');
    else {
      body = html`<table class="queues"><thead><tr><th scope="col">Project</th><th scope="col">Queue</th><th scope="col">Queued</th><th scope="col">Running</th>
        <th scope="col">Oldest waiting</th><th scope="col">Active workers</th><th scope="col">Why jobs wait</th></tr></thead>
        <tbody>${this.data.items.map((q) => html`<tr data-queue=${q.queue}>
          <td>${q.project}</td><td><a href="#/jobs?queue=${encodeURIComponent(q.queue)}&project=${encodeURIComponent(q.project)}">${q.queue}</a></td>
          <td>${q.queued}</td><td>${q.running}</td>
          <td>${q.oldest_waiting_seconds == null ? '—' : duration(q.oldest_waiting_seconds * 1000)}</td>
          <td>${q.active_workers}</td>
          <td>${q.waiting_reasons.length ? q.waiting_reasons.map((r) => html`<span class="reason reason-${r.reason.toLowerCase()}">${r.reason.replace('_', ' ').toLowerCase()}: ${r.jobs}</span> `) : '—'}</td>
        </tr>`)}</tbody></table>`;
    }
    return html`<main id="main"><h1>Queues</h1>${problemBanner(this.problem)}${body}</main>`;
  }
}
customElements.define('jp-queues', JpQueues);
