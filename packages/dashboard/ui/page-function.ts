// One function: the editor form, Deploy with live progress, and (once deployed) invoke, logs,
// metrics and delete. `isNew` means the name is not on the server yet (POST, not PUT).
import { apiJson, apiRaw, readEventStream } from './api.js';
import { h, field } from './dom.js';
import { createCodeEditor } from './code-editor.js';
import { decodeBase64Utf8, encodeBase64Utf8, parseKeyValueLines } from './text.js';
import { lineChart } from './chart.js';
import { PROJECT_LABEL, type FunctionSpec, type FunctionView, type Metrics } from './types.js';

export function functionPage(root: HTMLElement, fn: FunctionView, isNew: boolean, signal: AbortSignal): void {
  const spec = fn.spec;
  const httpTrigger = Object.entries(spec.triggers ?? {}).find(([, t]) => t.kind === 'http');
  const source = spec.build?.functionSourceCode ? decodeBase64Utf8(spec.build.functionSourceCode) : '';

  const name = h('input', { id: 'fn-name', 'data-testid': 'fn-name', value: fn.metadata.name, readonly: !isNew });
  const handler = h('input', { id: 'fn-handler', 'data-testid': 'fn-handler', value: spec.handler, placeholder: 'module:function' });
  const project = h('input', { id: 'fn-project', value: fn.metadata.labels?.[PROJECT_LABEL] ?? 'default', readonly: !isNew });
  const env = h('textarea', { id: 'fn-env', rows: 3, placeholder: 'KEY=value, one a line' });
  env.value = (spec.env ?? []).map((e) => `${e.name}=${e.value}`).join('\n');
  const port = h('input', { id: 'fn-port', type: 'number', min: 0, max: 65535, value: String(httpTrigger?.[1].attributes?.port ?? '') , placeholder: 'any' });
  const workers = h('input', { id: 'fn-workers', type: 'number', min: 1, value: String(httpTrigger?.[1].maxWorkers ?? 1) });
  const cpu = h('input', { id: 'fn-cpu', value: spec.resources?.limits?.cpu ?? '', placeholder: 'e.g. 500m' });
  const memory = h('input', { id: 'fn-memory', value: spec.resources?.limits?.memory ?? '', placeholder: 'e.g. 128Mi' });
  const editorHost = h('div', { id: 'code-editor', class: 'code', 'data-testid': 'code-editor' });
  const deployButton = h('button', { type: 'button', id: 'deploy', 'data-testid': 'deploy' }, isNew ? 'Deploy' : 'Redeploy');
  const progress = h('ol', { id: 'deploy-progress', class: 'progress', 'data-testid': 'deploy-progress' });
  const deployState = h('div', { id: 'deploy-state', 'data-testid': 'deploy-state', class: 'deploy-state' }, fn.status.state);
  const formError = h('pre', { id: 'form-error', class: 'error', 'data-testid': 'form-error' });
  const panels = h('div', { id: 'panels' });
  const title = h('h1', { id: 'fn-title' }, isNew ? 'New function' : fn.metadata.name);

  root.replaceChildren(h('section', { class: 'card' },
    h('div', { class: 'toolbar' }, title, h('span', { class: 'muted' }, spec.runtime),
      h('a', { href: '#/functions' }, '← functions')),
    h('div', { class: 'grid' }, field('Name', name), field('Project', project), field('Handler', handler), field('HTTP port', port), field('Workers', workers),
      field('CPU limit', cpu), field('Memory limit', memory)),
    field('Environment', env),
    editorHost,
    h('div', { class: 'toolbar' }, deployButton, deployState),
    formError, progress),
  panels);
  const editor = createCodeEditor(editorHost, source, spec.runtime);

  function buildBody(): unknown {
    const envLines = parseKeyValueLines(env.value, '=');
    if (envLines.bad.length) throw new Error(`Environment lines need KEY=value: ${envLines.bad.join(', ')}`);
    const triggers = { ...(spec.triggers ?? {}) };
    const [triggerName, trigger] = httpTrigger ?? ['http', { kind: 'http', attributes: {} }];
    const attributes = { ...(trigger.attributes ?? {}) };
    if (port.value) attributes.port = Number(port.value); else delete attributes.port;
    triggers[triggerName] = { ...trigger, maxWorkers: Number(workers.value) || 1, attributes };
    const limits = { ...(cpu.value.trim() ? { cpu: cpu.value.trim() } : {}), ...(memory.value.trim() ? { memory: memory.value.trim() } : {}) };
    const newSpec: FunctionSpec = {
      ...spec,
      handler: handler.value.trim(),
      build: { ...(spec.build ?? {}), functionSourceCode: encodeBase64Utf8(editor.getText()) },
      triggers,
      env: envLines.pairs.map(([k, v]) => ({ name: k, value: v })),
    };
    if (Object.keys(limits).length) newSpec.resources = { ...(spec.resources ?? {}), limits };
    else delete newSpec.resources;
    return { metadata: { name: name.value.trim(), labels: { ...(fn.metadata.labels ?? {}), [PROJECT_LABEL]: project.value.trim() || 'default' } }, spec: newSpec };
  }

  async function followDeployment(fnName: string): Promise<void> {
    progress.replaceChildren();
    deployState.textContent = 'deploying';
    deployState.className = 'deploy-state state-deploying';
    await readEventStream(`/api/functions/${encodeURIComponent(fnName)}/deployment`, (e) => {
      const data = safeJson(e.data) as { message?: string; at?: string; error?: string; status?: { state?: string; url?: string } };
      if (e.event === 'progress') {
        progress.append(h('li', {}, h('span', { class: 'muted' }, (data.at ?? '').slice(11, 19), ' '), data.message ?? e.data));
      } else if (e.event === 'done') {
        deployState.textContent = data.status?.state ?? 'ready';
        deployState.className = `deploy-state state-${data.status?.state ?? 'ready'}`;
        if (data.status?.url) progress.append(h('li', {}, `ready at ${data.status.url}`));
      } else if (e.event === 'failed') {
        deployState.textContent = 'failed';
        deployState.className = 'deploy-state state-error';
        formError.textContent = `Deploy failed: ${data.error ?? e.data}`;
      }
    }, signal);
  }

  deployButton.addEventListener('click', async () => {
    formError.textContent = '';
    deployButton.disabled = true;
    try {
      const body = buildBody() as { metadata: { name: string } };
      const fnName = body.metadata.name;
      if (isNew) await apiJson('/api/functions', { method: 'POST', json: body });
      else await apiJson(`/api/functions/${encodeURIComponent(fnName)}`, { method: 'PUT', json: body });
      if (isNew) history.replaceState(null, '', `#/function/${encodeURIComponent(fnName)}`);
      await followDeployment(fnName);
      if (isNew) { isNew = false; title.textContent = fnName; name.readOnly = true; project.readOnly = true; deployButton.textContent = 'Redeploy'; }
      showPanels(fnName);
    } catch (err) {
      if (!signal.aborted) formError.textContent = (err as Error).message;
    } finally {
      deployButton.disabled = false;
    }
  });

  let panelsShown = false;
  function showPanels(fnName: string): void {
    if (panelsShown) return;
    panelsShown = true;
    panels.append(invokePanel(fnName), metricsPanel(fnName, signal), logsPanel(fnName, signal), deletePanel(fnName));
  }
  if (!isNew) {
    showPanels(fn.metadata.name);
    if (fn.status.deploy?.state === 'running') void followDeployment(fn.metadata.name).catch((err: Error) => { formError.textContent = err.message; });
    else if (fn.status.deploy?.state === 'failed') formError.textContent = `Last deploy failed: ${fn.status.deploy.error ?? ''}`;
  }
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return {}; }
}

