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

    /// <summary>Replaces <c>$DEMO_TOKEN_URL$</c>, <c>$DEMO_API_URL$</c> and <c>$DEMO_API_HOST$</c> in an app definition's text.</summary>
    public string Apply(string appJson) => appJson
        .Replace("$DEMO_TOKEN_URL$", TokenUrl, StringComparison.Ordinal)
        .Replace("$DEMO_API_URL$", ApiBaseUrl, StringComparison.Ordinal)
        .Replace("$DEMO_API_HOST$", ApiHost, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
