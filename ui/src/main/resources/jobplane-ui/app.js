// The shell: sign-in, navigation and a hash router (the server serves one page at /ui/).
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { api, session, Problem } from './api.js';
import { LightElement, problemBanner } from './format.js';
import './jobs.js';
import './job.js';
import './queues.js';

class JpLogin extends LightElement {
  static properties = { problem: { state: true }, busy: { state: true } };

  async signIn(e) {
    e.preventDefault();
    const token = this.querySelector('#token').value.trim();
    if (!token) {
      this.problem = new Problem(400, { title: 'A token is needed', detail: 'paste the token the server or an admin gave you' });
      return;
    }
    this.busy = true;
    session.signIn(token);
    try {
      // any authenticated read proves the token; the smallest page of jobs will do
      await api('/api/v1/jobs?limit=1');
      this.dispatchEvent(new CustomEvent('jp-signed-in', { bubbles: true }));
    } catch (p) {
      session.signOut();
      this.problem = p.status === 401 ? new Problem(401, { title: 'This token is not accepted', detail: 'check that it was copied whole and has not been revoked' }) : p;
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<main id="main" class="login">
      <h1>Jobplane</h1>
      <form @submit=${this.signIn} aria-describedby="token-help">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required
               aria-invalid=${this.problem ? 'true' : 'false'} aria-describedby="token-help token-error" autofocus>
        <p id="token-help" class="muted">Paste a token once (for example the content of <code>.jobplane/admin.token</code>).
          It is kept in this tab only and sent to this server's API alone.</p>
        <p id="token-error" class="field-error" role="alert">${this.problem ? html`<strong>${this.problem.title}</strong> ${this.problem.detail}` : ''}</p>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>`;
  }
}
customElements.define('jp-login', JpLogin);

class JpApp extends LightElement {
  static properties = { route: { state: true }, signedIn: { state: true } };

  constructor() {
    super();
    this.route = location.hash;
    this.signedIn = !!session.token();
    // a new hash is a new view (a fresh element, its own streams); the list's own filter edits
    // use history.replaceState, which fires no hashchange, so they keep the view
    this.onHash = () => (this.route = location.hash);
    this.onSignedOut = () => (this.signedIn = false);
  }

  connectedCallback() {
    super.connectedCallback();
    this.textContent = '';
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('jp-signed-out', this.onSignedOut);
    this.addEventListener('jp-signed-in', () => (this.signedIn = true));
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('jp-signed-out', this.onSignedOut);
    super.disconnectedCallback();
  }

  view() {
    const path = (this.route || '#/jobs').slice(1).split('?')[0];
    const job = path.match(/^\/jobs\/([0-9a-fA-F-]{36})$/);
    if (job) return ['jobs', html`<jp-job .jobId=${job[1]}></jp-job>`];
    if (path === '/queues') return ['queues', html`<jp-queues></jp-queues>`];
    if (path === '/jobs' || path === '/' || path === '') return ['jobs', html`<jp-jobs></jp-jobs>`];
    return ['', html`<main id="main">${problemBanner(new Problem(404, { title: 'No such page', detail: path }))}<p><a href="#/jobs">Go to the jobs</a></p></main>`];
  }

  render() {
    if (!this.signedIn) return html`<jp-login></jp-login>`;
    const [section, view] = this.view();
    const link = (name, href, label) =>
      html`<a href=${href} aria-current=${section === name ? 'page' : 'false'}>${label}</a>`;
    return html`<header class="top">
        <a class="brand" href="#/jobs">Jobplane</a>
        <nav aria-label="main">${link('jobs', '#/jobs', 'Jobs')} ${link('queues', '#/queues', 'Queues')}</nav>
        <button class="link" id="sign-out" @click=${() => session.signOut()}>Sign out</button>
      </header>
      ${keyed(this.route, view)}`;
  }
}
customElements.define('jp-app', JpApp);
