// The dashboard's single-page app: hash routes, one page at a time. Leaving a page aborts its
// streams and polls (AbortController), so nothing keeps running behind the user's back.
import { apiJson, getToken } from './api.js';
import { h } from './dom.js';
import { loginPage, functionsPage, templatesPage } from './pages-list.js';
import { functionPage } from './page-function.js';
import type { FunctionView, Template } from './types.js';

const header = h('header', {}, h('a', { href: '#/functions', class: 'brand' }, 'Nucleon'), h('span', { id: 'platform', class: 'muted' }),
  h('button', { type: 'button', id: 'logout', onclick: () => { sessionStorage.clear(); location.hash = '#/login'; } }, 'Log out'));
const root = h('main', { id: 'app' });
document.body.replaceChildren(header, root);

let pageAbort = new AbortController();
let draft: Template | undefined;

async function route(): Promise<void> {
  pageAbort.abort();
  pageAbort = new AbortController();
  const signal = pageAbort.signal;
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  header.hidden = path === '/login' || !getToken();
  if (!getToken() || path === '/login') return loginPage(root);
  try {
    if (path === '/new') {
      return await templatesPage(root, (t) => { draft = t; location.hash = '#/new/edit'; });
    }
    if (path === '/new/edit') {
      if (!draft) { location.hash = '#/new'; return; }
      const fn: FunctionView = { metadata: { name: draft.configuration.metadata.name, labels: {} }, spec: structuredClone(draft.configuration.spec), status: { state: 'new' } };
      return functionPage(root, fn, true, signal);
    }
    const fnMatch = /^\/function\/(.+)$/.exec(path);
    if (fnMatch) {
      const fn = await apiJson<FunctionView>(`/api/functions/${fnMatch[1]}`);
      if (!signal.aborted) functionPage(root, fn, false, signal);
      return;
    }
    await functionsPage(root, new URLSearchParams(query).get('project') ?? '');
  } catch (err) {
    if (!signal.aborted && getToken()) root.replaceChildren(h('p', { class: 'error', id: 'page-error' }, (err as Error).message));
  }
}

async function showSession(): Promise<void> {
  if (!getToken()) return;
  try {
    const s = await apiJson<{ platform: string; version: string }>('/api/session');
    document.getElementById('platform')!.textContent = `platform ${s.platform} · ${s.version}`;
  } catch { /* a 401 already went to login */ }
}

window.addEventListener('hashchange', () => { void route(); void showSession(); });
if (!location.hash) location.hash = getToken() ? '#/functions' : '#/login';
void route();
void showSession();
