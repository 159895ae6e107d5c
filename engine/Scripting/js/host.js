'use strict';
// The script host's main thread: newline-delimited JSON-RPC 2.0 over stdio with the .NET engine, one
// worker thread per app, and the watchdog that stops a worker whose scripts run past the time limit.
const { Worker } = require('worker_threads');
const path = require('path');
const readline = require('readline');
const { analyzeModule, analyzeExpression } = require('./analyze.js');

const TIME_LIMIT_MS = Number(process.env.LOWCODE_TIME_LIMIT_MS) || 5000;
const MEMORY_LIMIT_MB = Number(process.env.LOWCODE_MEMORY_LIMIT_MB) || 64;
const WATCHDOG_INTERVAL_MS = 20;

// Error codes the engine understands (JSON-RPC server-defined range).
const CODES = {
  SCRIPT_ERROR: -32000, SESSION_UNKNOWN: -32001, TIMEOUT: -32010, MEMORY: -32011, WORKER_RESTARTED: -32012, ANALYSIS: -32020,
};

const apps = new Map(); // app → { worker, busy, inflight: Map rpcId → true, reason }
let nextCallbackId = 1;
let nextWorkerId = 1;
const callbacks = new Map(); // host→engine request id → { app, ticket }

function send(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}
function reply(id, result) {
  send({ jsonrpc: '2.0', id, result });
}
function replyError(id, code, message, data) {
  send({ jsonrpc: '2.0', id, error: { code, message, data } });
}

function startWorker(app, limits) {
  const busy = new SharedArrayBuffer(8);
  const worker = new Worker(path.join(__dirname, 'worker.js'), {
    workerData: { app, busy },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(16, limits.memoryMb), stackSizeMb: 4 },
    stdout: true,
    stderr: true,
  });
  const entry = { id: nextWorkerId++, app, worker, busy: new Float64Array(busy), inflight: new Map(), reason: null, limits, alive: true };
  worker.on('message', (msg) => onWorkerMessage(entry, msg));
  worker.on('error', (err) => {
    if (!entry.reason) entry.reason = err && err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : `crash: ${err && err.message}`;
  });
  worker.on('exit', () => onWorkerExit(entry));
  apps.set(app, entry);
  return entry;
}

function workerFor(app, params) {
  let entry = apps.get(app);
  if (!entry || !entry.alive) {
    entry = startWorker(app, {
      timeMs: Number(params.timeLimitMs) || TIME_LIMIT_MS,
      memoryMb: Number(params.memoryLimitMb) || MEMORY_LIMIT_MB,
    });
  }
  return entry;
}

function onWorkerExit(entry) {
  entry.alive = false;
  if (apps.get(entry.app) === entry) apps.delete(entry.app);
  const reason = entry.reason || 'exited';
  let code = CODES.WORKER_RESTARTED;
  let message = `The script worker of app '${entry.app}' stopped (${reason}); retry the call.`;
  if (reason === 'timeout') {
    code = CODES.TIMEOUT;
    message = `Script time limit of ${entry.limits.timeMs} ms exceeded in app '${entry.app}' (a loop that never yields?); the app's scripts were restarted.`;
  } else if (reason === 'memory') {
    code = CODES.MEMORY;
    message = `Script memory limit of ${entry.limits.memoryMb} MB exceeded in app '${entry.app}'; the app's scripts were restarted.`;
  }
  for (const id of entry.inflight.keys()) replyError(id, code, message, { app: entry.app, retriable: code === CODES.WORKER_RESTARTED, incident: `worker ${entry.id}`, reason });
  entry.inflight.clear();
  for (const [id, cb] of callbacks) if (cb.app === entry.app) callbacks.delete(id);
}

