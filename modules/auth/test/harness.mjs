// A stand-in for the runtime, enough to test main.js's logic in plain Node: the SPEC §2 globals, a store,
// a fake clock and the module's two token queries answered by an in-process fake OAuth2 server.
// The real runtime (sandbox, bindings, HTTP) is tested by the engine's tests; this tests the module's rules.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const source = readFileSync(new URL('../main.js', import.meta.url), 'utf8');
const moduleJson = JSON.parse(readFileSync(new URL('../module.json', import.meta.url), 'utf8'));

export const b64url = (text) => Buffer.from(text).toString('base64url');
export const makeJwt = (payload) => `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;

// The sandbox's own helpers (jwt, tokens, atob, btoa), taken from the engine's bootstrap.js run in a vm context,
// so the module is tested against the real expiry chain rather than a copy of it.
const bootstrapSource = readFileSync(new URL('../../../engine/Scripting/js/bootstrap.js', import.meta.url), 'utf8');
function sandboxHelpers() {
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
  // The bridge answers only what the helpers ask: no clock offset, an empty store.
  const bridge = (op) => (op === 'clock' || op === 'store.version' ? 0 : '');
  new vm.Script(bootstrapSource, { filename: 'bootstrap.js' }).runInContext(context)(bridge, 'test');
  return { jwt: context.jwt, tokens: context.tokens, atob: context.atob, btoa: context.btoa };
}
const { jwt, tokens, atob, btoa } = sandboxHelpers();

/** An OAuth2 token endpoint as a function: (form, headers) → { status, body, headers }. */
export class FakeTokenServer {
  constructor(clock) {
    this.clock = clock;
    this.requests = [];
    this.validRefreshTokens = new Set();
    this.issued = 0;
    this.expiresIn = 3600;        // undefined: omit expires_in
    this.jwtLifetime = 3600;      // seconds, for the JWT exp; null: opaque tokens
    this.rotate = true;           // false: refresh answers carry no refresh_token
    this.issueRefreshTokens = true;
    this.failNext = 0;
    this.fail = null;             // { status, body, headers } to answer every request with
    this.beforeAnswer = null;     // hook (request) → void, runs before the answer is made
  }

  handle(form, headers) {
    const request = { form, headers, at: this.clock.now };
    this.requests.push(request);
    if (this.beforeAnswer) this.beforeAnswer(request);
    if (this.fail) return this.fail;
    if (this.failNext > 0) { this.failNext--; return { status: 500, body: { error: 'server_error', error_description: 'boom' } }; }
    if (form.grant_type === 'refresh_token') {
      if (!this.validRefreshTokens.delete(form.refresh_token)) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token is invalid' } };
      }
    }
    const n = ++this.issued;
    const accessToken = this.jwtLifetime === null
      ? `opaque-access-${n}`
      : makeJwt({ sub: 'client', n, exp: Math.floor(this.clock.now / 1000) + this.jwtLifetime });
    const body = { access_token: accessToken, token_type: 'Bearer' };
    if (this.expiresIn !== undefined) body.expires_in = this.expiresIn;
    if (this.issueRefreshTokens && (form.grant_type !== 'refresh_token' || this.rotate)) {
      body.refresh_token = `refresh-${n}`;
      this.validRefreshTokens.add(body.refresh_token);
    }
    if (form.grant_type === 'refresh_token' && !this.rotate) this.validRefreshTokens.add(form.refresh_token);
    return { status: 200, body };
  }
}

/** Loads main.js with the given inputs; returns { auth, store, clock, server, warnings, writes }. */
export function load(inputValues = {}, { store = {}, clock = { now: 1_700_000_000_000 } } = {}) {
  const server = new FakeTokenServer(clock);
  const warnings = [];
  const writes = [];
  const inputs = {};
  for (const [name, declared] of Object.entries(moduleJson.inputs)) {
    inputs[name] = declared !== null && typeof declared === 'object' ? declared.default : declared;
  }
  Object.assign(inputs, { tokenUrl: 'http://127.0.0.1:1/token', clientId: 'demo-client', clientSecret: 'demo-secret' }, inputValues);

  const storeValue = (key, value) => { writes.push(key); store[key] = JSON.parse(JSON.stringify(value)); return Promise.resolve({}); };
  const removeValue = (key) => { writes.push(`-${key}`); delete store[key]; return Promise.resolve({}); };
  const appsmith = { get store() { return { ...store }; } };

  const query = (name) => {
    const q = { data: undefined, responseMeta: { statusCode: undefined, isExecutionSuccess: false, headers: {} } };
    q.run = async (params = {}) => {
      const spec = moduleJson.queries.find((x) => x.name === name);
      const headers = {};
      for (const [h, v] of Object.entries(spec.headers)) headers[h] = v === '{{this.params.authorization}}' ? (params.authorization ?? '') : v;
      const form = Object.fromEntries(new URLSearchParams(params.form ?? ''));
      const answer = server.handle(form, headers);
      q.data = answer.body;
      q.responseMeta = { statusCode: answer.status, isExecutionSuccess: answer.status < 300, headers: answer.headers ?? {} };
      if (answer.status >= 300) throw new Error(`${name} failed with status ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
      return q.data;
    };
    return q;
  };

  const globals = {
    inputs, appsmith, storeValue, removeValue, jwt, tokens, btoa, atob,
    console: { log() {}, info() {}, error() {}, warn: (m) => warnings.push(m) },
    Date: { now: () => clock.now },
    token_body: query('token_body'),
    token_basic: query('token_basic'),
  };
  const body = source.replace(/^export default /m, 'return ');
  const auth = new Function(...Object.keys(globals), `'use strict';\n${body}`)(...Object.values(globals));
  return { auth, store, clock, server, warnings, writes, inputs };
}
