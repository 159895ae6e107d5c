using LowCodeTokens.Engine.Definitions;
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

        if (!TryGetAllowedHosts(request, out var allowed, out error)) return false;

        target = new QueryTarget(uri, allowed);
        if (!target.Allows(uri))
        {
            error = request.Datasource is { } ds
                ? $"{request.QueryName} may not reach {QueryTarget.HostPort(uri)}: it is not an allowed host of datasource '{ds.Name}'. No request was sent."
                : $"{request.QueryName} may not reach {QueryTarget.HostPort(uri)}: it is not in the app's allowedHosts (a query without a datasource may reach only those). No request was sent.";
            target = null;
            return false;
        }

        return true;
    }

    private static bool TryGetAllowedHosts(HttpQueryRequest request, [NotNullWhen(true)] out HashSet<string>? allowed, [NotNullWhen(false)] out string? error)
    {
        error = null;
        allowed = null;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var datasource = request.Datasource;
        if (datasource is null)
        {
            // A URL without a datasource may come from a binding a viewer feeds (this.params): only the app's list says where it may go.
            foreach (var entry in request.AllowedHosts)
            {
                AddEntry(set, entry.Trim());
            }

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

    // "host:port" as documented; a bare "host" is read as the host on the default http and https ports. Entries are validated
    // at import; one that does not parse here (an older definition) allows nothing.
    private static void AddEntry(HashSet<string> set, string entry)
    {
        if (!AllowedHostEntry.TryParse(entry, out var host, out var port)) return;
        if (port is { } p)
        {
            set.Add($"{host}:{p}");
            return;
        }

        set.Add($"{host}:80");
        set.Add($"{host}:443");
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
