using System.Text.RegularExpressions;

namespace LowCodeTokens.Host.Logging;

/// <summary>Keys in URLs (<c>?key=</c>, the viewer's sign-in link, and the usual API key parameter names) masked for logs.</summary>
internal static partial class UrlKeys
{
    public const string Mask = "***";

    /// <summary>Cheap pre-check: text without <c>key=</c> holds no key parameter.</summary>
    public static bool MayContain(string? text) => text is not null && text.Contains("key=", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="text"/> with the value of every key parameter replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text) => MayContain(text) ? KeyParameter().Replace(text, Mask) : text;

    // The value after ?key= or &key= (also api_key, apikey, x-api-key), up to the next parameter, fragment or whitespace.
    [GeneratedRegex(@"(?<=[?&](?:x-api-key|api[-_]?key|key)=)[^&#\s""'<>]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyParameter();
}
