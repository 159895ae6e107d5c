// The shipped Auth module: gets, caches, refreshes and rotates OAuth2 access tokens (SPEC §4).
// The runtime single-flights the token functions per (app, scope) and starts every invocation from the
// latest persisted store, so this code takes no locks: it reads appsmith.store and writes with storeValue.
// Helpers live outside the default export so that apps see only the public functions.

const SECOND = 1000;
const BACKOFF_BASE_MS = 5 * SECOND;
const BACKOFF_MAX_MS = 300 * SECOND;

const key = (name) => `${inputs.storeKeyPrefix || 'auth'}${name}`;
// Read through appsmith.store on every call: it is re-fetched when another invocation or replica wrote.
const stored = (name) => appsmith.store[key(name)];
const grantType = () => String(inputs.grantType || 'client_credentials').trim();
const present = (v) => v !== undefined && v !== null && String(v) !== '';

// "Fresh" = before the refresh point; "valid" = before expiry. A valid but stale token is still served
// while a refresh fails, never after it expires.
const isFresh = () => present(stored('AccessToken')) && Date.now() < Number(stored('RefreshAt'));
const isValid = () => present(stored('AccessToken')) && Date.now() < Number(stored('ExpiresAt'));

// Keeps secrets out of error messages and logs even when a server echoes them back.
function redact(text) {
  let out = String(text ?? '');
  for (const s of [inputs.clientSecret, inputs.password, inputs.refreshToken, stored('RefreshToken'), stored('AccessToken')]) {
    if (present(s) && String(s).length >= 4) out = out.split(String(s)).join('***');
  }
  return out.length > 400 ? `${out.slice(0, 400)}…` : out;
}

// A failure tagged with what the logic needs (invalid_grant), carrying no token text.
function failure(message, props = {}) {
  return Object.assign(new Error(`Auth: ${redact(message)}`), props);
}

// Lifecycle events (issued, refreshed, rotated, refresh-failed, backing-off, reauthentication-required) go to the
// runtime's metrics, events route and webhooks; they carry times, counts and masked errors, never a token.
function reauthenticate(message) {
  const error = failure(message);
  tokens.event('reauthentication-required', { grant: 'refresh_token', error: error.message });
  return error;
}

async function saveTokens(body, grant) {
  // The runtime's expiry chain (SPEC §4): expires_in, else the JWT's exp, else the module input, else 5 minutes;
  // refreshed min(60 s, 25% of the lifetime) early: a 10 s token at 7.5 s, a 1 h token 60 s before expiry.
  const now = Date.now();
  const expiresAt = tokens.expiresAt(body, { defaultSeconds: inputs.defaultExpiresInSeconds, now });
  const refreshAt = tokens.refreshAt(now, expiresAt);
  // Rotation: the new refresh token is durable before anyone gets the new access token; no new one = keep the old.
  const rotated = present(body.refresh_token) && present(stored('RefreshToken')) && String(body.refresh_token) !== String(stored('RefreshToken'));
  if (present(body.refresh_token)) await storeValue(key('RefreshToken'), String(body.refresh_token));
  await Promise.all([
    storeValue(key('AccessToken'), body.access_token),
    storeValue(key('ExpiresAt'), expiresAt),
    storeValue(key('RefreshAt'), refreshAt),
    removeValue(key('FailedAt')), removeValue(key('FailureCount')),
    removeValue(key('NextAttemptAt')), removeValue(key('LastError')),
  ]);
  tokens.event(grant === 'refresh_token' ? 'refreshed' : 'issued', { grant, expiresAt, refreshAt });
  if (rotated) tokens.event('rotated', { grant });
  return body.access_token;
}