function onWorkerMessage(entry, msg) {
  if (msg.type === 'result') {
    if (!entry.inflight.delete(msg.rpcId)) return;
    if (msg.ok) {
      reply(msg.rpcId, { value: msg.value, logs: msg.logs, writes: msg.writes });
    } else {
      let err;
      try { err = JSON.parse(msg.error); } catch { err = { message: String(msg.error) }; }
      const code = msg.code === 'SESSION_UNKNOWN' ? CODES.SESSION_UNKNOWN : CODES.SCRIPT_ERROR;
      replyError(msg.rpcId, code, err.message, { error: err, logs: msg.logs, writes: msg.writes });
    }
  } else if (msg.type === 'callback') {
    const id = `cb${nextCallbackId++}`;
    callbacks.set(id, { app: entry.app, ticket: msg.ticket });
    send({
      jsonrpc: '2.0', id, method: 'callback',
      params: { app: entry.app, session: msg.session, ctx: msg.ctx, op: msg.op, payload: msg.payload, writes: msg.writes },
    });
  }
}

// Answers from the engine to our callback requests go back to the worker that asked.
function onEngineResponse(msg) {
  const cb = callbacks.get(msg.id);
  if (!cb) return;
  callbacks.delete(msg.id);
  const entry = apps.get(cb.app);
  if (!entry || !entry.alive) return;
  if (msg.error) {
    entry.worker.postMessage({ type: 'settle', ticket: cb.ticket, ok: false, text: String(msg.error.message) });
  } else {
    const r = msg.result || {};
    entry.worker.postMessage({ type: 'settle', ticket: cb.ticket, ok: r.ok !== false, text: r.ok === false ? String(r.error) : String(r.value ?? ''), store: r.store });
  }
}

function toWorker(id, params, type) {
  const entry = workerFor(String(params.app), params);
  entry.inflight.set(id, true);
  entry.worker.postMessage({ ...params, type, rpcId: id });
}

function analyze(id, params) {
  const result = {};
  if (typeof params.code === 'string') {
    try {
      const { members } = analyzeModule(params.code);
      result.module = { members };
    } catch (e) {
      result.module = { error: { message: String(e.message), line: e.line || 1, column: e.column || 1 } };
    }
  }
  if (Array.isArray(params.exprs)) {
    result.exprs = params.exprs.map((expr) => {
      try {
        return analyzeExpression(String(expr));
      } catch (e) {
        return { error: { message: String(e.message), line: e.line || 1, column: e.column || 1 } };
      }
    });
  }
  reply(id, result);
}

function onEngineRequest(msg) {
  const { id, method } = msg;
  const params = msg.params || {};
  switch (method) {
    case 'echo': reply(id, params); break;
    case 'analyze': analyze(id, params); break;
    case 'open': toWorker(id, params, 'open'); break;
    case 'close': {
      const entry = apps.get(String(params.app));
      if (!entry) { reply(id, { value: 'null' }); break; }
      toWorker(id, params, 'close');
      break;
    }
    case 'invoke': toWorker(id, params, 'invoke'); break;
    case 'evaluate': toWorker(id, params, 'evaluate'); break;
    case 'stats': {
      const mem = process.memoryUsage();
      reply(id, { rss: mem.rss, heapUsed: mem.heapUsed, apps: apps.size, pid: process.pid });
      break;
    }
    case 'terminateApp': {
      const entry = apps.get(String(params.app));
      if (entry) { entry.reason = 'terminated'; entry.worker.terminate(); }
      reply(id, { value: 'null' });
      break;
    }
    default: replyError(id, -32601, `unknown method ${method}`);
  }
}

setInterval(() => {
  const now = Date.now();
  for (const entry of apps.values()) {
    const since = entry.busy[0];
    if (entry.alive && since !== 0 && now - since > entry.limits.timeMs && !entry.reason) {
      entry.reason = 'timeout';
      entry.worker.terminate();
    }
  }
}, WATCHDOG_INTERVAL_MS);

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line) return;
  let msg;
  try { msg = JSON.parse(line); } catch { replyError(null, -32700, 'parse error'); return; }
  try {
    if (msg.method !== undefined) onEngineRequest(msg);
    else onEngineResponse(msg);
  } catch (e) {
    if (msg.id !== undefined && msg.method !== undefined) replyError(msg.id, -32603, `internal error: ${e.message}`);
  }
});
rl.on('close', () => process.exit(0));
