// Runs inside every sandbox context (one per session and entity). It receives `bridge`, the only host
// function the context ever sees: it takes and returns primitives and never throws. The bridge stays in
// this closure; user code cannot reach it. Builtins are captured before user code runs, because user code
// may replace them. The returned control object is called by the worker with primitives only.
(function bootstrap(bridge, contextName) {
  'use strict';
  const G = globalThis;
  const ObjectCreate = Object.create;
  const ObjectFreeze = Object.freeze;
  const ObjectKeys = Object.keys;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
  const ObjectDefineProperties = Object.defineProperties;
  const ArrayIsArray = Array.isArray;
  const ReflectApply = Reflect.apply;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const promiseReject = Promise.reject;
  const promiseAll = Promise.all;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const StringFromCharCode = String.fromCharCode;
  const charCodeAt = String.prototype.charCodeAt;
  const stringSplit = String.prototype.split;
  const arrayJoin = Array.prototype.join;
  const arrayMap = Array.prototype.map;

  // The context must not offer shared memory, wasm or stack-trace hooks.
  delete G.SharedArrayBuffer;
  delete G.Atomics;
  delete G.WebAssembly;
  // ArrayBuffer memory lives outside the V8 heap, so the worker's resourceLimits do not bound it (measured:
  // 40 × 100 MB ArrayBuffers were accepted under a 32 MB heap limit). Token code needs no binary data:
  // remove every constructor that allocates it, so that the heap limit bounds all an app can allocate.
  for (const name of ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) delete G[name];
  ObjectDefineProperty(ErrorCtor, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });

  // Time comes from the engine's clock (tests fake it): Date.now() and new Date() add the session's offset.
  const OriginalDate = Date;
  const originalNow = Date.now;
  // A test clock (clock.fixed ≥ 0) stands still during an invocation.
  const clockNow = () => {
    const fixed = call('clock.fixed');
    return typeof fixed === 'number' && fixed >= 0 ? fixed : ReflectApply(originalNow, OriginalDate, []) + (call('clock') || 0);
  };
  OriginalDate.now = function now() { return clockNow(); };
  G.Date = new Proxy(OriginalDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [clockNow()] : args, newTarget);
    },
    apply() {
      return StringCtor(new OriginalDate(clockNow()));
    },
  });

  function call(op, a, b, c) {
    try {
      return bridge(op, a, b, c);
    } catch {
      // Never bind or touch what the host threw.
      throw new ErrorCtor(`internal error in ${op}`);
    }
  }
  const then = (p, ok, fail) => ReflectApply(promiseThen, p, [ok, fail]);
  const resolved = (v) => ReflectApply(promiseResolve, PromiseCtor, [v]);
  const rejected = (e) => ReflectApply(promiseReject, PromiseCtor, [e]);
  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

  function messageOf(e) {
    try {
      if (e !== null && typeof e === 'object' && 'message' in e) return StringCtor(e.message);
      return StringCtor(e);
    } catch {
      return 'an error that cannot be described';
    }
  }
  function errorJson(e) {
    let name = 'Error';
    let stack;
    try { if (e && typeof e.name === 'string') name = e.name; } catch { /* keep default */ }
    try { if (e && typeof e.stack === 'string') stack = e.stack; } catch { /* none */ }
    return JSONstringify({ name, message: messageOf(e), stack });
  }
  // JSON text of a value, or undefined for undefined/functions/symbols.
  function toJson(v) {
    return JSONstringify(v);
  }

  // ---------- store ----------
  let storeCache = null;
  let storeCacheVersion = -1;
  const appsmith = ObjectCreate(null);
  ObjectDefineProperty(appsmith, 'store', {
    enumerable: true,
    get() {
      const version = call('store.version');
      if (version !== storeCacheVersion || storeCache === null) {
        const text = call('store.json');
        storeCache = ObjectFreeze(JSONparse(typeof text === 'string' ? text : '{}'));
        storeCacheVersion = version;
      }
      return storeCache;
    },
  });
  G.appsmith = appsmith;

  function checkKey(fn, key) {
    if (typeof key !== 'string' || key.length === 0) throw new TypeErrorCtor(`${fn}(key, ...): key must be a non-empty string`);
  }
  G.storeValue = function storeValue(key, value, persist = true) {
    checkKey('storeValue', key);
    let json;
    try { json = toJson(value); } catch (e) { throw new TypeErrorCtor(`storeValue('${key}'): the value is not JSON-serializable: ${messageOf(e)}`); }
    const r = call('store.set', key, json === undefined ? null : json, persist !== false);
    if (r !== '') throw new ErrorCtor(StringCtor(r));
    return resolved({});
  };
  G.removeValue = function removeValue(key) {
    checkKey('removeValue', key);
    call('store.remove', key);
    return resolved({});
  };
  G.clearStore = function clearStore() {
    call('store.clear');
    return resolved({});
  };

  // ---------- console ----------
  function formatArg(a) {
    if (typeof a === 'string') return a;
    if (a instanceof ErrorCtor) return `${messageOf(a)}`;
    try {
      const j = toJson(a);
      return j === undefined ? StringCtor(a) : j;
    } catch {
      return StringCtor(a);
    }
  }
  const consoleObj = ObjectCreate(null);
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    consoleObj[level] = function (...args) {
      call('log', level === 'debug' ? 'log' : level, ReflectApply(arrayJoin, ReflectApply(arrayMap, args, [formatArg]), [' ']));
    };
  }
  G.console = ObjectFreeze(consoleObj);

  // ---------- atob / btoa / jwt ----------
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const B64_INDEX = ObjectCreate(null);
  for (let i = 0; i < 64; i++) B64_INDEX[B64[i]] = i;
  B64_INDEX['-'] = 62;
  B64_INDEX._ = 63;

  // Like the browser's atob, but also accepts the base64url alphabet and missing padding.
  G.atob = function atob(input) {
    const s = StringCtor(input);
    let out = '';
    let buffer = 0;
    let bits = 0;
    let end = s.length;
    while (end > 0 && s[end - 1] === '=') end--;
    if (s.length - end > 2) throw new ErrorCtor('atob: too much padding');
    for (let i = 0; i < end; i++) {
      const ch = s[i];
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
      const v = B64_INDEX[ch];
      if (v === undefined) throw new ErrorCtor(`atob: invalid base64 character '${ch}' at position ${i}`);
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += StringFromCharCode((buffer >> bits) & 0xff);
      }
    }
    if (bits >= 6) throw new ErrorCtor('atob: the input length is not valid base64');
    return out;
  };
  G.btoa = function btoa(input) {
    const s = StringCtor(input);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = ReflectApply(charCodeAt, s, [i]);
      const b = i + 1 < s.length ? ReflectApply(charCodeAt, s, [i + 1]) : 0;
      const c = i + 2 < s.length ? ReflectApply(charCodeAt, s, [i + 2]) : 0;
      if (a > 255 || b > 255 || c > 255) throw new ErrorCtor('btoa: the string contains characters outside of Latin1');
      const n = (a << 16) | (b << 8) | c;
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < s.length ? B64[(n >> 6) & 63] : '=';
      out += i + 2 < s.length ? B64[n & 63] : '=';
    }
    return out;
  };
  // UTF-8 bytes (as a binary string) to text.
  function utf8(binary) {
    let out = '';
    for (let i = 0; i < binary.length;) {
      const c = ReflectApply(charCodeAt, binary, [i]);
      let cp;
      let n;
      if (c < 0x80) { cp = c; n = 1; } else if (c >= 0xc0 && c < 0xe0) { cp = c & 0x1f; n = 2; } else if (c >= 0xe0 && c < 0xf0) { cp = c & 0x0f; n = 3; } else if (c >= 0xf0 && c < 0xf8) { cp = c & 0x07; n = 4; } else throw new ErrorCtor('invalid UTF-8');
      if (i + n > binary.length) throw new ErrorCtor('truncated UTF-8');
      for (let k = 1; k < n; k++) cp = (cp << 6) | (ReflectApply(charCodeAt, binary, [i + k]) & 0x3f);
      out += cp > 0xffff ? StringFromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)) : StringFromCharCode(cp);
      i += n;
    }
    return out;
  }
  function decodeSegment(segment, which) {
    let text;
    try { text = utf8(G.atob(segment)); } catch (e) { throw new ErrorCtor(`jwt.decode: the ${which} segment is not valid base64url (${messageOf(e)})`); }
    let value;
    try { value = JSONparse(text); } catch (e) { throw new ErrorCtor(`jwt.decode: the ${which} segment is not JSON (${messageOf(e)})`); }
    if (value === null || typeof value !== 'object' || ArrayIsArray(value)) throw new ErrorCtor(`jwt.decode: the ${which} segment is not a JSON object`);
    return value;
  }
  const jwt = ObjectCreate(null);
  jwt.decode = function decode(token) {
    if (typeof token !== 'string' || token.length === 0) throw new TypeErrorCtor(`jwt.decode: expected a token string, got ${token === null ? 'null' : typeof token}`);
    const parts = ReflectApply(stringSplit, token, ['.']);
    if (parts.length !== 3) throw new ErrorCtor(`jwt.decode: expected 3 dot-separated segments (header.payload.signature), got ${parts.length}`);
    return { header: decodeSegment(parts[0], 'header'), payload: decodeSegment(parts[1], 'payload') };
  };
  jwt.expiresAt = function expiresAt(token) {
    const { payload } = jwt.decode(token);
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  };
  G.jwt = ObjectFreeze(jwt);

  // ---------- tokens: the expiry chain and refresh point of SPEC §4, so modules do not repeat the arithmetic ----------
  const DEFAULT_LIFETIME_MS = 300 * 1000;
  const MAX_REFRESH_MARGIN_MS = 60 * 1000;
  const NumberIsFinite = Number.isFinite;
  const positiveSeconds = (v) => {
    if (v === undefined || v === null || v === '' || typeof v === 'boolean') return undefined;
    const n = +v;
    return NumberIsFinite(n) && n > 0 ? n : undefined;
  };
  const tokens = ObjectCreate(null);
  // Epoch ms at which the token of a token response expires: expires_in, else the access token's JWT exp,
  // else defaultSeconds, else 5 minutes. `now` (epoch ms) defaults to the engine clock.
  tokens.expiresAt = function expiresAt(body, options) {
    if (body === null || typeof body !== 'object' || ArrayIsArray(body)) {
      throw new TypeErrorCtor(`tokens.expiresAt: expected a token response object, got ${body === null ? 'null' : ArrayIsArray(body) ? 'an array' : typeof body}`);
    }
    const opts = options === null || typeof options !== 'object' ? {} : options;
    const now = opts.now === undefined ? clockNow() : +opts.now;
    if (!NumberIsFinite(now)) throw new TypeErrorCtor('tokens.expiresAt: options.now must be epoch milliseconds');
    const expiresIn = positiveSeconds(body.expires_in);
    if (expiresIn !== undefined) return now + expiresIn * 1000;
    if (typeof body.access_token === 'string') {
      let exp = null;
      try { exp = jwt.expiresAt(body.access_token); } catch { /* an opaque token: no exp to read */ }
      if (exp !== null && NumberIsFinite(exp)) return exp;
    }
    const fallback = positiveSeconds(opts.defaultSeconds);
    return now + (fallback === undefined ? DEFAULT_LIFETIME_MS : fallback * 1000);
  };
  // When to refresh: min(60 s, 25% of the lifetime) before expiry — a 10 s token at 7.5 s, a 1 h token 60 s early.
  tokens.refreshAt = function refreshAt(issuedAtMs, expiresAtMs) {
    const issued = +issuedAtMs;
    const expires = +expiresAtMs;
    if (!NumberIsFinite(issued) || !NumberIsFinite(expires)) throw new TypeErrorCtor('tokens.refreshAt(issuedAtMs, expiresAtMs): both must be epoch milliseconds');
    const lifetime = expires > issued ? expires - issued : 0;
    const margin = lifetime * 0.25 < MAX_REFRESH_MARGIN_MS ? lifetime * 0.25 : MAX_REFRESH_MARGIN_MS;
    return expires - margin;
  };
  G.tokens = ObjectFreeze(tokens);

  // ---------- timers ----------
  const timers = ObjectCreate(null);
  G.setTimeout = function setTimeout(fn, ms, ...args) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('setTimeout: the callback must be a function');
    const id = call('timer.set', +ms || 0);
    if (typeof id !== 'number') throw new ErrorCtor(StringCtor(id));
    timers[id] = { fn, args };
    return id;
  };
  G.clearTimeout = function clearTimeout(id) {
    if (typeof id === 'number' && timers[id]) {
      delete timers[id];
      call('timer.clear', id);
    }
  };

  // ---------- async host calls ----------
  const pending = ObjectCreate(null);
  function hostAsync(op, payload) {
    const ticket = call('async', op, payload);
    if (typeof ticket !== 'number') return rejected(new ErrorCtor(StringCtor(ticket)));
    return new PromiseCtor((resolve, reject) => { pending[ticket] = { resolve, reject }; });
  }

  let widgetMode = false;
  function notInWidget(what) {
    if (widgetMode) throw new ErrorCtor(`${what} cannot run from a widget binding; bind it to an event such as a button's onClick`);
  }

  // ---------- function wrappers: fn.data and `this` ----------
  function wrapFunction(owner, name, fn) {
    const wrapper = function (...args) {
      let result;
      try {
        result = ReflectApply(fn, owner, args);
      } catch (e) {
        wrapper.data = undefined;
        throw e;
      }
      if (isThenable(result)) {
        return then(resolved(result), (v) => { wrapper.data = v; return v; }, (e) => { wrapper.data = undefined; throw e; });
      }
      wrapper.data = result;
      return result;
    };
    ObjectDefineProperty(wrapper, 'name', { value: name });
    wrapper.data = {};
    return wrapper;
  }

  function resolvePath(path) {
    let target = G;
    let owner;
    for (let i = 0; i < path.length; i++) {
      if (target === null || target === undefined) throw new ErrorCtor(`${ReflectApply(arrayJoin, path, ['.'])} is not defined`);
      owner = target;
      target = target[path[i]];
    }
    return { owner, target };
  }

  // ---------- queries ----------
  function freshMeta() {
    return { statusCode: undefined, isExecutionSuccess: false, headers: {} };
  }
  function defineQuery(name, spec, fns) {
    const q = { data: undefined, responseMeta: freshMeta(), isLoading: false };
    function attempt(params, isRerun) {
      const scope = { params };
      const values = [];
      for (let i = 0; i < fns.length; i++) {
        let v;
        try {
          v = ReflectApply(fns[i], scope, []);
        } catch (e) {
          return rejected(new ErrorCtor(`${name}: the binding {{ ${spec.exprs[i]} }} in ${spec.labels[i]} threw: ${messageOf(e)}`));
        }
        let json;
        try { json = toJson(v); } catch (e) {
          return rejected(new ErrorCtor(`${name}: the binding {{ ${spec.exprs[i]} }} in ${spec.labels[i]} is not JSON-serializable: ${messageOf(e)}`));
        }
        values[i] = json === undefined ? null : json;
      }
      q.isLoading = true;
      return then(hostAsync('query', JSONstringify({ query: name, values, rerun: isRerun })), (text) => {
        const res = JSONparse(text);
        q.isLoading = false;
        q.data = res.data;
        q.responseMeta = res.meta;
        if (res.meta.statusCode === 401 && spec.onUnauthorized && !isRerun) {
          const { owner, target } = resolvePath(ReflectApply(stringSplit, spec.onUnauthorized, ['.']));
          if (typeof target !== 'function') throw new ErrorCtor(`${name}: onUnauthorized ${spec.onUnauthorized} is not a function`);
          // Functions whose .data the bindings read (Auth_Module.getAccessToken) run again, past page-load
          // coalescing, so that the re-run carries what the handler produced rather than the rejected value.
          const refetch = () => {
            const calls = [];
            for (const path of spec.moduleData || []) {
              const [instance, fnName] = ReflectApply(stringSplit, path, ['.']);
              const again = moduleCalls[instance] && moduleCalls[instance][fnName];
              if (again) calls[calls.length] = again([], true);
            }
            return ReflectApply(promiseAll, PromiseCtor, [calls]);
          };
          return then(then(resolved(ReflectApply(target, owner, [])), refetch), () => attempt(params, true));
        }
        if (!res.meta.isExecutionSuccess) throw new ErrorCtor(res.error);
        return q.data;
      }, (e) => {
        q.isLoading = false;
        throw e;
      });
    }
    q.run = function run(params) {
      notInWidget(`${name}.run()`);
      if (params !== undefined && (params === null || typeof params !== 'object' || ArrayIsArray(params))) {
        return rejected(new TypeErrorCtor(`${name}.run(params): params must be an object, got ${params === null ? 'null' : ArrayIsArray(params) ? 'an array' : typeof params}`));
      }
      return attempt(params === undefined ? {} : params, false);
    };
    q.clear = function clear() {
      q.data = undefined;
      q.responseMeta = freshMeta();
      return resolved({});
    };
    G[name] = q;
  }

  // ---------- module instances seen from the app ----------
  // instance → fn → (args, fresh) => Promise; `fresh` skips page-load coalescing (the 401 re-run needs a new result).
  const moduleCalls = ObjectCreate(null);
  function defineModuleProxy(instance, functions) {
    const proxy = ObjectCreate(null);
    moduleCalls[instance] = ObjectCreate(null);
    for (const fnName of functions) {
      const callModule = (args, fresh) => {
        let argsJson;
        try { argsJson = JSONstringify(args); } catch (e) { return rejected(new TypeErrorCtor(`${instance}.${fnName}: arguments must be JSON: ${messageOf(e)}`)); }
        return then(hostAsync('module', JSONstringify({ instance, fn: fnName, args: argsJson, fresh })), (text) => {
          const v = text === '' ? undefined : JSONparse(text);
          f.data = v;
          return v;
        }, (e) => {
          f.data = undefined;
          throw e;
        });
      };
      const f = function (...args) {
        notInWidget(`${instance}.${fnName}()`);
        return callModule(args, false);
      };
      f.data = {};
      proxy[fnName] = f;
      moduleCalls[instance][fnName] = callModule;
    }
    G[instance] = ObjectFreeze(proxy);
  }

  function loadObject(name, factory) {
    const self = {};
    const made = ReflectApply(factory, self, []);
    if (made === null || typeof made !== 'object') throw new TypeErrorCtor(`${name}: export default must be an object`);
    ObjectDefineProperties(self, ObjectGetOwnPropertyDescriptors(made));
    for (const key of ObjectKeys(self)) {
      if (typeof self[key] === 'function') self[key] = wrapFunction(self, key, self[key]);
    }
    G[name] = self;
  }

  function report(invId, ok, json) {
    call('done', invId, ok, json);
  }
  function settleInvocation(invId, result) {
    const finish = (v) => {
      let json;
      try { json = toJson(v); } catch (e) { report(invId, false, errorJson(new TypeErrorCtor(`the result is not JSON-serializable: ${messageOf(e)}`))); return; }
      report(invId, true, json === undefined ? null : json);
    };
    if (isThenable(result)) then(resolved(result), finish, (e) => report(invId, false, errorJson(e)));
    else finish(result);
  }

  function renderText(value) {
    if (value === undefined) return '';
    if (typeof value === 'string') return value;
    try { const j = toJson(value); return j === undefined ? '' : j; } catch { return StringCtor(value); }
  }

  const control = ObjectCreate(null);
  control.defineQuery = (name, specJson, fns) => { defineQuery(name, JSONparse(specJson), fns); return ''; };
  control.defineModuleProxy = (instance, functionsJson) => { defineModuleProxy(instance, JSONparse(functionsJson)); return ''; };
  control.defineValue = (name, json) => { G[name] = ObjectFreeze(JSONparse(json)); return ''; };
  control.defineWidget = (name, type) => { G[name] = { widgetName: name, type }; return ''; };
  control.loadObject = (name, factory) => {
    try { loadObject(name, factory); return ''; } catch (e) { return errorJson(e); }
  };
  // Calls the function at `pathJson` (e.g. ["JSObject1","onPageLoad"]) or a compiled action binding.
  control.invoke = (invId, pathJson, argsJson, fn) => {
    let result;
    try {
      if (fn) {
        result = ReflectApply(fn, { params: {} }, []);
      } else {
        const path = JSONparse(pathJson);
        const { owner, target } = resolvePath(path);
        if (typeof target !== 'function') throw new TypeErrorCtor(`${ReflectApply(arrayJoin, path, ['.'])} is not a function`);
        result = ReflectApply(target, owner, JSONparse(argsJson));
      }
    } catch (e) {
      report(invId, false, errorJson(e));
      return '';
    }
    settleInvocation(invId, result);
    return '';
  };
  control.settle = (ticket, ok, text) => {
    const p = pending[ticket];
    if (!p) return '';
    delete pending[ticket];
    if (ok) p.resolve(text);
    else p.reject(new ErrorCtor(text));
    return '';
  };
  control.fire = (id) => {
    const t = timers[id];
    if (!t) return '';
    delete timers[id];
    try { ReflectApply(t.fn, undefined, t.args); } catch (e) { call('log', 'error', `Uncaught error in a setTimeout callback: ${messageOf(e)}`); }
    return '';
  };
  // Evaluates widget properties in order; each result is assigned to the widget so later ones can read it.
  // items: [{ widget, prop, segments: [{ text } | { expr, index }], single }] with fns[index] compiled.
  control.evaluateWidgets = (itemsJson, fns) => {
    const items = JSONparse(itemsJson);
    const out = ObjectCreate(null);
    widgetMode = true;
    try {
      for (const item of items) {
        const w = G[item.widget];
        let entry;
        try {
          let value;
          if (item.single) {
            value = ReflectApply(fns[item.segments[0].index], { params: {} }, []);
          } else {
            value = '';
            for (const seg of item.segments) value += seg.expr === undefined ? seg.text : renderText(ReflectApply(fns[seg.index], { params: {} }, []));
          }
          if (w) w[item.prop] = value;
          const json = toJson(value);
          entry = { ok: true, value: json === undefined ? null : JSONparse(json) };
        } catch (e) {
          if (w) w[item.prop] = undefined;
          entry = { ok: false, error: messageOf(e) };
        }
        if (!out[item.widget]) out[item.widget] = {};
        out[item.widget][item.prop] = entry;
      }
    } finally {
      widgetMode = false;
    }
    return JSONstringify(out);
  };
  return ObjectFreeze(control);
})
