using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>How the token endpoint accepts client credentials (RFC 6749 §2.3.1).</summary>
public enum ClientAuthRequirement { Any, Basic, Body }

/// <summary>What access tokens look like.</summary>
public enum AccessTokenFormat { UnsignedJwt, Hs256Jwt, Opaque }

/// <summary>One request the token endpoint received (after client auth was parsed).</summary>
public sealed record TokenRequestRecord(string? GrantType, IReadOnlyDictionary<string, string> Form, string? Authorization, DateTimeOffset At);

/// <summary>
/// A real OAuth2 token server (Kestrel, 127.0.0.1) for tests, with a tiny protected API on the same port.
/// <c>POST /token</c> (form): client_credentials, password and refresh_token grants; rotating refresh tokens
/// (a reused or unknown one gets 400 <c>invalid_grant</c>); JWT (unsigned or HS256) or opaque access tokens.
/// <c>GET /api/users</c> answers 200 for <c>JWT</c>/<c>Bearer</c> + a valid access token, else 401.
/// Expiry follows the <see cref="TimeProvider"/> given (tests pass a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>).
/// All knobs and counters are safe to use while requests are in flight.
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    private readonly TimeProvider time;
    private readonly int port;
    private readonly object gate = new();
    private readonly Dictionary<string, RefreshTokenState> refreshTokens = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> accessTokens = new();
    private readonly ConcurrentDictionary<string, int> requestsByGrant = new();
    private readonly ConcurrentQueue<TokenRequestRecord> tokenRequestLog = new();
    private readonly ConcurrentQueue<string> issuedTokens = new();
    private WebApplication? app;
    private int tokenRequests, reuseRejections, apiRequests, failNext, rateLimitNext, unauthorizedNext, serial;

    public OAuthTestServer(TimeProvider? timeProvider = null, int port = 0)
    {
        time = timeProvider ?? TimeProvider.System;
        this.port = port;
    }

    /// <summary>Creates and starts a server.</summary>
    public static async Task<OAuthTestServer> StartNewAsync(TimeProvider? timeProvider = null, CancellationToken ct = default)
    {
        var server = new OAuthTestServer(timeProvider);
        await server.StartAsync(ct);
        return server;
    }

    // ---- configuration (set any time) ----
    public string ClientId { get; set; } = "test-client";
    public string ClientSecret { get; set; } = "test-secret";
    public ClientAuthRequirement ClientAuth { get; set; } = ClientAuthRequirement.Any;
    /// <summary>Resource-owner credentials the password grant accepts.</summary>
    public ConcurrentDictionary<string, string> Users { get; } = new() { ["ada"] = "lovelace" };
    public AccessTokenFormat TokenFormat { get; set; } = AccessTokenFormat.UnsignedJwt;
    public byte[] SigningKey { get; set; } = Encoding.UTF8.GetBytes("oauth-test-server-signing-key-0123456789");
    /// <summary>Sets the JWT <c>exp</c> (now + lifetime) and when the server stops accepting the token.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public bool IncludeExpiresIn { get; set; } = true;
    /// <summary>The <c>expires_in</c> sent; null: the lifetime in seconds. Lets a test make it disagree with <c>exp</c>.</summary>
    public int? ExpiresInSeconds { get; set; }
    public bool IssueRefreshTokens { get; set; } = true;
    /// <summary>When false, a refresh answer carries no refresh_token and the old one stays valid.</summary>
    public bool RotateRefreshTokens { get; set; } = true;
    /// <summary>Real-time latency added to every token request (widens race windows in concurrency tests).</summary>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;
    /// <summary>Awaited before each token request is answered (after <see cref="TokenDelay"/>): holds an answer until a test saw what it waits for.</summary>
    public Func<Task>? BeforeTokenAnswer { get; set; }
    /// <summary>Every token request answers 500.</summary>
    public bool Down { get; set; }
    /// <summary>A careless API: its 401 body quotes the Authorization header it received.</summary>
    public bool EchoAuthorizationOn401 { get; set; }

    /// <summary>The next <paramref name="count"/> token requests answer 500 <c>server_error</c>.</summary>
    public void FailNextTokenRequests(int count) => Interlocked.Exchange(ref failNext, count);

    /// <summary>The next <paramref name="count"/> token requests answer 429 with <c>Retry-After</c>.</summary>
    public void RateLimitNextTokenRequests(int count, TimeSpan retryAfter)
    {
        RetryAfter = retryAfter;
        Interlocked.Exchange(ref rateLimitNext, count);
    }

    public TimeSpan RetryAfter { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>The next <paramref name="count"/> API calls answer 401 whatever the token.</summary>
    public void ForceApiUnauthorized(int count) => Interlocked.Exchange(ref unauthorizedNext, count);

    // ---- addresses ----
    public Uri BaseUri { get; private set; } = null!;
    public string BaseUrl => BaseUri.GetLeftPart(UriPartial.Authority);
    public string TokenUrl => BaseUrl + "/token";
    public string UsersUrl => BaseUrl + "/api/users";
    /// <summary><c>127.0.0.1:port</c>, the form allowed-host lists use.</summary>
    public string HostPort => $"{BaseUri.Host}:{BaseUri.Port}";

    // ---- counters ----
    public int TokenRequests => Volatile.Read(ref tokenRequests);
    public int TokenRequestsFor(string grantType) => requestsByGrant.GetValueOrDefault(grantType);
    /// <summary>Refresh requests rejected because the refresh token was already used or never issued.</summary>
    public int ReuseRejections => Volatile.Read(ref reuseRejections);
    public int ApiRequests => Volatile.Read(ref apiRequests);
    public IReadOnlyList<TokenRequestRecord> TokenRequestLog => tokenRequestLog.ToArray();
    /// <summary>Every access and refresh token this server has issued (revoked, used or expired ones too), oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => issuedTokens.ToArray();

    /// <summary>True when the server issued <paramref name="accessToken"/>, it was not revoked and has not expired.</summary>
    public bool IsAccessTokenValid(string? accessToken) =>
        accessToken is not null && accessTokens.TryGetValue(accessToken, out var expiresAt) && time.GetUtcNow() < expiresAt;

    /// <summary>Makes every access token issued so far invalid (the API answers 401 to them).</summary>
    public void RevokeAccessTokens() => accessTokens.Clear();

    /// <summary>Issues a refresh token directly, e.g. as the initial token of a refresh_token grant.</summary>
    public string CreateRefreshToken(string? clientId = null, string subject = "client")
    {
        var token = "rt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        lock (gate) refreshTokens[token] = new RefreshTokenState(clientId ?? ClientId, subject);
        issuedTokens.Enqueue(token);
        return token;
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(ct);
        BaseUri = new Uri(app.Urls.First().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context) => (context.Request.Method, context.Request.Path.Value) switch
    {
        ("POST", "/token") => HandleTokenAsync(context),
        ("GET", "/api/users") => HandleUsersAsync(context),
        _ => WriteAsync(context, 404, new JsonObject { ["error"] = "not_found" }),
    };

    private async Task HandleTokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) { await WriteError(context, 400, "invalid_request", "expected application/x-www-form-urlencoded"); return; }
        var form = (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString());
        var grant = form.GetValueOrDefault("grant_type");
        string? authorization = context.Request.Headers.Authorization;
        Interlocked.Increment(ref tokenRequests);
        requestsByGrant.AddOrUpdate(grant ?? "", 1, (_, n) => n + 1);
        tokenRequestLog.Enqueue(new TokenRequestRecord(grant, form, authorization, time.GetUtcNow()));

        if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay, context.RequestAborted);
        if (BeforeTokenAnswer is { } hold) await hold();
        if (Down || TryTake(ref failNext)) { await WriteError(context, 500, "server_error", "the token server failed"); return; }
        if (TryTake(ref rateLimitNext))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString();
            await WriteError(context, 429, "slow_down", "too many requests");
            return;
        }

        if (AuthenticateClient(form, authorization) is { } clientError) { await clientError(context); return; }

        string subject;
        switch (grant)
        {
            case "client_credentials":
                subject = ClientId;
                break;
            case "password":
                var user = form.GetValueOrDefault("username") ?? "";
                if (!Users.TryGetValue(user, out var password) || password != form.GetValueOrDefault("password"))
                {
                    await WriteError(context, 400, "invalid_grant", "bad username or password");
                    return;
                }
                subject = user;
                break;
            case "refresh_token":
                if (!TryRedeem(form.GetValueOrDefault("refresh_token"), out subject))
                {
                    await WriteError(context, 400, "invalid_grant", "the refresh token is invalid, expired or already used");
                    return;
                }
                break;
            default:
                await WriteError(context, 400, "unsupported_grant_type", $"grant_type '{grant}' is not supported");
                return;
        }

        var now = time.GetUtcNow();
        var expiresAt = now + AccessTokenLifetime;
        var accessToken = CreateAccessToken(subject, form, now, expiresAt);
        accessTokens[accessToken] = expiresAt;
        issuedTokens.Enqueue(accessToken);
        var body = new JsonObject { ["access_token"] = accessToken, ["token_type"] = "Bearer" };
        if (IncludeExpiresIn) body["expires_in"] = ExpiresInSeconds ?? (int)AccessTokenLifetime.TotalSeconds;
        if (form.TryGetValue("scope", out var scope) && scope.Length > 0) body["scope"] = scope;
        if (IssueRefreshTokens && (grant != "refresh_token" || RotateRefreshTokens))
        {
            body["refresh_token"] = CreateRefreshToken(ClientId, subject);
        }
        await WriteAsync(context, 200, body);
    }

    // Basic (RFC 6749 §2.3.1: form-encoded id and secret) or body credentials; using both is an error.
    private Func<HttpContext, Task>? AuthenticateClient(Dictionary<string, string> form, string? authorization)
    {
        string? id = null, secret = null;
        bool basic = authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        bool body = form.ContainsKey("client_secret");
        if (basic && body) return c => WriteError(c, 400, "invalid_request", "more than one client authentication method");
        if (basic)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization![6..].Trim()));
                int colon = decoded.IndexOf(':');
                if (colon < 0) throw new FormatException();
                id = FormDecode(decoded[..colon]);
                secret = FormDecode(decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                return c => WriteError(c, 400, "invalid_request", "malformed Basic credentials");
            }
        }
        else if (body)
        {
            id = form.GetValueOrDefault("client_id");
            secret = form["client_secret"];
        }

        bool methodAllowed = ClientAuth switch
        {
            ClientAuthRequirement.Basic => basic,
            ClientAuthRequirement.Body => body,
            _ => basic || body,
        };
        if (methodAllowed && id == ClientId && secret == ClientSecret) return null;
        return c =>
        {
            if (basic || ClientAuth == ClientAuthRequirement.Basic) c.Response.Headers.WWWAuthenticate = "Basic realm=\"token\"";
            return WriteError(c, 401, "invalid_client", "client authentication failed");
        };
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    // One use per refresh token: a second use (or an unknown token) is rejected and counted.
    private bool TryRedeem(string? refreshToken, out string subject)
    {
        lock (gate)
        {
            if (refreshToken is not null && refreshTokens.TryGetValue(refreshToken, out var state) && !state.Used && state.ClientId == ClientId)
            {
                if (RotateRefreshTokens) refreshTokens[refreshToken] = state with { Used = true };
                subject = state.Subject;
                return true;
            }
        }
        Interlocked.Increment(ref reuseRejections);
        subject = "";
        return false;
    }

    private string CreateAccessToken(string subject, Dictionary<string, string> form, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        int n = Interlocked.Increment(ref serial);
        if (TokenFormat == AccessTokenFormat.Opaque) return $"at-{n}-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var payload = new JsonObject
        {
            ["iss"] = BaseUrl, ["sub"] = subject, ["client_id"] = ClientId, ["jti"] = $"at-{n}",
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = expiresAt.ToUnixTimeSeconds(),
        };
        if (form.TryGetValue("audience", out var audience) && audience.Length > 0) payload["aud"] = audience;
        if (form.TryGetValue("scope", out var scope) && scope.Length > 0) payload["scope"] = scope;
        bool signed = TokenFormat == AccessTokenFormat.Hs256Jwt;
        var header = new JsonObject { ["alg"] = signed ? "HS256" : "none", ["typ"] = "JWT" };
        var unsigned = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = signed ? Base64Url(HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(unsigned))) : "";
        return unsigned + "." + signature;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private Task HandleUsersAsync(HttpContext context)
    {
        Interlocked.Increment(ref apiRequests);
        string authorization = context.Request.Headers.Authorization.ToString();
        int space = authorization.IndexOf(' ');
        var scheme = space > 0 ? authorization[..space] : "";
        var token = space > 0 ? authorization[(space + 1)..].Trim() : "";
        bool schemeOk = scheme.Equals("JWT", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        if (TryTake(ref unauthorizedNext) || !schemeOk || !IsAccessTokenValid(token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            var error = new JsonObject { ["error"] = "invalid_token" };
            if (EchoAuthorizationOn401) error["error_description"] = $"rejected {authorization}";
            return WriteAsync(context, 401, error);
        }
        var results = new JsonArray(
            new JsonObject { ["id"] = 1, ["name"] = "Ada" },
            new JsonObject { ["id"] = 2, ["name"] = "Grace" },
            new JsonObject { ["id"] = 3, ["name"] = "Linus" });
        return WriteAsync(context, 200, new JsonObject { ["results"] = results });
    }

    // Takes one from a "next N" counter; false when it is used up.
    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            int current = Volatile.Read(ref counter);
            if (current <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current) return true;
        }
    }

    private static Task WriteError(HttpContext context, int status, string error, string description) =>
        WriteAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = new StringValues("no-store");
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private sealed record RefreshTokenState(string ClientId, string Subject, bool Used = false);
}
