// LowCodeTokens viewer: loads a page through /apps/{app}/viewer/... (the HttpOnly sign-in cookie authenticates it)
// and renders its widgets, actions and console. Every value is written with textContent or attributes: never as HTML.
'use strict';
(() => {
  const MAX_ROWS = 2000;
  const [, , rawApp, , rawPage] = location.pathname.split('/');
  const app = decodeURIComponent(rawApp || '');
  const page = decodeURIComponent(rawPage || '');
  const api = `/apps/${encodeURIComponent(app)}/viewer`;
  const $ = (id) => document.getElementById(id);

  let sessionId = null;
  let rendered = new Map(); // widget name -> JSON of its last rendered properties

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function show(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  function ms(value) {
    if (typeof value !== 'number') return '';
    return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
  }

  async function post(path, body) {
    const response = await fetch(api + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    let json = null;
    try { json = await response.json(); } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      const detail = json && (json.detail || json.title);
      const error = new Error(detail || `HTTP ${response.status}`);
      error.status = response.status;
      error.title = json && json.title;
      error.signIn = json && typeof json.signIn === 'string' && json.signIn.startsWith('/') ? json.signIn : null;
      throw error;
    }
    return json;
  }

  // ---- widgets ----

  function widgetErrors(widget) {
    const errors = widget && widget.errors;
    if (!errors || typeof errors !== 'object') return null;
    const list = el('ul', 'errors');
    for (const [prop, message] of Object.entries(errors)) {
      list.append(el('li', null, el('code', null, prop), ' ', show(message)));
    }
    return list.childElementCount ? list : null;
  }

  function renderTable(widget) {
    const data = widget.tableData;
    const body = el('div', 'table-body');
    if (data === null || data === undefined) {
      body.append(el('p', 'empty', 'No data'));
      return { body, meta: '' };
    }
    if (!Array.isArray(data)) {
      body.append(el('p', 'error-text', 'tableData is not an array: '), el('pre', 'raw', show(data)));
      return { body, meta: '' };
    }
    const rows = data.slice(0, MAX_ROWS);
    const columns = [];
    const seen = new Set();
    const objects = rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
    if (objects) {
      for (const row of rows) for (const key of Object.keys(row)) if (!seen.has(key)) { seen.add(key); columns.push(key); }
    } else {
      columns.push('value');
    }
    if (rows.length === 0) {
      body.append(el('p', 'empty', 'No rows'));
      return { body, meta: '0 rows' };
    }
    const table = el('table', 'grid');
    const headRow = el('tr', null, el('th', 'rownum', '#'));
    for (const c of columns) headRow.append(el('th', null, c));
    table.append(el('thead', null, headRow));
    const tbody = el('tbody');
    rows.forEach((row, i) => {
      const tr = el('tr', null, el('td', 'rownum', String(i + 1)));
      for (const c of columns) {
        const value = objects ? row[c] : row;
        const text = show(value);
        const td = el('td', typeof value === 'number' ? 'num' : (value === null || value === undefined ? 'null' : null), text);
        if (text.length > 40) td.title = text;
        tr.append(td);
      }
      tbody.append(tr);
    });
    table.append(tbody);
    body.append(el('div', 'scroll', table));
    const meta = data.length > rows.length ? `${rows.length} of ${data.length} rows` : `${data.length} row${data.length === 1 ? '' : 's'}`;
    return { body, meta };
  }

  function renderWidget(name, widget) {
    const type = widget && widget.type;
    const card = el('section', `widget widget-${type || 'unknown'}`);
    card.dataset.widget = name;
    const header = el('header', 'widget-head', el('span', 'widget-name', name), el('span', 'widget-type', type || '?'));
    card.append(header);
    if (type === 'table') {
      const { body, meta } = renderTable(widget);
      if (meta) header.append(el('span', 'widget-meta', meta));
      card.append(body);
    } else if (type === 'text') {
      card.append(el('p', 'text-value', show(widget.text)));
    } else if (type === 'button') {
      const button = el('button', 'primary', show(widget.label) || name);
      button.type = 'button';
      if (!widget.onClick) button.disabled = true;
      button.addEventListener('click', () => runEvent(name, 'onClick', card, button));
      card.append(el('div', 'button-row', button, el('span', 'run-status')));
    } else {
      card.append(el('pre', 'raw', JSON.stringify(widget, null, 2)));
    }
    const errors = widgetErrors(widget);
    if (errors) card.append(errors);
    return card;
  }

  function renderWidgets(widgets, { highlight }) {
    const container = $('widgets');
    const names = Object.keys(widgets || {});
    if (names.length === 0 && rendered.size === 0) container.replaceChildren(el('p', 'empty', 'This page has no widgets.'));
    const next = new Map();
    for (const name of names) {
      const json = JSON.stringify(widgets[name]);
      next.set(name, json);
      const existing = container.querySelector(`[data-widget="${CSS.escape(name)}"]`);
      if (existing && rendered.get(name) === json) continue; // unchanged: keep the DOM (and its scroll position)
      const card = renderWidget(name, widgets[name]);
      if (existing) {
        existing.replaceWith(card);
        if (highlight) card.classList.add('changed');
      } else {
        container.append(card);
      }
    }
    rendered = next;
  }

  // ---- actions and console ----

  function actionRow(action) {
    const ok = action.status === 'success';
    const row = el('li', `action ${ok ? 'ok' : 'failed'}`);
    row.dataset.action = action.name;
    row.append(
      el('span', 'action-name', action.name),
      el('span', 'action-kind', action.kind || ''),
      el('span', 'action-layer', action.layer === null || action.layer === undefined ? 'called' : `layer ${action.layer}`),
      el('span', `pill ${ok ? 'pill-ok' : 'pill-error'}`, action.status),
      el('span', 'action-ms', ms(action.durationMs)),
    );
    if (action.error) row.append(el('div', 'action-error', action.error));
    return row;
  }

  function addActions(title, actions, runError) {
    const group = el('div', 'action-group');
    group.append(el('h3', null, title));
    const sorted = [...(actions || [])].sort((a, b) => (a.layer ?? 1e9) - (b.layer ?? 1e9) || a.name.localeCompare(b.name));
    const list = el('ol', 'actions');
    for (const action of sorted) list.append(actionRow(action));
    if (sorted.length) group.append(list);
    else if (!runError) group.append(el('p', 'empty', 'No actions ran.'));
    if (runError) group.append(el('div', 'action-error', `${runError.name || runError.kind}: ${runError.message}`));
    $('actions').prepend(group);
  }

  function addLogs(logs) {
    const list = $('console');
    for (const log of logs || []) {
      list.append(el('li', `log log-${log.level}`,
        el('span', 'log-level', log.level), el('span', 'log-source', log.source || ''), el('span', 'log-text', log.text)));
    }
    if (!list.childElementCount) list.append(el('li', 'empty log-empty', 'No console output.'));
    else list.querySelector('.log-empty')?.remove();
    list.scrollTop = list.scrollHeight;
  }

  // ---- flow ----

  function banner(message, link) {
    const b = $('banner');
    b.replaceChildren(message);
    if (link) { b.append(' '); const a = el('a', null, link.text); a.href = link.href; b.append(a); }
    b.hidden = false;
  }

  function failed(error) {
    // A signed-in user whose sign-in has ended (their refresh token was rejected) goes through sign-in again.
    if (error.status === 401 && error.signIn) location.assign(error.signIn);
    else if (error.status === 401) banner('Your viewer sign-in has expired.', { text: 'Sign in again', href: location.pathname });
    else if (error.status === 404 && error.title === 'Session not found.') banner(error.message, { text: 'Reload', href: location.pathname });
    else banner(`${error.title || 'Request failed'}: ${error.message}`);
  }

  async function load() {
    $('status').textContent = 'Loading…';
    $('banner').hidden = true;
    $('reload').disabled = true;
    const started = performance.now();
    try {
      const result = await post(`/pages/${encodeURIComponent(page)}/load`, {});
      sessionId = result.sessionId;
      if (result.user) { $('user').textContent = result.user; $('user').hidden = false; $('signout').hidden = false; }
      rendered = new Map();
      $('widgets').replaceChildren();
      $('actions').replaceChildren();
      $('console').replaceChildren();
      renderWidgets(result.widgets, { highlight: false });
      addActions('Page load', result.actions);
      addLogs(result.logs);
      const failures = (result.actions || []).filter((a) => a.status !== 'success').length;
      $('status').textContent = `Loaded in ${ms(performance.now() - started)}` + (failures ? ` · ${failures} failed` : '');
      document.body.dataset.state = 'loaded';
    } catch (error) {
      $('status').textContent = 'Not loaded';
      document.body.dataset.state = 'failed';
      failed(error);
    } finally {
      $('reload').disabled = false;
    }
  }

  async function runEvent(widget, event, card, button) {
    if (!sessionId) return;
    const status = card.querySelector('.run-status');
    card.querySelector('.errors.run')?.remove();
    button.disabled = true;
    status.textContent = 'Running…';
    document.body.dataset.state = 'running';
    try {
      const result = await post(`/sessions/${encodeURIComponent(sessionId)}/run`, { action: `${widget}.${event}` });
      addActions(`${widget}.${event}`, result.actions, result.error);
      addLogs(result.logs);
      renderWidgets(result.widgets, { highlight: true });
      const current = $('widgets').querySelector(`[data-widget="${CSS.escape(widget)}"]`) || card;
      const currentStatus = current.querySelector('.run-status');
      if (result.error) {
        current.append(el('ul', 'errors run', el('li', null, el('code', null, event), ' ', `${result.error.name || result.error.kind}: ${result.error.message}`)));
        if (currentStatus) currentStatus.textContent = 'Failed';
      } else if (currentStatus) {
        currentStatus.textContent = 'Done';
      }
    } catch (error) {
      status.textContent = 'Failed';
      failed(error);
    } finally {
      button.disabled = false;
      document.body.dataset.state = 'loaded';
    }
  }

  // Sign-out answers where to go next: the identity provider's end-session page, or this app's signed-out page.
  async function signOut() {
    $('signout').disabled = true;
    try {
      const result = await post('/signout', {});
      location.assign(result.location);
    } catch (error) {
      $('signout').disabled = false;
      failed(error);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('app-name').textContent = app;
    $('page-name').textContent = page;
    document.title = `${page} · ${app}`;
    $('reload').addEventListener('click', load);
    $('signout').addEventListener('click', signOut);
    load();
  });
})();
