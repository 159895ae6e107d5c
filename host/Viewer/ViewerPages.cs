using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace LowCodeTokens.Host.Viewer;

/// <summary>The viewer page and its sign-in form, with headers that keep them self-contained.</summary>
internal static class ViewerPages
{
    /// <summary>
    /// Only the host's own script and styles run (no inline script, so an escaped-but-wrong value cannot become code);
    /// not framed; not cached. No-sniff and no-referrer come with every response (<c>SecurityHeadersMiddleware</c>).
    /// </summary>
    public static void Harden(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        response.Headers.CacheControl = "no-store";
    }

    public static IResult Viewer() => Results.Bytes(ViewerAssets.Page.Content, ViewerAssets.Page.ContentType);

    public static IResult SignIn(string app, string page, AntiforgeryTokenSet antiforgery, string? error, int statusCode)
    {
        var e = HtmlEncoder.Default;
        var message = error is null ? "" : $"""<p class="signin-error" role="alert">{e.Encode(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · {e.Encode(app)} / {e.Encode(page)}</title><link rel="stylesheet" href="/viewer/viewer.css"></head>
            <body class="signin"><form method="post" class="signin-card" autocomplete="off">
            <h1>{e.Encode(app)} <span class="muted">/ {e.Encode(page)}</span></h1>
            <p>Enter this app's key (or the admin key) to view the page. It is exchanged for a cookie for this app only.</p>
            {message}
            <input type="hidden" name="{e.Encode(antiforgery.FormFieldName)}" value="{e.Encode(antiforgery.RequestToken ?? "")}">
            <label>Key <input type="password" name="key" required autofocus></label>
            <button type="submit">Open page</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