function header(headers, name) {
  for (const [k, v] of Object.entries(headers || {})) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

// Back-off shared by every session and replica (it lives in the store): 5 s doubling to 5 min, or longer
// when the server asks for it with Retry-After.
async function recordFailure(message, retryAfterSeconds, grant, status) {
  const count = (Number(stored('FailureCount')) || 0) + 1;
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (count - 1));
  const wait = Math.max(backoff, Math.min(BACKOFF_MAX_MS, (Number(retryAfterSeconds) || 0) * SECOND));
  await Promise.all([
    storeValue(key('FailedAt'), Date.now()),
    storeValue(key('FailureCount'), count),
    storeValue(key('NextAttemptAt'), Date.now() + wait),
    storeValue(key('LastError'), message),
  ]);
  tokens.event('refresh-failed', { grant, status: status >= 100 && status <= 599 ? status : undefined, failures: count, error: message });
  tokens.event('backing-off', { grant, failures: count, nextAttemptAt: Date.now() + wait });
}

function checkBackoff() {
  const next = Number(stored('NextAttemptAt'));
  if (Number.isFinite(next) && Date.now() < next) {
    const seconds = Math.ceil((next - Date.now()) / SECOND);
    throw failure(`token server failing; next attempt in ${seconds} s: ${stored('LastError') || 'unknown error'}`, { backoff: true });
  }
}

// One token request. The form is built here, not in module.json, because a form field bound to an empty
// value would still be sent (scope=, client_secret=), and an unused Authorization header would be sent empty.
async function requestToken(grant, fields) {
  if (!present(inputs.tokenUrl)) throw failure('the tokenUrl input is not set');
  checkBackoff();
  const form = { grant_type: grant, ...fields };
  const basic = String(inputs.clientAuth || 'body').trim().toLowerCase() === 'basic';
  let authorization;
  if (basic) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const id = encodeURIComponent(inputs.clientId ?? ''), secret = encodeURIComponent(inputs.clientSecret ?? '');
    authorization = `Basic ${btoa(`${id}:${secret}`)}`;
  } else {
    form.client_id = inputs.clientId;
    form.client_secret = inputs.clientSecret;
  }
  const encoded = Object.entries(form).filter(([, v]) => present(v))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const query = basic ? token_basic : token_body;
  let body;
  try {
    body = await query.run({ form: encoded, authorization });
  } catch (e) {
    const meta = query.responseMeta || {};
    const status = Number(meta.statusCode);
    let data = query.data;
    if (typeof data === 'string') { try { data = JSON.parse(data); } catch { /* keep the text */ } }
    const error = data && typeof data === 'object' ? data.error : undefined;
    // Without an HTTP error status, .data may be a previous run's: describe the failure from the error instead.
    const detail = status >= 400
      ? `HTTP ${status}${present(error) ? ` ${error}` : ''}${present(data?.error_description) ? `: ${data.error_description}` : ''}`
      : (e && e.message) || String(e);
    const message = redact(`${grant} token request failed: ${detail}`);
    // invalid_grant is an answer about this refresh token, not an outage: the caller handles it, no back-off.
    if (status === 400 && error === 'invalid_grant') throw failure(message, { invalidGrant: true });
    await recordFailure(message, status === 429 || status === 503 ? header(meta.headers, 'retry-after') : undefined, grant, status);
    throw failure(message);
  }
  if (typeof body === 'string') { try { body = JSON.parse(body); } catch { /* reported below */ } }
  if (!body || typeof body !== 'object' || !present(body.access_token)) {
    const message = `${grant} token request failed: the response has no access_token`;
    await recordFailure(message, undefined, grant);
    throw failure(message);
  }
  return body;
}

// A tiny non-cryptographic fingerprint, so the store can remember "this input refresh token was rejected"
// without holding the token itself.
function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

// The refresh_token grant's initial token comes from the inputs, once: after the server has answered it
// (rotated or rejected), the store holds what follows. A new input value is a new seed.
function seedRefreshToken() {
  const seed = inputs.refreshToken;
  return present(seed) && stored('UsedSeed') !== fingerprint(String(seed)) ? String(seed) : undefined;
}
const markSeedUsed = (refreshToken) =>
  (refreshToken === seedRefreshToken() ? storeValue(key('UsedSeed'), fingerprint(refreshToken)) : Promise.resolve());

