using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Turns a request's URL and query parameters into an absolute URI and decides which hosts it may reach.</summary>
internal static class QueryUrlResolver
{
    public static bool TryResolve(HttpQueryRequest request, [NotNullWhen(true)] out QueryTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        var url = request.Url.Trim();
        var baseUrl = request.Datasource?.BaseUrl.Trim() ?? "";
        var isAbsolute = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        if (!isAbsolute && url.Contains("://", StringComparison.Ordinal))
        {
            error = $"{request.QueryName} has URL scheme '{url[..url.IndexOf("://", StringComparison.Ordinal)]}'; only http and https are supported.";
            return false;
        }

        if (!isAbsolute && baseUrl.Length == 0)
        {
            error = $"{request.QueryName} has a relative URL '{url}' but no datasource base URL to join it to.";
            return false;
        }

        // Appsmith joins by concatenation (base "https://api/v1" + "/users" = "https://api/v1/users"), not RFC 3986
        // resolution, which would drop "/v1". Inserting the slash ourselves keeps "//evil" or "@evil" in the path.
        var joined = isAbsolute ? url : Join(baseUrl, url);
        var full = AppendQueryParams(joined, request.QueryParams);

        if (!Uri.TryCreate(full, UriKind.Absolute, out var uri) || !QueryTarget.IsHttp(uri) || uri.Host.Length == 0)
        {
            error = $"{request.QueryName} has an invalid URL '{(isAbsolute ? url : joined)}'.";
            return false;
        }

        if (!TryGetAllowedHosts(request, uri, out var allowed, out error)) return false;

        target = new QueryTarget(uri, allowed);
        if (!target.Allows(uri))
        {
            error = $"{request.QueryName} may not reach {QueryTarget.HostPort(uri)}: it is not an allowed host of datasource '{request.Datasource?.Name}'. No request was sent.";
            target = null;
            return false;
        }

        return true;
    }

    private static bool TryGetAllowedHosts(HttpQueryRequest request, Uri uri, [NotNullWhen(true)] out HashSet<string>? allowed, [NotNullWhen(false)] out string? error)
    {
        error = null;
        allowed = null;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var datasource = request.Datasource;
        if (datasource is null)
        {
            // Module queries (a token endpoint) have no datasource: they may reach their own host, and only it.
            set.Add(QueryTarget.HostPort(uri));
            allowed = set;
            return true;
        }

        if (Uri.TryCreate(datasource.BaseUrl.Trim(), UriKind.Absolute, out var baseUri) && QueryTarget.IsHttp(baseUri))
        {
            set.Add(QueryTarget.HostPort(baseUri));
        }
        else if (datasource.BaseUrl.Trim().Length > 0)
        {
            error = $"{request.QueryName}: datasource '{datasource.Name}' has an invalid base URL.";
            return false;
        }

        foreach (var entry in datasource.AllowedHosts)
        {
            AddEntry(set, entry.Trim());
        }

        allowed = set;
        return true;
    }

    // "host:port" as documented; a bare "host" is read as the host on the default http and https ports.
    private static void AddEntry(HashSet<string> set, string entry)
    {
        if (entry.Length == 0) return;
        var hasPort = entry.StartsWith('[') ? entry.Contains("]:", StringComparison.Ordinal) : entry.Contains(':');
        if (hasPort)
        {
            set.Add(entry.ToLowerInvariant());
            return;
        }

        set.Add($"{entry}:80".ToLowerInvariant());
        set.Add($"{entry}:443".ToLowerInvariant());
    }

    private static string Join(string baseUrl, string path)
    {
        if (path.Length == 0) return baseUrl;
        if (path[0] is '?' or '#') return baseUrl + path;
        return baseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
    }

    private static string AppendQueryParams(string url, IReadOnlyList<KeyValuePair<string, string>> queryParams)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0) url = url[..hash];
        if (queryParams.Count == 0) return url;

        var builder = new StringBuilder(url);
        var separator = url.Contains('?') ? (url.EndsWith('?') || url.EndsWith('&') ? "" : "&") : "?";
        foreach (var (name, value) in queryParams)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
            separator = "&";
        }

        return builder.ToString();
    }
}
