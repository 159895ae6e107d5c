// Tests of the Auth module's rules (SPEC §4) against a fake runtime. Run: node --test modules/auth/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, makeJwt } from './harness.mjs';

const S = 1000;

test('client_credentials with body auth: one request, then served from the store', async () => {
  const { auth, store, server } = load();
  const token = await auth.getAccessToken();
  assert.equal(await auth.getAccessToken(), token);
  assert.equal(server.requests.length, 1);
  assert.deepEqual(server.requests[0].form, { grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret' });
  assert.equal(server.requests[0].headers.Accept, 'application/json');
  assert.equal(store.authAccessToken, token);
  assert.equal(store.authRefreshToken, 'refresh-1');
  assert.equal(auth.verifyAccessTokenExpired(), false);
});

test('scope and audience are sent only when set; prefix names the keys', async () => {
  const { auth, store, server } = load({ scope: 'read write', audience: 'api://users', storeKeyPrefix: 'crm' });
  await auth.generateAccessToken();
  assert.equal(server.requests[0].form.scope, 'read write');
  assert.equal(server.requests[0].form.audience, 'api://users');
  assert.ok(store.crmAccessToken && store.crmExpiresAt && store.crmRefreshAt);
});

test('basic client auth: RFC 6749 form-encoded id and secret in the header, no secret in the body', async () => {
  const { auth, server } = load({ clientAuth: 'basic', clientId: 'my client:1', clientSecret: 'p@ss wörd' });
  await auth.getAccessToken();
  const { form, headers } = server.requests[0];
  const decoded = Buffer.from(headers.Authorization.replace(/^Basic /, ''), 'base64').toString('latin1');
  assert.equal(decoded, 'my%20client%3A1:p%40ss%20w%C3%B6rd');
  assert.equal(form.client_secret, undefined);
  assert.equal(form.client_id, undefined);
});

test('password grant sends username and password', async () => {
  const { auth, server } = load({ grantType: 'password', username: 'ada', password: 'lovelace' });
  await auth.getAccessToken();
  assert.equal(server.requests[0].form.grant_type, 'password');
  assert.equal(server.requests[0].form.username, 'ada');
  assert.equal(server.requests[0].form.password, 'lovelace');
});

test('expiry: expires_in 10 s refreshes at 7.5 s; 1 h at 60 s before expiry', async () => {
  const short = load();
  short.server.expiresIn = 10;
  await short.auth.getAccessToken();
  assert.equal(short.store.authExpiresAt - short.clock.now, 10 * S);
  assert.equal(short.store.authRefreshAt - short.clock.now, 7.5 * S);
  const long = load();
  await long.auth.getAccessToken();
  assert.equal(long.store.authRefreshAt, long.store.authExpiresAt - 60 * S);
});

test('expiry: without expires_in the JWT exp is used, else defaultExpiresInSeconds', async () => {
  const withJwt = load();
  withJwt.server.expiresIn = undefined;
  withJwt.server.jwtLifetime = 120;
  await withJwt.auth.getAccessToken();
  assert.equal(withJwt.store.authExpiresAt - withJwt.clock.now, 120 * S);
  assert.equal(withJwt.store.authRefreshAt - withJwt.clock.now, 90 * S);

  const opaque = load({ defaultExpiresInSeconds: 40 });
  opaque.server.expiresIn = undefined;
  opaque.server.jwtLifetime = null;
  await opaque.auth.getAccessToken();
  assert.equal(opaque.store.authExpiresAt - opaque.clock.now, 40 * S);
});

test('after the refresh point the refresh token is used and rotated, persisted before the access token', async () => {
  const { auth, store, server, clock, writes } = load();
  server.expiresIn = 10;
  const first = await auth.getAccessToken();
  clock.now += 7.5 * S;
  assert.equal(auth.verifyAccessTokenExpired(), true);
  writes.length = 0;
  const second = await auth.getAccessToken();
  assert.notEqual(second, first);
  assert.equal(server.requests[1].form.grant_type, 'refresh_token');
  assert.equal(server.requests[1].form.refresh_token, 'refresh-1');
  assert.equal(store.authRefreshToken, 'refresh-2');
  assert.ok(writes.indexOf('authRefreshToken') < writes.indexOf('authAccessToken'));
});

test('a refresh answer without refresh_token keeps the old one', async () => {
  const { auth, store, server, clock } = load();
  server.rotate = false;
  await auth.getAccessToken();
  clock.now += 3600 * S;
  await auth.getAccessToken();
  assert.equal(server.requests[1].form.grant_type, 'refresh_token');
  assert.equal(store.authRefreshToken, 'refresh-1');
});

test('invalid_grant after another replica rotated: the store is re-read and the new refresh token used', async () => {
  const { auth, store, server, clock } = load();
  await auth.getAccessToken();
  // Another replica refreshes first: it consumes refresh-1 and stores refresh-2 (but not a fresh access token).
  server.validRefreshTokens.delete('refresh-1');
  server.validRefreshTokens.add('refresh-other');
  server.beforeAnswer = (r) => { if (r.form.refresh_token === 'refresh-1') store.authRefreshToken = 'refresh-other'; };
  clock.now += 3600 * S;
  await auth.getAccessToken();
  assert.deepEqual(server.requests.slice(1).map((r) => r.form.refresh_token), ['refresh-1', 'refresh-other']);
  assert.equal(server.requests.length, 3);
  assert.equal(store.authRefreshToken, 'refresh-2');
});

test('invalid_grant with a fresh access token stored meanwhile: that token is returned', async () => {
  const { auth, store, server, clock } = load();
  await auth.getAccessToken();
  server.validRefreshTokens.clear();
  const other = makeJwt({ n: 'other' });
  clock.now += 3600 * S;
  server.beforeAnswer = () => Object.assign(store, { authAccessToken: other, authRefreshAt: clock.now + 60 * S, authExpiresAt: clock.now + 120 * S });
  assert.equal(await auth.getAccessToken(), other);
  assert.equal(server.requests.length, 2);
});

test('invalid_grant for client_credentials: the refresh token is cleared and a new token generated', async () => {
  const { auth, store, server, clock } = load();
  server.issueRefreshTokens = true;
  await auth.getAccessToken();
  server.validRefreshTokens.clear();
  server.issueRefreshTokens = false;
  clock.now += 3600 * S;
  const token = await auth.getAccessToken();
  assert.deepEqual(server.requests.map((r) => r.form.grant_type), ['client_credentials', 'refresh_token', 'client_credentials']);
  assert.equal(store.authRefreshToken, undefined);
  assert.equal(store.authAccessToken, token);
});

test('refresh_token grant: the input seeds the first refresh; once rejected, re-authentication is required', async () => {
  const { auth, store, server, clock } = load({ grantType: 'refresh_token', refreshToken: 'seed-token' });
  server.validRefreshTokens.add('seed-token');
  await auth.getAccessToken();
  assert.equal(server.requests[0].form.refresh_token, 'seed-token');
  assert.equal(store.authRefreshToken, 'refresh-1');

  server.validRefreshTokens.clear();
  clock.now += 3600 * S;
  await assert.rejects(auth.getAccessToken(), /needs re-authentication/);
  const calls = server.requests.length;
  await assert.rejects(auth.getAccessToken(), /needs re-authentication/);
  assert.equal(server.requests.length, calls, 'a rejected seed is not sent again');
});

test('a failed request names the server answer without token values, then backs off 5 s doubling', async () => {
  const { auth, store, server, clock } = load({ clientSecret: 'super-secret-value' });
  server.fail = { status: 401, body: { error: 'invalid_client', error_description: 'bad secret super-secret-value' } };
  const error = await auth.getAccessToken().catch((e) => e);
  assert.match(error.message, /HTTP 401 invalid_client: bad secret \*\*\*/);
  assert.doesNotMatch(error.message, /super-secret-value/);
  assert.equal(store.authFailureCount, 1);
  assert.equal(store.authFailedAt, clock.now);

  clock.now += 3 * S;
  await assert.rejects(auth.getAccessToken(), /token server failing; next attempt in 2 s: .*invalid_client/);
  assert.equal(server.requests.length, 1);

  clock.now += 2 * S;
  await assert.rejects(auth.getAccessToken(), /HTTP 401/);
  assert.equal(server.requests.length, 2);
  clock.now += 9 * S;
  await assert.rejects(auth.getAccessToken(), /next attempt in 1 s/);

  server.fail = null;
  clock.now += 1 * S;
  await auth.getAccessToken();
  assert.equal(store.authFailureCount, undefined);
  assert.equal(store.authFailedAt, undefined);
});

test('back-off is capped at 5 minutes and honours Retry-After', async () => {
  const { auth, store, server, clock } = load();
  server.fail = { status: 429, body: { error: 'slow_down' }, headers: { 'Retry-After': '30' } };
  await assert.rejects(auth.getAccessToken(), /HTTP 429 slow_down/);
  assert.equal(store.authNextAttemptAt - clock.now, 30 * S);
  server.fail = { status: 500, body: 'oops' };
  for (let i = 0; i < 12; i++) {
    clock.now = store.authNextAttemptAt;
    await assert.rejects(auth.getAccessToken(), /HTTP 500/);
  }
  assert.equal(store.authNextAttemptAt - clock.now, 300 * S);
});

test('a failing refresh serves the still-valid token and warns; after expiry it throws', async () => {
  const { auth, server, clock, warnings } = load();
  server.expiresIn = 100;
  const token = await auth.getAccessToken();
  server.failNext = 1;
  clock.now += 80 * S; // past the refresh point (75 s), before expiry (100 s)
  assert.equal(await auth.getAccessToken(), token);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /refresh failed: .*HTTP 500 server_error/);
  assert.ok(!warnings[0].includes(token));
  // In the back-off window the valid token is still served, without calling the server.
  clock.now += 2 * S;
  assert.equal(await auth.getAccessToken(), token);
  assert.equal(server.requests.length, 2);
  server.fail = { status: 503, body: { error: 'temporarily_unavailable' } };
  clock.now += 20 * S;
  await assert.rejects(auth.getAccessToken(), /HTTP 503 temporarily_unavailable/);
});

test('a forced refresh with a fresh token still calls the server', async () => {
  const { auth, server } = load();
  const first = await auth.getAccessToken();
  const second = await auth.refreshAccessToken();
  assert.notEqual(second, first);
  assert.equal(server.requests[1].form.grant_type, 'refresh_token');
});