async function refreshWith(refreshToken) {
  const accessBefore = stored('AccessToken');
  try {
    const body = await requestToken('refresh_token', { refresh_token: refreshToken });
    await markSeedUsed(refreshToken);
    return await saveTokens(body, 'refresh_token');
  } catch (e) {
    if (!e.invalidGrant) throw e;
  }
  await markSeedUsed(refreshToken);
  // invalid_grant: another replica may have rotated the token after this invocation started. Re-read the store.
  const current = stored('RefreshToken');
  if (isFresh() && stored('AccessToken') !== accessBefore) return stored('AccessToken');
  if (present(current) && current !== refreshToken) {
    return saveTokens(await requestToken('refresh_token', { refresh_token: current }), 'refresh_token');
  }
  await removeValue(key('RefreshToken'));
  if (grantType() === 'authorization_code') {
    // The user's sign-in is over for good: without a refresh token and a valid access token, needsSignIn() says so.
    throw failure('the refresh token was rejected (invalid_grant); the user needs to sign in again', { signInRequired: true });
  }
  if (grantType() !== 'refresh_token') return generate();
  throw reauthenticate('the refresh token was rejected (invalid_grant); the credential needs re-authentication: set a new refreshToken input');
}

async function generate() {
  const grant = grantType();
  // Optional fields are sent only when set: requestToken drops empty ones.
  const common = { scope: inputs.scope, audience: inputs.audience };
  if (grant === 'client_credentials') return saveTokens(await requestToken(grant, common), grant);
  if (grant === 'password') {
    return saveTokens(await requestToken(grant, { ...common, username: inputs.username, password: inputs.password }), grant);
  }
  if (grant === 'refresh_token') {
    const seed = seedRefreshToken();
    if (seed) return refreshWith(seed);
    throw reauthenticate('no usable refresh token; the credential needs re-authentication: set a new refreshToken input');
  }
  if (grant === 'authorization_code') {
    // Tokens come from the user's sign-in only (acceptTokens); this scope has none, or they can no longer be refreshed.
    throw failure('no tokens for this user; the user needs to sign in', { signInRequired: true });
  }
  throw failure(`grantType '${grant}' is not supported; use client_credentials, password, refresh_token or authorization_code`);
}

export default {
  // A token still fresh at its refresh point, else a refreshed or new one. While a refresh fails and the
  // current token has not expired, the current token is served and the failure logged.
  async getAccessToken() {
    if (isFresh()) return stored('AccessToken');
    try {
      return await (present(stored('RefreshToken')) ? this.refreshAccessToken() : this.generateAccessToken());
    } catch (e) {
      if (!isValid()) throw e;
      console.warn(`Auth: serving the current access token until it expires; refresh failed: ${e.message}`);
      return stored('AccessToken');
    }
  },

  // True at or after the refresh point (or when there is no token).
  verifyAccessTokenExpired() {
    return !isFresh();
  },

  // The refresh_token grant with the stored refresh token; without one, a new token.
  async refreshAccessToken() {
    const refreshToken = stored('RefreshToken');
    return present(refreshToken) ? refreshWith(String(refreshToken)) : generate();
  },

  // A new token by the configured grant (client_credentials or password).
  async generateAccessToken() {
    return generate();
  },

  // authorization_code: the host hands over a user's token response from their sign-in, in that user's scope. Stored
  // like any other response (expiry, rotation); a back-off left by an earlier failure no longer applies.
  async acceptTokens(response) {
    if (!response || typeof response !== 'object' || !present(response.access_token)) {
      throw failure('acceptTokens needs a token response with an access_token');
    }
    await removeValue(key('UsedSeed'));
    await saveTokens(response);
    return { expiresAt: stored('ExpiresAt') };
  },

  // True when this scope holds no access token that is still valid and no refresh token to get one: the user must sign in.
  needsSignIn() {
    return !isValid() && !present(stored('RefreshToken'));
  },

  // Sign-out: removes this scope's tokens and returns the refresh token once, to the host (to revoke it at the
  // provider), never to a page.
  async releaseTokens() {
    const released = { refreshToken: stored('RefreshToken') ?? null };
    await Promise.all(['AccessToken', 'RefreshToken', 'ExpiresAt', 'RefreshAt', 'FailedAt', 'FailureCount',
      'NextAttemptAt', 'LastError', 'UsedSeed'].map((name) => removeValue(key(name))));
    return released;
  },
};
