// Login, the functions list (with projects) and the template chooser.
import { apiJson, setToken, clearToken, ApiError } from './api.js';
import { h, field } from './dom.js';
import { PROJECT_LABEL, type FunctionView, type Template } from './types.js';

export function loginPage(root: HTMLElement, reason?: string): void {
  const input = h('input', { id: 'login-token', type: 'password', autocomplete: 'off', 'data-testid': 'login-token' });
  const message = h('p', { id: 'login-error', class: 'error', 'data-testid': 'login-error' }, reason ?? '');
  const form = h('form', { id: 'login-form', class: 'card narrow' },
    h('h1', {}, 'Nucleon dashboard'),
    field('Access token', input),
    h('button', { type: 'submit', id: 'login-submit', 'data-testid': 'login-submit' }, 'Log in'),
    message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    try {
      await apiJson('/api/session');
      location.hash = '#/functions';
    } catch (err) {
      clearToken();
      message.textContent = err instanceof ApiError && err.status === 401 ? 'That token is not valid.' : String((err as Error).message);
    }
  });
  root.replaceChildren(form);
  input.focus();
}

export async function functionsPage(root: HTMLElement, project: string): Promise<void> {
  const [functions, projects] = await Promise.all([
    apiJson<Record<string, FunctionView>>(`/api/functions${project ? `?project=${encodeURIComponent(project)}` : ''}`),
    apiJson<Record<string, { metadata: { name: string }; spec: { description?: string } }>>('/api/projects'),
  ]);
  const select = h('select', { id: 'project-filter', 'data-testid': 'project-filter' },
    h('option', { value: '' }, 'all projects'),
    ...Object.keys(projects).sort().map((name) => h('option', { value: name, selected: name === project }, name)));
  select.addEventListener('change', () => { location.hash = `#/functions${select.value ? `?project=${encodeURIComponent(select.value)}` : ''}`; });

  const rows = Object.values(functions).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((fn) =>
    h('tr', { 'data-testid': `function-row-${fn.metadata.name}` },
      h('td', {}, h('a', { href: `#/function/${encodeURIComponent(fn.metadata.name)}` }, fn.metadata.name)),
      h('td', {}, fn.metadata.labels?.[PROJECT_LABEL] ?? 'default'),
      h('td', {}, fn.spec.runtime),
      h('td', { class: `state state-${fn.status.state}`, 'data-testid': `function-state-${fn.metadata.name}` }, fn.status.state),
      h('td', {}, fn.status.url ?? '')));
  const table = h('table', { id: 'functions-table', 'data-testid': 'functions-table' },
    h('thead', {}, h('tr', {}, ...['name', 'project', 'runtime', 'state', 'url'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows));

  const newName = h('input', { id: 'new-project-name', placeholder: 'new project name', 'data-testid': 'new-project-name' });
  const newDescription = h('input', { id: 'new-project-description', placeholder: 'description' });
  const projectMessage = h('span', { class: 'error', id: 'project-error' });
  const projectForm = h('form', { id: 'project-form', class: 'inline' }, newName, newDescription,
    h('button', { type: 'submit', 'data-testid': 'create-project' }, 'Create project'), projectMessage);
  projectForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await apiJson('/api/projects', { method: 'POST', json: { metadata: { name: newName.value.trim() }, spec: { description: newDescription.value } } });
      location.hash = `#/functions?project=${encodeURIComponent(newName.value.trim())}`;
    } catch (err) {
      projectMessage.textContent = (err as Error).message;
    }
  });

  root.replaceChildren(h('section', { class: 'card' },
    h('div', { class: 'toolbar' }, h('h1', {}, 'Functions'), field('Project', select),
      h('a', { href: '#/new', class: 'button', id: 'new-function', 'data-testid': 'new-function' }, 'New function')),
    rows.length ? table : h('p', { id: 'no-functions' }, 'No functions yet.'),
    h('h2', {}, 'Projects'),
    h('ul', { id: 'projects-list' }, ...Object.values(projects).map((p) => h('li', {}, h('b', {}, p.metadata.name), ' ', p.spec.description ?? ''))),
    projectForm));
}

export async function templatesPage(root: HTMLElement, choose: (t: Template) => void): Promise<void> {
  const templates = await apiJson<Template[]>('/api/function_templates');
  root.replaceChildren(h('section', { class: 'card' }, h('h1', {}, 'New function from a template'),
    h('ul', { class: 'templates', id: 'templates-list' }, ...templates.map((t) =>
      h('li', {}, h('button', { type: 'button', 'data-testid': `template-${t.name}`, onclick: () => choose(t) }, t.name),
        h('span', { class: 'muted' }, ` ${t.runtime} — ${t.description}`))))));
}
