'use strict';
// One worker thread per app. It owns that app's sessions; each session has one vm context per entity
// (the page, and each module instance). Only strings and numbers cross between this realm and a context.
const { parentPort, workerData } = require('worker_threads');
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const { analyzeModule } = require('./analyze.js');

const BOOTSTRAP = new vm.Script(fs.readFileSync(path.join(__dirname, 'bootstrap.js'), 'utf8'), { filename: 'lowcode:bootstrap' });
const busy = new Float64Array(workerData.busy);
const MAX_LOG_ENTRIES = 500;
const MAX_LOG_TEXT = 4000;
const MAX_TIMERS = 1000;

const sessions = new Map();
const scriptCache = new Map(); // source → vm.Script, so each module is parsed and compiled once per worker
const tickets = new Map(); // ticket → { session, ctxName }
let nextTicket = 1;
const timers = new Map(); // id → { session, ctxName, handle }
let nextTimer = 1;

// The watchdog on the main thread reads `busy`: set when sandbox code starts running, cleared once the
// worker is back in its event loop (after all microtasks). A runaway loop, before or after an await, never clears it.
function enter() {
  if (busy[0] === 0) {
    busy[0] = Date.now();
    setImmediate(leave);
  }
}
function leave() {
  busy[0] = 0;
}

// A dynamic import() must fail without creating a host-realm error object: throw a primitive.
function refuseImport() {
  // eslint-disable-next-line no-throw-literal
  throw 'import() is not available in scripts: all I/O goes through queries';
}

function compile(source, filename, lineOffset = 0) {
  const key = `${filename}\u0000${source}`;
  let script = scriptCache.get(key);
  if (!script) {
    script = new vm.Script(source, { filename, lineOffset, importModuleDynamically: refuseImport });
    if (scriptCache.size > 2000) scriptCache.clear();
    scriptCache.set(key, script);
  }
  return script;
}

function bindingSource(exprs) {
  return `(function(){"use strict";return [${exprs.map((e) => `function(){return (${e}\n);}`).join(',')}];})()`;
}

