using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// The Development demo's back end: a minimal OAuth2 token server (client_credentials for
/// <see cref="ClientId"/>/<see cref="ClientSecret"/>, body or Basic client auth, JWT access tokens valid
/// <see cref="TokenLifetime"/>, rotating refresh tokens) and a users API that accepts only its tokens.
/// Both listen on one 127.0.0.1 port, so <c>demo/app.json</c> can reach them with no other setup.
/// </summary>
/// <remarks>Not a real authorization server: tokens are unsigned and held in memory. For the demo only.</remarks>
public static class DemoServers
{
    public const string ClientId = "demo-client";
    public const string ClientSecret = "demo-secret";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(300);

    private static readonly (int Id, string Name, string Email)[] Users =
    [
        (1, "Ada Lovelace", "ada@example.com"),
        (2, "Grace Hopper", "grace@example.com"),
        (3, "Alan Turing", "alan@example.com"),
        (4, "Katherine Johnson", "katherine@example.com"),
        (5, "Edsger Dijkstra", "edsger@example.com"),
    ];

    /// <summary>Starts the demo servers on 127.0.0.1 with a free port.</summary>
    public static Task<DemoEndpoints> StartAsync(CancellationToken cancellationToken) => StartAsync(0, cancellationToken);

    /// <summary>Starts the demo servers on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static async Task<DemoEndpoints> StartAsync(int port, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();

        var accessTokens = new ConcurrentDictionary<string, DateTimeOffset>();
        var refreshTokens = new ConcurrentDictionary<string, DateTimeOffset>();
        // The handlers take HttpRequest, not HttpContext: a lambda over HttpContext would bind as a RequestDelegate
        // and its IResult would be dropped.
        app.MapPost("/token", (HttpRequest request) => IssueTokenAsync(request.HttpContext, time, accessTokens, refreshTokens));
        app.MapGet("/api/users", (HttpRequest request) => ListUsers(request.HttpContext, time, accessTokens));

        await app.StartAsync(cancellationToken);
        var baseUri = new Uri(app.Urls.First());
        var baseUrl = baseUri.GetLeftPart(UriPartial.Authority);
        return new DemoEndpoints(baseUrl + "/token", baseUrl, $"{baseUri.Host}:{baseUri.Port}") { Server = app };
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext context, TimeProvider time,
        ConcurrentDictionary<string, DateTimeOffset> accessTokens, ConcurrentDictionary<string, DateTimeOffset> refreshTokens)
    {
        if (!context.Request.HasFormContentType) return Error(400, "invalid_request", "expected a form body");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!IsClient(form, context.Request.Headers.Authorization.ToString()))
            return Error(401, "invalid_client", "client authentication failed");

        switch (form["grant_type"].ToString())
        {
            case "client_credentials":
                break;
            case "refresh_token":
                // Rotation: each refresh token works once.
                if (!refreshTokens.TryRemove(form["refresh_token"].ToString(), out var validUntil) || validUntil <= time.GetUtcNow())
                    return Error(400, "invalid_grant", "the refresh token is invalid or already used");
                break;
            default:
                return Error(400, "unsupported_grant_type", "use client_credentials or refresh_token");
        }

        var now = time.GetUtcNow();
        var expiresAt = now + TokenLifetime;
        var accessToken = CreateJwt(now, expiresAt, form["scope"].ToString());
        accessTokens[accessToken] = expiresAt;
        var refreshToken = "rt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        refreshTokens[refreshToken] = now + TimeSpan.FromDays(1);
        PruneExpired(accessTokens, now);
        PruneExpired(refreshTokens, now);
        return Results.Text(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["refresh_token"] = refreshToken,
        }.ToJsonString(), "application/json");
    }

    // Body (client_id/client_secret) or Basic with form-encoded id and secret (RFC 6749 §2.3.1).
    private static bool IsClient(IFormCollection form, string authorization)
    {
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                int colon = pair.IndexOf(':');
                return colon > 0
                    && Uri.UnescapeDataString(pair[..colon].Replace('+', ' ')) == ClientId
                    && Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' ')) == ClientSecret;
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return form["client_id"] == ClientId && form["client_secret"] == ClientSecret;
    }

    private static IResult ListUsers(HttpContext context, TimeProvider time, ConcurrentDictionary<string, DateTimeOffset> accessTokens)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        int space = authorization.IndexOf(' ');
        var scheme = space > 0 ? authorization[..space] : "";
        var token = space > 0 ? authorization[(space + 1)..].Trim() : "";
        bool ok = (scheme.Equals("JWT", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            && accessTokens.TryGetValue(token, out var expiresAt) && time.GetUtcNow() < expiresAt;
        if (!ok)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Error(401, "invalid_token", "a valid access token is required");
        }
        var results = new JsonArray(Users.Select(u => (JsonNode)new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["email"] = u.Email }).ToArray());
        return Results.Text(new JsonObject { ["results"] = results }.ToJsonString(), "application/json");
    }

    private static string CreateJwt(DateTimeOffset now, DateTimeOffset expiresAt, string scope)
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = "lowcodetokens-demo", ["sub"] = ClientId, ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = expiresAt.ToUnixTimeSeconds(),
        };
        if (scope.Length > 0) payload["scope"] = scope;
        return $"{Base64Url(header.ToJsonString())}.{Base64Url(payload.ToJsonString())}.";
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Keeps the demo's memory bounded when it runs for days.
    private static void PruneExpired(ConcurrentDictionary<string, DateTimeOffset> tokens, DateTimeOffset now)
    {
        if (tokens.Count < 1000) return;
        foreach (var (token, expiresAt) in tokens)
            if (expiresAt <= now) tokens.TryRemove(token, out _);
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Text(new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), "application/json", statusCode: status);
}
