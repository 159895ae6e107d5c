namespace LowCodeTokens.Engine.Definitions;

/// <summary>One entry of an <c>allowedHosts</c> list: <c>host</c> (its ports 80 and 443) or <c>host:port</c>.</summary>
internal static class AllowedHostEntry
{
    /// <summary>Reads <paramref name="entry"/> as a URL's authority would be read, so that it compares with the host a URL names
    /// (<c>[::a9fe:a9fe]</c> and <c>[::169.254.169.254]</c> are one host; <c>API.example.com</c> is <c>api.example.com</c>).</summary>
    public static bool TryParse(string? entry, out string host, out int? port)
    {
        host = "";
        port = null;
        entry = entry?.Trim();
        if (string.IsNullOrEmpty(entry) || entry.IndexOfAny(['/', '@', '?', '#', '*', '\\', ' ', '%']) >= 0) return false;
        if (!Uri.TryCreate("http://" + entry, UriKind.Absolute, out var uri) || uri.Host.Length == 0) return false;
        var hasPort = entry.StartsWith('[') ? entry.Contains("]:", StringComparison.Ordinal) : entry.Contains(':');
        if (hasPort && !entry.EndsWith($":{uri.Port}", StringComparison.Ordinal)) return false;
        host = uri.Host.ToLowerInvariant();
        port = hasPort ? uri.Port : null;
        return true;
    }
}