function storeJson(session) {
  const merged = new Map(session.store.persisted);
  for (const [k, v] of session.store.local) merged.set(k, v);
  let out = '{';
  let first = true;
  for (const [k, v] of merged) {
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${v}`;
  }
  return `${out}}`;
}

function log(session, level, text, ctxName) {
  if (session.logs.length >= MAX_LOG_ENTRIES) {
    if (session.logs.length === MAX_LOG_ENTRIES) session.logs.push({ level: 'warn', text: 'console output truncated', source: ctxName });
    return;
  }
  const t = String(text);
  session.logs.push({ level, text: t.length > MAX_LOG_TEXT ? `${t.slice(0, MAX_LOG_TEXT)}…` : t, source: ctxName });
}

function makeBridge(session, ctxName) {
  const store = session.store;
  return function bridge(op, a, b, c) {
    try {
      switch (op) {
        case 'clock': return session.clockOffset;
        case 'clock.fixed': return session.clockFixed;
        case 'store.version': return store.version;
        case 'store.json': return storeJson(session);
        case 'store.set': {
          if (typeof a !== 'string') return 'storeValue: key must be a string';
          if (b === null) { // undefined and functions are dropped: the key is removed
            store.local.delete(a);
            if (c) { store.persisted.delete(a); store.journal.push({ op: 'remove', key: a }); }
          } else if (c) {
            store.persisted.set(a, b);
            store.local.delete(a);
            store.journal.push({ op: 'set', key: a, json: b });
          } else {
            store.local.set(a, b);
          }
          store.version++;
          return '';
        }
        case 'store.remove':
          store.local.delete(String(a));
          store.persisted.delete(String(a));
          store.journal.push({ op: 'remove', key: String(a) });
          store.version++;
          return '';
        case 'store.clear':
          store.local.clear();
          store.persisted.clear();
          store.journal.push({ op: 'clear' });
          store.version++;
          return '';
        case 'log':
          log(session, String(a), b, ctxName);
          return '';
        case 'timer.set': {
          if (session.timerCount >= MAX_TIMERS) return `setTimeout: more than ${MAX_TIMERS} pending timers`;
          const id = nextTimer++;
          session.timerCount++;
          const handle = setTimeout(() => {
            timers.delete(id);
            session.timerCount--;
            const ctx = session.ctxs.get(ctxName);
            if (!ctx) return;
            enter();
            try { ctx.control.fire(id); } catch { /* reported inside */ }
          }, Math.max(0, Math.min(Number(a) || 0, 2 ** 31 - 1)));
          timers.set(id, { session: session.id, handle });
          return id;
        }
        case 'timer.clear': {
          const t = timers.get(a);
          if (t && t.session === session.id) { clearTimeout(t.handle); timers.delete(a); session.timerCount--; }
          return '';
        }
        case 'async': {
          const ticket = nextTicket++;
          tickets.set(ticket, { session: session.id, ctxName });
          parentPort.postMessage({
            type: 'callback', ticket, session: session.id, ctx: ctxName, op: String(a), payload: String(b), writes: drain(store),
          });
          return ticket;
        }
        case 'done': {
          const inv = session.invocations.get(a);
          if (!inv) return '';
          session.invocations.delete(a);
          finishInvocation(session, inv, b, c);
          return '';
        }
        default:
          return `unknown host operation ${op}`;
      }
    } catch (e) {
      return `host operation ${op} failed`;
    }
  };
}

function drain(store) {
  if (store.journal.length === 0) return undefined;
  const writes = store.journal;
  store.journal = [];
  return writes;
}

// Stack frames of the host (bootstrap, worker, node internals) say nothing useful to a builder.
function userStack(errorJson) {
  try {
    const err = JSON.parse(errorJson);
    if (typeof err.stack === 'string') {
      err.stack = err.stack.split('\n').filter((l) => !/lowcode:bootstrap|worker\.js|node:internal|<anonymous>/.test(l)).join('\n');
    }
    return JSON.stringify(err);
  } catch {
    return errorJson;
  }
}

function finishInvocation(session, inv, ok, json) {
  const logs = session.logs;
  session.logs = [];
  const msg = { type: 'result', rpcId: inv.rpcId, ok: Boolean(ok), logs, writes: drain(session.store) };
  if (ok) msg.value = json === null || json === undefined ? 'null' : String(json);
  else msg.error = typeof json === 'string' ? userStack(json) : '{"name":"Error","message":"unknown error"}';
  parentPort.postMessage(msg);
}

function newContext(session, ctxName) {
  const context = vm.createContext(Object.create(null), {
    name: `${session.app}/${session.id}/${ctxName}`,
    codeGeneration: { strings: false, wasm: false },
  });
  const control = BOOTSTRAP.runInContext(context)(makeBridge(session, ctxName), ctxName);
  const ctx = { context, control, bindings: new Map() };
  session.ctxs.set(ctxName, ctx);
  return ctx;
}

function compileBindings(ctx, exprs) {
  const key = exprs.join('\u0000');
  let fns = ctx.bindings.get(key);
  if (!fns) {
    fns = compile(bindingSource(exprs), 'lowcode:bindings').runInContext(ctx.context);
    ctx.bindings.set(key, fns);
  }
  return fns;
}

function defineQueries(ctx, queries) {
  for (const q of queries) {
    const fns = compileBindings(ctx, q.exprs);
    ctx.control.defineQuery(q.name, JSON.stringify(q), fns);
  }
}

// Parsing is the dearest part of opening a session; every session of an app loads the same few sources.
const transformCache = new Map();
function transform(code) {
  let transformed = transformCache.get(code);
  if (transformed === undefined) {
    ({ transformed } = analyzeModule(code));
    if (transformCache.size > 500) transformCache.clear();
    transformCache.set(code, transformed);
  }
  return transformed;
}

function loadObject(ctx, name, code, file) {
  const transformed = transform(code);
  const factory = compile(transformed, file, -1).runInContext(ctx.context);
  const err = ctx.control.loadObject(name, factory);
  if (err !== '') throw new Error(`${file}: ${JSON.parse(err).message}`);
}

function openSession(p) {
  closeSession(p.session);
  const session = {
    id: p.session,
    app: workerData.app,
    ctxs: new Map(),
    store: { persisted: new Map(), local: new Map(), journal: [], version: 1, snapshot: -1 },
    logs: [],
    invocations: new Map(),
    timerCount: 0,
    clockOffset: 0,
    clockFixed: -1,
  };
  sessions.set(session.id, session);
  try {
    for (const m of p.modules || []) {
      const ctx = newContext(session, m.name);
      ctx.control.defineValue('inputs', JSON.stringify(m.inputs || {}));
      defineQueries(ctx, m.queries || []);
      loadObject(ctx, m.name, m.code, `${m.name}/main.js`);
    }
    const page = newContext(session, 'page');
    const pg = p.page || {};
    defineQueries(page, pg.queries || []);
    for (const m of pg.modules || []) page.control.defineModuleProxy(m.name, JSON.stringify(m.functions));
    for (const w of pg.widgets || []) page.control.defineWidget(w.name, w.type);
    for (const o of pg.jsObjects || []) loadObject(page, o.name, o.code, `${o.name}.js`);
  } catch (e) {
    sessions.delete(session.id);
    throw e;
  }
}

function closeSession(id) {
  const session = sessions.get(id);
  if (!session) return;
  sessions.delete(id);
  for (const [tid, t] of timers) {
    if (t.session === id) { clearTimeout(t.handle); timers.delete(tid); }
  }
  for (const [ticket, t] of tickets) if (t.session === id) tickets.delete(ticket);
}

function applySnapshot(session, store) {
  if (!store || store.version === session.store.snapshot) return;
  session.store.persisted = new Map(Object.entries(store.values || {}));
  session.store.snapshot = store.version;
  session.store.version++;
}

function sessionOrFail(msg) {
  const session = sessions.get(msg.session);
  if (!session) {
    parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, code: 'SESSION_UNKNOWN', error: JSON.stringify({ name: 'Error', message: `session ${msg.session} is not open in the script host` }) });
  }
  return session;
}

function invoke(msg) {
  const session = sessionOrFail(msg);
  if (!session) return;
  const ctx = session.ctxs.get(msg.ctx || 'page');
  if (!ctx) {
    parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, error: JSON.stringify({ name: 'Error', message: `unknown script context ${msg.ctx}` }) });
    return;
  }
  applySnapshot(session, msg.store);
  session.clockOffset = Number(msg.clock) || 0;
  session.clockFixed = Number.isFinite(msg.clockFixed) ? msg.clockFixed : -1;
  const invId = msg.rpcId;
  session.invocations.set(invId, { rpcId: msg.rpcId });
  let fn;
  if (msg.expr !== undefined) {
    try {
      [fn] = compileBindings(ctx, [msg.expr]);
    } catch (e) {
      session.invocations.delete(invId);
      parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, error: JSON.stringify({ name: 'SyntaxError', message: String(e.message) }) });
      return;
    }
  }
  enter();
  ctx.control.invoke(invId, JSON.stringify(msg.path || []), msg.args || '[]', fn);
}

function evaluate(msg) {
  const session = sessionOrFail(msg);
  if (!session) return;
  const ctx = session.ctxs.get('page');
  applySnapshot(session, msg.store);
  const exprs = [];
  for (const item of msg.items) {
    for (const seg of item.segments) {
      if (seg.expr !== undefined) { seg.index = exprs.length; exprs.push(seg.expr); }
    }
  }
  let out;
  try {
    const fns = compileBindings(ctx, exprs);
    enter();
    out = ctx.control.evaluateWidgets(JSON.stringify(msg.items), fns);
  } catch (e) {
    parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, error: JSON.stringify({ name: 'Error', message: String(e.message) }) });
    return;
  }
  const logs = session.logs;
  session.logs = [];
  parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: true, value: typeof out === 'string' ? out : '{}', logs, writes: drain(session.store) });
}

parentPort.on('message', (msg) => {
  // Reaching this handler means the sandbox code that ran before it yielded (Node drains microtasks between
  // messages), so a burst of queued work is no runaway loop: restart the clock rather than let the watchdog
  // count the whole burst (1,000 concurrent page loads of one app queue ~1,000 opens and invocations here).
  if (busy[0] !== 0) busy[0] = Date.now();
  try {
    switch (msg.type) {
      case 'open':
        try {
          openSession(msg);
          parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: true, value: 'null' });
        } catch (e) {
          parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, error: JSON.stringify({ name: e.name || 'Error', message: String(e.message), line: e.line, column: e.column }) });
        }
        break;
      case 'close':
        closeSession(msg.session);
        parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: true, value: 'null' });
        break;
      case 'invoke': invoke(msg); break;
      case 'evaluate': evaluate(msg); break;
      case 'settle': {
        const t = tickets.get(msg.ticket);
        if (!t) break;
        tickets.delete(msg.ticket);
        const session = sessions.get(t.session);
        const ctx = session && session.ctxs.get(t.ctxName);
        if (!ctx) break;
        if (msg.store) applySnapshot(session, msg.store);
        enter();
        ctx.control.settle(msg.ticket, Boolean(msg.ok), String(msg.text));
        break;
      }
      default: break;
    }
  } catch (e) {
    if (msg && msg.rpcId !== undefined) {
      parentPort.postMessage({ type: 'result', rpcId: msg.rpcId, ok: false, error: JSON.stringify({ name: 'Error', message: `script host error: ${e.message}` }) });
    }
  }
});
