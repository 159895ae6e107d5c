using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Validates a request's method, headers and body once, then builds one message per hop.</summary>
internal static class QueryRequestFactory
{
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
        "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    public static bool TryValidate(HttpQueryRequest request, [NotNullWhen(true)] out HttpMethod? method, [NotNullWhen(false)] out string? error)
    {
        method = null;
        var name = request.Method.Trim().ToUpperInvariant();
        if (name.Length == 0 || !IsToken(name))
        {
            error = $"{request.QueryName} has an invalid HTTP method '{request.Method}'.";
            return false;
        }

        foreach (var (header, value) in request.Headers)
        {
            if (!IsToken(header))
            {
                error = $"{request.QueryName} has an invalid header name '{header}'.";
                return false;
            }

            // CR/LF would split the header; say so now rather than fail inside the handler. The value itself is not echoed: it may be a token.
            if (value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                error = $"{request.QueryName} has a line break or NUL in the value of header '{header}'.";
                return false;
            }
        }

        if (request.Body is { } body && body.Kind.ToLowerInvariant() is not ("json" or "text" or "form" or "none"))
        {
            error = $"{request.QueryName} has body kind '{body.Kind}'; expected json, text, form or none.";
            return false;
        }

        method = HttpMethod.Parse(name);
        error = null;
        return true;
    }

    /// <param name="withHeaders">
    /// False after a redirect to another origin: every header the query or its datasource set may be a credential, whatever
    /// its name, so none is sent; only <c>Content-Type</c> stays with a body that is sent, since it describes those bytes.
    /// </param>
    public static HttpRequestMessage Create(HttpQueryRequest request, HttpMethod method, Uri uri, bool withBody, bool withHeaders)
    {
        var message = new HttpRequestMessage(method, uri) { Content = withBody ? CreateContent(request.Body) : null };
        foreach (var (name, value) in request.Headers)
        {
            if (!withHeaders && !string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
            if (ContentHeaderNames.Contains(name))
            {
                // A Content-Type header overrides the body kind's default; on a bodiless request it has nothing to describe.
                if (message.Content is null) continue;
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static HttpContent? CreateContent(HttpQueryBody? body) => body?.Kind.ToLowerInvariant() switch
    {
        "json" => new StringContent(body.Text ?? "", Encoding.UTF8, "application/json"),
        "text" => new StringContent(body.Text ?? "", Encoding.UTF8, "text/plain"),
        "form" when body.Form is { } form => new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string?, string?>(p.Key, p.Value))),
        "form" => new StringContent(body.Text ?? "", Encoding.UTF8, "application/x-www-form-urlencoded"),
        _ => null,
    };

    // RFC 9110 token: what a header field name (and a method) may be made of.
    private static bool IsToken(string value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        foreach (var c in value)
        {
            if (c > 0x7e || !(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c))) return false;
        }

        return true;
    }
}
