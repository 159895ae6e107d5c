namespace LowCodeTokens.Engine.Queries;

/// <summary>Where a query goes and which <c>host:port</c> pairs it (and its redirects) may reach.</summary>
internal sealed record QueryTarget(Uri Uri, IReadOnlySet<string> AllowedHosts)
{
    public static string HostPort(Uri uri) => $"{uri.Host}:{uri.Port}".ToLowerInvariant();

    public bool Allows(Uri uri) => IsHttp(uri) && AllowedHosts.Contains(HostPort(uri));

    public static bool IsHttp(Uri uri) => uri.Scheme is "http" or "https";

    /// <summary>Same scheme, host and port (RFC 6454 origin).</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);
}
