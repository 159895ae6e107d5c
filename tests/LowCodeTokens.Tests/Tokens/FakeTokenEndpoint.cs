using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// An OAuth2 token endpoint in place of the engine's <see cref="IQueryExecutor"/>: every query the engine sends is a token
/// request, answered in process. It records each request (decoded form and headers), issues access tokens numbered
/// 1, 2, ... (a JWT whose <c>exp</c> follows the clock, or <c>opaque-access-n</c>) and refresh tokens <c>refresh-n</c>,
/// accepts each refresh token once (rotation) and answers a reused or unknown one 400 <c>invalid_grant</c>.
/// Results are shaped as <c>HttpQueryExecutor</c> shapes real ones: flattened headers with the content type, JSON bodies
/// parsed into <c>Q.data</c>, text bodies as strings, and on a non-2xx status the error "<c>{query} failed with status {n}: {body}</c>".
/// </summary>
public sealed class FakeTokenEndpoint(TimeProvider clock) : IQueryExecutor
{
    private const int ErrorExcerptLength = 500;
    private readonly Lock _gate = new();
    private readonly List<TokenEndpointRequest> _requests = [];

    /// <summary>Refresh tokens the endpoint accepts; a refresh answer consumes the one it was given.</summary>
    public HashSet<string> ValidRefreshTokens { get; } = new(StringComparer.Ordinal);
    /// <summary>How many access tokens were issued.</summary>
    public int Issued { get; private set; }
    /// <summary>The <c>expires_in</c> sent; null: none is sent.</summary>
    public int? ExpiresInSeconds { get; set; } = 3600;
    /// <summary>The JWT's lifetime (its <c>exp</c> = now + this); null: opaque access tokens.</summary>
    public int? JwtLifetimeSeconds { get; set; } = 3600;
    /// <summary>False: a refresh answer carries no refresh_token and the one used stays valid.</summary>
    public bool Rotate { get; set; } = true;
    public bool IssueRefreshTokens { get; set; } = true;
    /// <summary>The next n requests answer 500 <c>server_error</c> "boom".</summary>
    public int FailNext { get; set; }
    /// <summary>When set, every request gets this answer.</summary>
    public TokenEndpointAnswer? Fail { get; set; }
    /// <summary>Runs after a request is recorded, before it is answered (another replica acting meanwhile, say).</summary>
    public Func<TokenEndpointRequest, Task>? BeforeAnswer { get; set; }

    public IReadOnlyList<TokenEndpointRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    public async Task<QueryResult> ExecuteAsync(HttpQueryRequest request, CancellationToken ct = default)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers) headers[name] = value;
        var received = new TokenEndpointRequest(request.QueryName, request.Method, request.Url, DecodeForm(request.Body), headers, clock.GetUtcNow());
        lock (_gate) _requests.Add(received);
        if (BeforeAnswer is { } hook) await hook(received);
        return ToResult(request.QueryName, Answer(received.Form));
    }

    private TokenEndpointAnswer Answer(IReadOnlyDictionary<string, string> form)
    {
        lock (_gate)
        {
            if (Fail is { } fail) return fail;
            if (FailNext > 0)
            {
                FailNext--;
                return TokenEndpointAnswer.Error(500, "server_error", "boom");
            }
            var grant = form.GetValueOrDefault("grant_type");
            var presented = form.GetValueOrDefault("refresh_token");
            if (grant == "refresh_token" && (presented is null || !ValidRefreshTokens.Remove(presented)))
                return TokenEndpointAnswer.Error(400, "invalid_grant", "refresh token is invalid");

            var n = ++Issued;
            var body = new JsonObject
            {
                ["access_token"] = JwtLifetimeSeconds is { } lifetime
                    ? TestJwt.Create(new { sub = "client", n, exp = clock.GetUtcNow().ToUnixTimeSeconds() + lifetime })
                    : $"opaque-access-{n}",
                ["token_type"] = "Bearer",
            };
            if (ExpiresInSeconds is { } expiresIn) body["expires_in"] = expiresIn;
            if (IssueRefreshTokens && (grant != "refresh_token" || Rotate))
            {
                var refreshToken = $"refresh-{n}";
                body["refresh_token"] = refreshToken;
                ValidRefreshTokens.Add(refreshToken);
            }
            if (grant == "refresh_token" && !Rotate) ValidRefreshTokens.Add(presented!);
            return TokenEndpointAnswer.Json(200, body);
        }
    }

    // The module sends its form as url-encoded text (bodyType form with a string body); a form object arrives as fields.
    private static Dictionary<string, string> DecodeForm(HttpQueryBody? body)
    {
        if (body?.Form is { } fields) return fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        return QueryHelpers.ParseQuery(body?.Text ?? "").ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    private static QueryResult ToResult(string queryName, TokenEndpointAnswer answer)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = answer.ContentType };
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) headers[name] = value;
        var success = answer.Status is >= 200 and < 300;
        var text = answer.Body.Trim();
        return new QueryResult
        {
            StatusCode = answer.Status,
            IsExecutionSuccess = success,
            Headers = headers,
            DataJson = answer.ContentType.StartsWith("application/json", StringComparison.Ordinal)
                ? JsonNode.Parse(answer.Body)!.ToJsonString()
                : JsonSerializer.Serialize(answer.Body),
            Error = success ? null
                : text.Length == 0 ? $"{queryName} failed with status {answer.Status}."
                : text.Length <= ErrorExcerptLength ? $"{queryName} failed with status {answer.Status}: {text}"
                : $"{queryName} failed with status {answer.Status}: {text[..ErrorExcerptLength]}…",
        };
    }
}