function invokePanel(fnName: string): HTMLElement {
  const method = h('select', { id: 'invoke-method', 'data-testid': 'invoke-method' }, ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => h('option', { value: m }, m)));
  method.value = 'POST';
  const path = h('input', { id: 'invoke-path', value: '/', 'data-testid': 'invoke-path' });
  const logLevel = h('select', { id: 'invoke-log-level' }, ...['debug', 'info', 'warn', 'error'].map((l) => h('option', { value: l, selected: l === 'info' }, l)));
  const headers = h('textarea', { id: 'invoke-headers', rows: 2, placeholder: 'content-type: application/json' });
  const body = h('textarea', { id: 'invoke-body', rows: 4, 'data-testid': 'invoke-body' });
  const send = h('button', { type: 'button', id: 'invoke-send', 'data-testid': 'invoke-send' }, 'Invoke');
  const status = h('div', { id: 'invoke-status', 'data-testid': 'invoke-status' });
  const replyHeaders = h('pre', { id: 'invoke-reply-headers', class: 'small' });
  const replyBody = h('pre', { id: 'invoke-reply-body', 'data-testid': 'invoke-reply-body' });
  const replyLogs = h('ul', { id: 'invoke-logs', class: 'logs', 'data-testid': 'invoke-logs' });
  send.addEventListener('click', async () => {
    status.textContent = '…';
    replyBody.textContent = '';
    replyHeaders.textContent = '';
    replyLogs.replaceChildren();
    const parsed = parseKeyValueLines(headers.value, ':');
    if (parsed.bad.length) { status.textContent = `Header lines need "name: value": ${parsed.bad.join(', ')}`; return; }
    const requestHeaders = new Headers(parsed.pairs);
    requestHeaders.set('x-nuclio-function-name', fnName);
    requestHeaders.set('x-nuclio-path', path.value || '/');
    requestHeaders.set('x-nuclio-log-level', logLevel.value);
    const started = performance.now();
    try {
      const response = await apiRaw('/api/function_invocations', {
        method: method.value,
        headers: requestHeaders,
        ...(method.value === 'GET' ? {} : { body: body.value }),
      });
      const text = await response.text();
      status.textContent = `${response.status} ${response.statusText} · ${Math.round(performance.now() - started)} ms`;
      status.className = response.ok ? 'ok' : 'error';
      replyHeaders.textContent = [...response.headers].filter(([k]) => k !== 'x-nuclio-logs').map(([k, v]) => `${k}: ${v}`).join('\n');
      replyBody.textContent = text;
      const logs = safeJsonArray(response.headers.get('x-nuclio-logs'));
      replyLogs.replaceChildren(...logs.map((line) => logLine(line)));
    } catch (err) {
      status.textContent = (err as Error).message;
      status.className = 'error';
    }
  });
  return h('section', { class: 'card', id: 'invoke-panel' }, h('h2', {}, 'Invoke'),
    h('div', { class: 'grid' }, field('Method', method), field('Path', path), field('Log level', logLevel)),
    field('Headers', headers), field('Body', body), send, status,
    h('h3', {}, 'Reply'), replyBody, h('details', {}, h('summary', {}, 'headers'), replyHeaders),
    h('h3', {}, 'Log lines'), replyLogs);
}

