namespace LowCodeTokens.Host.Demo;

/// <summary>
/// Where the Development demo's servers listen. Dispose to stop them.
/// </summary>
/// <param name="TokenUrl">The OAuth2 token endpoint, e.g. <c>http://127.0.0.1:41234/token</c>.</param>
/// <param name="ApiBaseUrl">The users API's base URL (no trailing slash); <c>GET /api/users</c> lives under it.</param>
/// <param name="ApiHost">The API's <c>host:port</c>, for a datasource's <c>allowedHosts</c>.</param>
public sealed record DemoEndpoints(string TokenUrl, string ApiBaseUrl, string ApiHost) : IAsyncDisposable
{
    internal WebApplication? Server { get; init; }

    /// <summary>The definitions folder's variables for these servers: <c>${DEMO_TOKEN_URL}</c>, <c>${DEMO_API_URL}</c>, <c>${DEMO_API_HOST}</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DEMO_TOKEN_URL"] = TokenUrl,
        ["DEMO_API_URL"] = ApiBaseUrl,
        ["DEMO_API_HOST"] = ApiHost,
    };

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