function safeJsonArray(text: string | null): unknown[] {
  if (!text) return [];
  const value = safeJson(text);
  return Array.isArray(value) ? value : [];
}

/** One log line: a `{time, level, message, fields}` record (invoke) or a processor JSON line (`msg` and top-level fields). */
function logLine(line: unknown): HTMLElement {
  const record = (line && typeof line === 'object' ? line : { message: String(line) }) as Record<string, unknown>;
  const { time, level, message, msg, fields, ...rest } = record;
  const extra = { ...(fields && typeof fields === 'object' ? fields : {}), ...rest };
  const text = `${String(message ?? msg ?? '')}${Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : ''}`;
  return h('li', { class: `level-${String(level ?? 'info')}` }, h('span', { class: 'muted' }, `${String(time ?? '').slice(11, 23)} ${String(level ?? '')} `), text);
}

function metricsPanel(fnName: string, signal: AbortSignal): HTMLElement {
  const rate = lineChart('invocations/s', 'chart-invocations', (v) => v.toFixed(2));
  const errors = lineChart('errors (total)', 'chart-errors', (v) => String(Math.round(v)));
  const latency = lineChart('mean latency (ms)', 'chart-latency', (v) => v.toFixed(1));
  const note = h('p', { class: 'muted', id: 'metrics-note', 'data-testid': 'metrics-note' }, 'waiting for the first sample');
  let previous: Metrics | undefined;
  async function poll(): Promise<void> {
    if (signal.aborted) return;
    try {
      const m = await apiJson<Metrics>(`/api/functions/${encodeURIComponent(fnName)}/metrics`, { signal });
      if (previous) {
        const seconds = Math.max((Date.parse(m.at) - Date.parse(previous.at)) / 1000, 1e-3);
        rate.push(Math.max(m.invocations - previous.invocations, 0) / seconds);
        const count = m.latency.count - previous.latency.count;
        latency.push(count > 0 ? ((m.latency.sumSeconds - previous.latency.sumSeconds) / count) * 1000 : 0);
      } else {
        rate.push(0);
        latency.push(m.latency.count ? (m.latency.sumSeconds / m.latency.count) * 1000 : 0);
      }
      errors.push(m.errors);
      previous = m;
      note.textContent = `${m.invocations} invocations, ${m.errors} errors, ${m.inFlight} in flight${m.latency.p99Seconds !== undefined ? `, p99 ${(m.latency.p99Seconds * 1000).toFixed(1)} ms` : ''}`;
    } catch (err) {
      if (!signal.aborted) note.textContent = `metrics: ${(err as Error).message}`;
    }
    if (!signal.aborted) setTimeout(() => void poll(), 2000);
  }
  void poll();
  return h('section', { class: 'card', id: 'metrics-panel' }, h('h2', {}, 'Metrics'), h('div', { class: 'charts' }, rate.element, errors.element, latency.element), note);
}

function logsPanel(fnName: string, signal: AbortSignal): HTMLElement {
  const list = h('ul', { id: 'logs-list', class: 'logs scroll', 'data-testid': 'logs-list' });
  const note = h('p', { class: 'muted', id: 'logs-note' }, 'following…');
  void readEventStream(`/api/functions/${encodeURIComponent(fnName)}/logs?follow=1`, (e) => {
    if (e.event !== 'line') return;
    list.append(logLine(safeJson(e.data) ?? e.data));
    while (list.childElementCount > 500) list.firstElementChild?.remove();
    list.scrollTop = list.scrollHeight;
  }, signal).then(() => { note.textContent = 'log stream ended'; }, (err: Error) => { if (!signal.aborted) note.textContent = `logs: ${err.message}`; });
  return h('section', { class: 'card', id: 'logs-panel' }, h('h2', {}, 'Logs'), note, list);
}

function deletePanel(fnName: string): HTMLElement {
  const message = h('span', { class: 'error', id: 'delete-error' });
  const button = h('button', { type: 'button', class: 'danger', id: 'delete-function', 'data-testid': 'delete-function' }, 'Delete function');
  button.addEventListener('click', async () => {
    if (!confirm(`Delete the function "${fnName}"? Its source kept by the dashboard goes too.`)) return;
    try {
      await apiJson(`/api/functions/${encodeURIComponent(fnName)}`, { method: 'DELETE' });
      location.hash = '#/functions';
    } catch (err) {
      message.textContent = (err as Error).message;
    }
  });
  return h('section', { class: 'card', id: 'delete-panel' }, button, message);
}
